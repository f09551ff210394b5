"""Background work for monitoring: refresh the precomputed figures (funnel, cycle times) of the labs.

``refresh_lab_snapshots`` is a django-tasks task (the house task interface, ADR 0005): enqueue it after a
batch of changes, or on a schedule; ``manage.py refresh_monitoring`` enqueues it for every active lab (or
the ones named). With the immediate backend it runs inline. Idempotent: each run replaces the snapshots.
"""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_lab_snapshots(lab_id: int) -> int:
    """Recompute one lab's snapshots; returns how many were written (0 when the lab is gone)."""
    from govlab.labs.models import Lab

    from .services import snapshot_refresh

    lab = Lab.objects.filter(pk=lab_id).first()
    if lab is None:
        return 0
    return len(snapshot_refresh(lab))


def refresh_all(slugs: list[str] | None = None) -> list[str]:
    """Enqueue the refresh of every active lab (or of these slugs); returns the slugs enqueued."""
    from govlab.labs.models import Lab

    labs = Lab.objects.filter(is_active=True) if not slugs else Lab.objects.filter(slug__in=slugs)
    done = []
    for lab in labs.order_by("slug"):
        refresh_lab_snapshots.enqueue(lab.pk)
        done.append(lab.slug)
    return done
