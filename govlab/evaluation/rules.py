"""Who may do what in evaluation. Named predicates, used alike by views, templates and the API."""

import rules

from govlab.labs.rules import is_lab_staff


@rules.predicate
def is_call_lab_staff(user, call) -> bool:
    return call is not None and is_lab_staff(user, call.lab)


@rules.predicate
def is_active_evaluator(user, call) -> bool:
    if call is None or not getattr(user, "is_authenticated", False):
        return False
    from .models import Evaluator

    cache = getattr(user, "_govlab_evaluator_calls", None)
    if cache is None:
        cache = set(
            Evaluator.objects.filter(user=user, removed_at__isnull=True).values_list("call_id", flat=True)
        )
        user._govlab_evaluator_calls = cache
    return call.pk in cache


rules.add_perm("evaluation.manage", is_call_lab_staff | rules.is_superuser)
rules.add_perm("evaluation.evaluate", is_active_evaluator)
