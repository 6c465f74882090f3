"""Every change to the Council's tables is recorded by PostgreSQL triggers (django-pghistory).

Each insert, update and delete of a state, term, term caveat or presidency leaves a snapshot row in
its event table, with the context (who and why) of the change when there was one. The
triggers catch the admin, the loader and plain SQL alike. meetings/history.py reads them.
"""

import pghistory

from council.models import CouncilTerm, Presidency, State, TermCaveat


def trackers():
    """Fresh trackers for one model (a tracker keeps the fields of the model it was set up for)."""
    return pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()


for model in (State, CouncilTerm, Presidency, TermCaveat):
    pghistory.track(*trackers(), model_name=f"{model.__name__}Event")(model)
