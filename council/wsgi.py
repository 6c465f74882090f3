"""WSGI entry point, for gunicorn: `gunicorn council.wsgi`."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "council.settings")
application = get_wsgi_application()


def render_ahead_now():
    """As a worker starts, read the record's version, so that the whole-record downloads are
    loaded from their stored copy (or rendered) before the first reader asks for them
    (meetings/prerender.py), not beside that reader's own render.

    gunicorn imports this module in each worker after it forks (the project does not use
    --preload), so the connection this opens belongs to the worker. If the database cannot
    be reached, nothing is lost: the first request tries again.
    """
    from django.db import DatabaseError

    from meetings.caching import memo

    try:
        memo.current()
    except DatabaseError:
        logging.getLogger(__name__).warning("The database did not answer as this worker started.")


render_ahead_now()
