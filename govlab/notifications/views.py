"""A person's own notifications: list, mark one read, mark all read. Nobody sees anyone else's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from .forms import NotificationFilterForm, ReturnToForm
from .models import Notification
from .selectors import notification_list as select_notifications
from .selectors import unread_count
from .services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 25


def _unread_total(request) -> int:
    """Count once per request, shared with the ``unread`` context processor."""
    total = unread_count(user=request.user)
    request._govlab_unread_notifications = total
    return total


@login_required
@require_GET
def notification_list(request):
    filter_form = NotificationFilterForm(request.GET)
    unread_only = filter_form.is_valid() and filter_form.cleaned_data["show"] == "unread"
    notifications = select_notifications(user=request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/notification_list.html",
        {
            "filter_form": filter_form,
            "page": page,
            "query": query.urlencode(),
            "unread_total": _unread_total(request),
            "unread_only": unread_only,
        },
    )


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one of the person's notifications read; another person's answers 404 and stays unread."""
    notification = get_object_or_404(
        Notification.objects.select_related("lab"), pk=pk, recipient=request.user
    )
    notification_mark_read(notification=notification)
    if request.htmx:
        return render(
            request,
            "notifications/partials/read_response.html",
            {"notification": notification, "unread_total": _unread_total(request)},
        )
    return_to = ReturnToForm(request.POST, request=request)
    return_to.is_valid()
    return redirect(return_to.cleaned_data.get("next") or "notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    marked = notifications_mark_all_read(user=request.user)
    if marked:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.", "%(count)d notifications marked as read.", marked
            )
            % {"count": marked},
        )
    else:
        messages.info(request, _("There was nothing unread."))
    return redirect("notifications:list")
