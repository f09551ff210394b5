"""The public challenge and campaign pages, and the public entity's workspace.

Views fetch and authorise in one step (404 alike for "does not exist" and "not yours"; 403 where the
challenge may be seen but the action is not allowed) and write only through services.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govlab.core.decorators import login_required_keeping_input, restore_kept_input
from govlab.core.i18n import pick
from govlab.demoday.selectors import public_selections_for_challenge
from govlab.labs.models import Lab
from govlab.organisations.models import Organisation
from govlab.organisations.selectors import user_organisation_roles
from govlab.pilots.selectors import public_pilots_for_challenge

from . import selectors, services
from .enums import (
    CHARACTERISATION_EDITABLE,
    ENTITY_EDITABLE,
    ChallengeStatus,
    PublicSection,
    WorksheetKind,
)
from .forms_public import (
    BudgetForm,
    ChallengeFilterForm,
    ChallengeForm,
    ChallengeStartForm,
    CharacterisationForm,
    TeamMemberForm,
    WithdrawForm,
    WorksheetForm,
    apply_errors,
)
from .models import ChallengeAttachment, ChallengeTeamMember, Worksheet
from .rules import is_challenge_entity_member
from .workflow import ENTITY, transitions_from

PAGE_SIZE = 20


# --- Fetch and authorise ------------------------------------------------------------------------------


def challenge_for(request, reference: str, *perms: str):
    """The challenge if this person may see it (else 404) and has every one of ``perms`` (else 403)."""
    challenge = selectors.challenge_for_page(reference)
    if challenge is None or not request.user.has_perm("challenges.view_challenge", challenge):
        raise Http404
    if any(not request.user.has_perm(perm, challenge) for perm in perms):
        raise PermissionDenied
    request.lab = challenge.lab
    return challenge


def _entity_transitions(user, challenge):
    """The transitions this person may start as a member of the entity (submit and resubmit excepted)."""
    if not is_challenge_entity_member(user, challenge):
        return []
    return [
        t
        for t in transitions_from(challenge.status)
        if ENTITY in t.actors and t.name not in ("submit", "resubmit")
    ]


# --- Public list and page -----------------------------------------------------------------------------


@require_GET
def challenge_list(request):
    form = ChallengeFilterForm(request.GET or None)
    queryset = selectors.challenge_cards_public(**form.filters())
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "challenges/challenge_list.html",
        {"form": form, "page": page, "challenges": page.object_list, "filtered": bool(request.GET)},
    )


@require_GET
def challenge_detail(request, reference):
    challenge = challenge_for(request, reference)
    user = request.user
    can_private = user.has_perm("challenges.view_challenge_private", challenge)
    visible = {
        section: can_private or challenge.section_is_public(section) for section in PublicSection.values
    }
    context = {
        "challenge": challenge,
        "lab": challenge.lab,
        "can_private": can_private,
        "visible": visible,
        "timeline": selectors.challenge_timeline(challenge),
        "attachments": challenge.attachments.all() if visible[PublicSection.EVIDENCE] else [],
        "can_edit": user.has_perm("challenges.change_challenge", challenge),
        "can_characterise": can_private and user.has_perm("challenges.characterise_challenge", challenge),
        "entity_transitions": _entity_transitions(user, challenge),
        "can_screen": user.has_perm("challenges.screen_challenge", challenge),
        # Phase 4 in public: the solution the Demo Day selected, and every decided pilot (failures too).
        "selections": public_selections_for_challenge(challenge),
        "pilots": list(public_pilots_for_challenge(challenge)),
    }
    if can_private and challenge.status in ENTITY_EDITABLE:
        context["submission_gaps"] = services.challenge_submission_gaps(challenge)
    return render(request, "challenges/challenge_detail.html", context)


@require_GET
def attachment_download(request, reference, pk):
    challenge = challenge_for(request, reference)
    if not (
        request.user.has_perm("challenges.view_challenge_private", challenge)
        or challenge.section_is_public(PublicSection.EVIDENCE)
    ):
        raise Http404
    attachment = get_object_or_404(ChallengeAttachment, challenge=challenge, pk=pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Campaigns ----------------------------------------------------------------------------------------


@require_GET
def campaign_list(request):
    lab = None
    if request.GET.get("lab"):
        lab = get_object_or_404(Lab.objects.public(), slug=request.GET["lab"])
        request.lab = lab
    campaigns = selectors.campaign_list(lab=lab)
    return render(
        request,
        "challenges/public/campaign_list.html",
        {"campaigns": campaigns, "lab": lab, "now": timezone.now()},
    )


def _campaign_page(request, campaign):
    if campaign is None or not request.user.has_perm("challenges.view_campaign", campaign):
        raise Http404
    request.lab = campaign.lab
    challenges = selectors.challenge_list_public(campaign=campaign)[:50]
    return render(
        request,
        "challenges/public/campaign_detail.html",
        {
            "campaign": campaign,
            "lab": campaign.lab,
            "challenges": challenges,
            "is_open": campaign.is_open(),
            "now": timezone.now(),
        },
    )


@require_GET
def campaign_detail(request, pk):
    return _campaign_page(request, selectors.campaign_for_page(pk))


@require_GET
def campaign_detail_by_slug(request, slug):
    return _campaign_page(
        request, selectors.campaign_for_page(slug=slug, lab_slug=request.GET.get("lab", ""))
    )


def _ics_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545, 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _ics_fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545, 3.1)."""
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        length = len(char.encode("utf-8"))
        if size + length > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with one space
        current.append(char)
        size += length
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _ics_time(value) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


@require_GET
def campaign_calendar(request):
    """The published campaigns' dates as an iCalendar feed (RFC 5545), of every lab or of one (?lab=slug)."""
    lab = None
    if request.GET.get("lab"):
        lab = get_object_or_404(Lab.objects.public(), slug=request.GET["lab"])
    host = urlparse(settings.SITE_URL).hostname or "govlab.localhost"
    name = _("Calls for challenges")
    if lab is not None:
        name = _("Calls for challenges of %(lab)s") % {"lab": lab}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//govlab//Calls for challenges//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text(name)}",
    ]
    for campaign in selectors.campaign_public_feed(lab=lab):
        url = request.build_absolute_uri(reverse("challenges:campaign", kwargs={"pk": campaign.pk}))
        title = pick(campaign.title, preferred=campaign.lab.languages).text or campaign.slug
        summary = _("%(title)s (call for challenges of %(lab)s)") % {"title": title, "lab": campaign.lab}
        description = pick(campaign.description, preferred=campaign.lab.languages).text
        lines += [
            "BEGIN:VEVENT",
            f"UID:campaign-{campaign.pk}@{host}",
            f"DTSTAMP:{_ics_time(campaign.updated_at)}",
            f"DTSTART:{_ics_time(campaign.opens_at)}",
            f"DTEND:{_ics_time(campaign.closes_at)}",
            f"SUMMARY:{_ics_text(summary)}",
            f"DESCRIPTION:{_ics_text((description + chr(10) + chr(10) + url).strip())}",
            f"URL:{url}",
            "STATUS:CONFIRMED",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    body = "".join(_ics_fold(line) + "\r\n" for line in lines)
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    filename = f"{lab.slug}-campaigns.ics" if lab else "campaigns.ics"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- The entity's workspace -----------------------------------------------------------------------------


def _next_step(challenge) -> dict:
    """What a challenge needs next from its entity, for "my challenges"."""
    status = challenge.status
    step: dict = {"gaps": [], "message": ""}
    if status == ChallengeStatus.DRAFT:
        step["gaps"] = services.challenge_submission_gaps(challenge)
        step["action"] = "edit"
    elif status == ChallengeStatus.MORE_INFO_REQUESTED:
        step["gaps"] = [g for g in services.challenge_submission_gaps(challenge) if g.code != "campaign"]
        step["message"] = challenge.decision_message
        step["action"] = "edit"
    elif status == ChallengeStatus.ACCEPTED:
        step["action"] = "characterise"
        step["message"] = challenge.decision_message
    elif status == ChallengeStatus.CHARACTERISING:
        step["gaps"] = services.challenge_readiness_gaps(challenge)
        step["action"] = "characterise"
    elif status == ChallengeStatus.DECLINED:
        step["message"] = challenge.decision_message
    return step


@login_required
@require_GET
def my_challenges(request):
    challenges = list(selectors.challenges_of_user_workspace(request.user))
    rows = [(challenge, _next_step(challenge)) for challenge in challenges]
    return render(
        request,
        "challenges/entity/my_challenges.html",
        {"rows": rows, "can_create": _user_entities(request.user).exists()},
    )


def _user_entities(user):
    return Organisation.objects.public().filter(
        kind="public_entity", pk__in=list(user_organisation_roles(user))
    )


@login_required_keeping_input
def challenge_create(request):
    entities = _user_entities(request.user).order_by("name")
    if not entities.exists():
        return render(request, "challenges/entity/not_an_entity.html", status=403)
    initial = {}
    if request.method == "GET" and request.GET.get("campaign", "").isdigit():
        initial["campaign"] = int(request.GET["campaign"])
    if len(entities) == 1:
        initial["owner"] = entities[0]
    data = request.POST if request.method == "POST" else restore_kept_input(request)
    form = ChallengeStartForm(data or None, entities=entities, initial=initial)
    if request.method == "POST" and form.is_valid():
        lab = form.cleaned_data["lab"]
        language = (get_language() or "").split("-")[0]
        if language not in (lab.languages or []):
            language = lab.main_language
        title = form.cleaned_data["title"].strip()
        try:
            challenge = services.challenge_create(
                lab=lab,
                owner=form.cleaned_data["owner"],
                created_by=request.user,
                campaign=form.cleaned_data["campaign"],
                title={language: title} if title else {},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your draft is saved. Describe the challenge, then submit it."))
            return redirect("challenges:edit", reference=challenge.reference)
    return render(request, "challenges/entity/challenge_start.html", {"form": form})


def _save_description(request, form, challenge) -> bool:
    """Save what the form holds (and its attachment) in one transaction; errors go on the form."""
    try:
        with transaction.atomic():
            services.challenge_update(
                challenge=challenge,
                updated_by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
            upload = form.cleaned_data.get("attachment")
            if upload:
                services.challenge_attachment_add(
                    challenge=challenge,
                    uploaded_by=request.user,
                    file=upload,
                    description=form.cleaned_data.get("attachment_description", ""),
                )
    except services.ConflictError as error:
        form.add_error(None, error)
        form.conflict = True
        return False
    except ValidationError as error:
        apply_errors(form, error, {"file": "attachment", "description": "attachment_description"})
        return False
    return True


def _edit_page(request, challenge, form, status=200):
    return render(
        request,
        "challenges/entity/challenge_form.html",
        {
            "challenge": challenge,
            "lab": challenge.lab,
            "form": form,
            "attachments": challenge.attachments.all(),
            "gaps": [
                gap
                for gap in services.challenge_submission_gaps(challenge)
                if gap.code != "campaign" or challenge.status == ChallengeStatus.DRAFT
            ],
            "is_resubmission": challenge.status == ChallengeStatus.MORE_INFO_REQUESTED,
        },
        status=status,
    )


@login_required_keeping_input
def challenge_edit(request, reference):
    challenge = challenge_for(request, reference, "challenges.change_challenge")
    if request.method != "POST":
        # What was typed before the session ended (files excepted), shown again; saved only when posted.
        kept = restore_kept_input(request)
        form = (
            ChallengeForm(kept, challenge=challenge)
            if kept is not None
            else ChallengeForm(challenge=challenge)
        )
        return _edit_page(request, challenge, form)
    form = ChallengeForm(request.POST, request.FILES, challenge=challenge)
    if not form.is_valid() or not _save_description(request, form, challenge):
        return _edit_page(request, challenge, form)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Your draft is saved."))
        return redirect("challenges:edit", reference=challenge.reference)
    target = (
        ChallengeStatus.IN_SCREENING
        if challenge.status == ChallengeStatus.MORE_INFO_REQUESTED
        else ChallengeStatus.SUBMITTED
    )
    try:
        services.challenge_transition(challenge=challenge, target=target, actor=request.user)
    except ValidationError as error:
        # What was typed is saved; show exactly what is missing at the fields, with the new version.
        data = request.POST.copy()
        data["version"] = str(challenge.version)
        form = ChallengeForm(data, challenge=challenge)
        form.is_valid()
        apply_errors(form, error)
        return _edit_page(request, challenge, form)
    messages.success(request, _("Your challenge is submitted to the lab."))
    return redirect("challenges:detail", reference=challenge.reference)


@require_POST
def challenge_autosave(request, reference):
    """Save a draft as the person types (HTMX); answers a status line and the new version.

    When the session has ended, the status line says so instead of swapping in the sign-in page, and what
    was typed stays in the browser's form.
    """
    if not request.user.is_authenticated:
        if request.htmx:
            return render(request, "challenges/partials/autosave_status.html", {"signed_out": True})
        return redirect_to_login(request.get_full_path())
    challenge = challenge_for(request, reference, "challenges.change_challenge")
    form = ChallengeForm(request.POST, challenge=challenge)
    saved = False
    if form.is_valid():
        form.cleaned_data["attachment"] = None
        saved = _save_description(request, form, challenge)
    if not request.htmx:
        return redirect("challenges:edit", reference=challenge.reference)
    return render(
        request,
        "challenges/partials/autosave_status.html",
        {
            "saved": saved,
            "conflict": getattr(form, "conflict", False),
            "challenge": challenge,
            "saved_at": timezone.now(),
        },
    )


@login_required
@require_POST
def attachment_remove(request, reference, pk):
    challenge = challenge_for(request, reference, "challenges.view_challenge_private")
    if not (
        request.user.has_perm("challenges.change_challenge", challenge)
        or request.user.has_perm("challenges.characterise_challenge", challenge)
    ):
        raise PermissionDenied
    attachment = get_object_or_404(ChallengeAttachment, challenge=challenge, pk=pk)
    try:
        services.challenge_attachment_remove(attachment=attachment, removed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.original_name})
    return redirect("challenges:edit", reference=reference)


@login_required_keeping_input
def challenge_withdraw(request, reference):
    challenge = challenge_for(request, reference)
    if not any(t.name == "withdraw" for t in _entity_transitions(request.user, challenge)):
        if request.user.has_perm("challenges.view_challenge_private", challenge) or challenge.is_public:
            raise PermissionDenied
        raise Http404
    data = request.POST if request.method == "POST" else restore_kept_input(request)
    form = WithdrawForm(data or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_transition(
                challenge=challenge,
                target=ChallengeStatus.WITHDRAWN,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The challenge is withdrawn."))
            return redirect("challenges:detail", reference=challenge.reference)
    return render(
        request, "challenges/entity/challenge_withdraw.html", {"challenge": challenge, "form": form}
    )


# --- Characterisation (the entity's workspace; the partials are shared with the lab's) ----------------


def _characterisation_challenge(request, reference):
    return challenge_for(
        request, reference, "challenges.view_challenge_private", "challenges.characterise_challenge"
    )


def characterisation_context(challenge, **forms) -> dict:
    """What the characterisation partials need; the lab's workspace may build the same context."""
    worksheets = {w.kind: w for w in Worksheet.objects.filter(challenge=challenge)}
    return {
        "challenge": challenge,
        "lab": challenge.lab,
        "readiness_gaps": services.challenge_readiness_gaps(challenge),
        "fields_editable": challenge.status in CHARACTERISATION_EDITABLE,
        "worksheets_editable": challenge.status in CHARACTERISATION_EDITABLE | ENTITY_EDITABLE,
        "characterisation_form": forms.get("characterisation_form")
        or CharacterisationForm(challenge=challenge),
        "budget_form": forms.get("budget_form") or BudgetForm(challenge=challenge),
        "team_form": forms.get("team_form") or TeamMemberForm(challenge=challenge),
        "team": ChallengeTeamMember.objects.filter(challenge=challenge).select_related("user"),
        "worksheet_rows": [(kind, label, worksheets.get(kind)) for kind, label in WorksheetKind.choices],
        "urls": {
            "characterise": reverse("challenges:characterisation", args=[challenge.reference]),
            "budget": reverse("challenges:characterisation_budget", args=[challenge.reference]),
            "team_add": reverse("challenges:characterisation_team", args=[challenge.reference]),
            "team_remove": "challenges:characterisation_team_remove",
            "worksheet": "challenges:worksheet",
        },
    }


def _characterisation_page(request, challenge, status=200, **forms):
    context = characterisation_context(challenge, **forms)
    context["can_start"] = any(
        t.name == "start_characterisation" for t in _entity_transitions(request.user, challenge)
    )
    return render(request, "challenges/entity/characterisation.html", context, status=status)


@login_required_keeping_input
def characterisation(request, reference):
    challenge = _characterisation_challenge(request, reference)
    if request.method != "POST":
        # What was typed before the session ended into one of the page's forms (they post to three
        # addresses), bound to that form again; saved only when posted.
        kept_forms = {}
        if (kept := restore_kept_input(request)) is not None:
            kept_forms["characterisation_form"] = CharacterisationForm(kept, challenge=challenge)
        budget_url = reverse("challenges:characterisation_budget", args=[reference])
        if (kept := restore_kept_input(request, posted_to=budget_url)) is not None:
            kept_forms["budget_form"] = BudgetForm(kept, challenge=challenge)
        team_url = reverse("challenges:characterisation_team", args=[reference])
        if (kept := restore_kept_input(request, posted_to=team_url)) is not None:
            kept_forms["team_form"] = TeamMemberForm(kept, challenge=challenge)
        return _characterisation_page(request, challenge, **kept_forms)
    form = CharacterisationForm(request.POST, challenge=challenge)
    if form.is_valid():
        try:
            services.challenge_characterise(
                challenge=challenge,
                updated_by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The characterisation is saved."))
            return redirect("challenges:characterisation", reference=reference)
    return _characterisation_page(request, challenge, characterisation_form=form)


@login_required
@require_POST
def characterisation_start(request, reference):
    challenge = challenge_for(request, reference, "challenges.view_challenge_private")
    try:
        services.challenge_transition(
            challenge=challenge, target=ChallengeStatus.CHARACTERISING, actor=request.user
        )
    except ValidationError as error:
        if getattr(error, "code", "") == "not_allowed":
            raise PermissionDenied from error
        messages.error(request, " ".join(error.messages))
        return redirect("challenges:detail", reference=reference)
    messages.success(request, _("The characterisation has started."))
    return redirect("challenges:characterisation", reference=reference)


@login_required_keeping_input(return_to="challenges:characterisation")
@require_POST
def characterisation_budget(request, reference):
    challenge = _characterisation_challenge(request, reference)
    form = BudgetForm(request.POST, challenge=challenge)
    if form.is_valid():
        try:
            services.challenge_confirm_budget(
                challenge=challenge,
                confirmed_by=request.user,
                amount=form.cleaned_data["budget_amount"],
                currency=form.cleaned_data["budget_currency"],
                source=form.cleaned_data["budget_source"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The budget is confirmed."))
            return redirect("challenges:characterisation", reference=reference)
    return _characterisation_page(request, challenge, budget_form=form)


@login_required_keeping_input(return_to="challenges:characterisation")
@require_POST
def characterisation_team(request, reference):
    challenge = _characterisation_challenge(request, reference)
    form = TeamMemberForm(request.POST, challenge=challenge)
    if challenge.status not in CHARACTERISATION_EDITABLE | ENTITY_EDITABLE:
        raise PermissionDenied
    if form.is_valid():
        try:
            services.team_member_add(challenge=challenge, added_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The team member is added."))
            return redirect("challenges:characterisation", reference=reference)
    return _characterisation_page(request, challenge, team_form=form)


@login_required
@require_POST
def characterisation_team_remove(request, reference, pk):
    challenge = _characterisation_challenge(request, reference)
    if challenge.status not in CHARACTERISATION_EDITABLE | ENTITY_EDITABLE:
        raise PermissionDenied
    member = get_object_or_404(ChallengeTeamMember, challenge=challenge, pk=pk)
    services.team_member_remove(member=member, removed_by=request.user)
    messages.success(request, _("The team member is removed."))
    return redirect("challenges:characterisation", reference=reference)


@login_required_keeping_input
def worksheet(request, reference, kind):
    challenge = _characterisation_challenge(request, reference)
    if kind not in WorksheetKind.values:
        raise Http404
    sheet = Worksheet.objects.filter(challenge=challenge, kind=kind).first()
    latest = sheet.versions.order_by("-number").first() if sheet else None
    editable = challenge.status in CHARACTERISATION_EDITABLE | ENTITY_EDITABLE
    form_kwargs = {
        "kind": kind,
        "data_initial": latest.data if latest else {},
        "is_complete": bool(sheet and sheet.is_complete),
    }
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = WorksheetForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                services.worksheet_save(
                    challenge=challenge,
                    kind=kind,
                    data=form.worksheet_data(),
                    saved_by=request.user,
                    complete=form.cleaned_data["complete"],
                )
            except ValidationError as error:
                form.apply_service_errors(error)
            else:
                messages.success(request, _("The worksheet is saved."))
                return redirect("challenges:characterisation", reference=reference)
    else:
        kept = restore_kept_input(request) if editable else None
        form = WorksheetForm(kept, **form_kwargs) if kept is not None else WorksheetForm(**form_kwargs)
    return render(
        request,
        "challenges/entity/worksheet.html",
        {
            "challenge": challenge,
            "kind_label": WorksheetKind(kind).label,
            "form": form,
            "sheet": sheet,
            "latest": latest,
            "editable": editable,
            "action": reverse("challenges:worksheet", args=[reference, kind]),
        },
    )
