"""Probes for a load balancer or an orchestrator: is the process alive, can it serve the record."""

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def answer(status, text):
    return HttpResponse(f"{text}\n", status=status, content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def healthz(request):
    """The process answers; the database is not asked."""
    return answer(200, "ok")


@never_cache
@require_safe
def readyz(request):
    """The database answers and every migration is applied: this process can serve the record."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        loader = MigrationLoader(connection)
        unapplied = set(loader.graph.nodes) - set(loader.applied_migrations)
    except DatabaseError as error:
        return answer(503, f"database unavailable: {error.__class__.__name__}")
    if unapplied:
        return answer(503, f"{len(unapplied)} migration(s) not applied")
    return answer(200, "ready")
