"""The task interface: every background job goes through here.

Jobs are django-tasks ``@task`` functions in each app's ``tasks.py``. ``enqueue_on_commit`` schedules one
after the current transaction commits, so a rolled-back change never sends mail or builds an index.
The backend (inline, database, or Redis via RQ) is chosen by settings.TASK_BACKEND.
"""

from __future__ import annotations

from django.db import transaction


def enqueue_on_commit(task, /, *args, **kwargs) -> None:
    """Enqueue ``task`` with these arguments once the current transaction has committed."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
