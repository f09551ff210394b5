"""Who may do what at a Demo Day. Named predicates, used alike by views, templates and the API."""

import rules

from govlab.labs.rules import is_lab_staff


@rules.predicate
def is_demo_day_lab_staff(user, demo_day) -> bool:
    return demo_day is not None and is_lab_staff(user, demo_day.call.lab)


@rules.predicate
def is_active_juror(user, demo_day) -> bool:
    if demo_day is None or not getattr(user, "is_authenticated", False):
        return False
    from .models import JuryMember

    cache = getattr(user, "_govlab_jury_days", None)
    if cache is None:
        cache = set(
            JuryMember.objects.filter(user=user, removed_at__isnull=True).values_list(
                "demo_day_id", flat=True
            )
        )
        user._govlab_jury_days = cache
    return demo_day.pk in cache


rules.add_perm("demoday.manage", is_demo_day_lab_staff | rules.is_superuser)
rules.add_perm("demoday.judge", is_active_juror)
rules.add_perm("demoday.view", is_demo_day_lab_staff | is_active_juror | rules.is_superuser)
