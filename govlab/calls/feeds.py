"""Feeds of the published calls: an iCalendar feed of their deadlines and an Atom feed of new calls.

Both list every lab's calls, or one lab's with ``?lab=<slug>``. The iCalendar text is written as the
challenges app writes its campaign feed (RFC 5545: escaped text, folded lines, instants in UTC).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from govlab.challenges.views_public import _ics_fold, _ics_text, _ics_time
from govlab.core.i18n import pick
from govlab.labs.models import Lab

from .models import Call

FEED_SIZE = 50
# Closed calls stay in the calendar this long, so a subscriber's past deadlines do not vanish at once.
CALENDAR_KEEPS_DAYS = 180


def _lab(request):
    if request.GET.get("lab"):
        return get_object_or_404(Lab.objects.public(), slug=request.GET["lab"])
    return None


def _calls(lab):
    calls = Call.objects.visible().select_related("lab")
    if lab is not None:
        calls = calls.filter(lab=lab)
    return calls


def _url(request, call) -> str:
    return request.build_absolute_uri(
        reverse("calls:detail", kwargs={"lab_slug": call.lab.slug, "slug": call.slug})
    )


def _title(call) -> str:
    return pick(call.title, preferred=call.lab.languages).text or call.slug


@require_GET
def calendar(request):
    """The deadlines (and end of questions, and full-proposal deadlines) of published calls, in UTC."""
    lab = _lab(request)
    host = urlparse(settings.SITE_URL).hostname or "govlab.localhost"
    name = _("Calls for solutions") if lab is None else _("Calls for solutions of %(lab)s") % {"lab": lab}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//govlab//Calls for solutions//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text(name)}",
    ]
    since = timezone.now() - dt.timedelta(days=CALENDAR_KEEPS_DAYS)
    calls = _calls(lab).filter(deadline__gte=since).order_by("deadline", "pk")[:500]
    for call in calls:
        url = _url(request, call)
        title = _title(call)
        summary = pick(call.summary, preferred=call.lab.languages).text
        events = [("deadline", call.deadline, _("Deadline: %(title)s (%(lab)s)"))]
        if call.enquiries_close_at:
            events.append(
                ("questions", call.enquiries_close_at, _("Last day for questions: %(title)s (%(lab)s)"))
            )
        if call.two_stage and call.proposal_deadline:
            events.append(("proposals", call.proposal_deadline, _("Full proposals due: %(title)s (%(lab)s)")))
        for suffix, moment, label in events:
            local = timezone.localtime(moment, call.zone)
            description = _("%(when)s in %(zone)s.") % {
                "when": local.strftime("%Y-%m-%d %H:%M"),
                "zone": call.time_zone,
            }
            lines += [
                "BEGIN:VEVENT",
                f"UID:call-{call.pk}-{suffix}@{host}",
                f"DTSTAMP:{_ics_time(call.updated_at)}",
                f"DTSTART:{_ics_time(moment)}",
                f"SUMMARY:{_ics_text(label % {'title': title, 'lab': call.lab})}",
                f"DESCRIPTION:{_ics_text(chr(10).join(p for p in (description, summary, url) if p))}",
                f"URL:{url}",
                "STATUS:CONFIRMED",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    body = "".join(_ics_fold(line) + "\r\n" for line in lines)
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    filename = f"{lab.slug}-calls.ics" if lab else "calls.ics"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def atom(request):
    """The newest published calls as an Atom feed."""
    lab = _lab(request)
    title = (
        _("New calls for solutions")
        if lab is None
        else _("New calls for solutions of %(lab)s") % {"lab": lab}
    )
    link = request.build_absolute_uri(reverse("calls:list"))
    feed = Atom1Feed(
        title=title,
        link=link,
        description=_("Calls for solutions to public-sector challenges, newest first."),
        language=(get_language() or settings.LANGUAGE_CODE).split("-")[0],
        feed_url=request.build_absolute_uri(request.get_full_path()),
        feed_guid=link,
    )
    calls = _calls(lab).order_by("-publishes_at", "-pk")[:FEED_SIZE]
    for call in calls:
        summary = pick(call.summary, preferred=call.lab.languages).text
        deadline = timezone.localtime(call.deadline, call.zone)
        feed.add_item(
            title=_title(call),
            link=_url(request, call),
            description=_("%(summary)s Deadline: %(when)s (%(zone)s).")
            % {"summary": summary, "when": deadline.strftime("%Y-%m-%d %H:%M"), "zone": call.time_zone},
            unique_id=_url(request, call),
            unique_id_is_permalink=True,
            pubdate=call.published_at or call.publishes_at,
            updateddate=call.updated_at,
            author_name=pick(call.lab.name, preferred=call.lab.languages).text,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
