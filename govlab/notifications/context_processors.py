"""``unread_notifications_count`` in every template, counted only if a template uses it."""

from __future__ import annotations

from .selectors import unread_count


def unread(request):
    """A callable the template engine calls when the variable is used: no query otherwise.

    The count is kept on the request, so a page that shows it twice (nav and page body) counts once.
    It is a plain ``int`` in templates, so ``{% blocktranslate count counter=unread_notifications_count %}``
    works.
    """

    def count() -> int:
        cached = getattr(request, "_govlab_unread_notifications", None)
        if cached is None:
            cached = unread_count(user=getattr(request, "user", None))
            request._govlab_unread_notifications = cached
        return cached

    return {"unread_notifications_count": count}
