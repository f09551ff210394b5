"""The lab's pages: intake campaigns, legal regimes, the screening board, screening and characterisation.

Every page is for the lab's team (manager or staff) only. The lab and the challenge are fetched and
authorised in one step: another lab's challenge, a draft, or a lab the person does not run all answer
404 alike. Writes go through ``services``; service errors are shown on the form that caused them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govlab.core.decorators import login_required_keeping_input, restore_kept_input
from govlab.core.exports import download
from govlab.core.i18n import pick
from govlab.labs.models import Lab
from govlab.labs.rules import is_lab_staff
from govlab.organisations.models import OrganisationMembership

from . import selectors, services
from .enums import CHARACTERISATION_EDITABLE, ChallengeStatus, WorksheetKind
from .exports import campaign_screening_csv
from .forms_lab import (
    AssessmentForm,
    BatchDecisionForm,
    BoardFilterForm,
    BudgetForm,
    CampaignForm,
    CharacterisationForm,
    CriterionForm,
    DecisionForm,
    LegalRegimeForm,
    MarkReadyForm,
    PriorityForm,
    TeamMemberForm,
    WorksheetForm,
    apply_errors,
)
from .models import Challenge, IntakeCampaign, LegalRegime
from .workflow import LAB, transitions_from
from .worksheets import WORKSHEET_FIELDS

BOARD_PAGE_SIZE = 50
PRIORITISED = (ChallengeStatus.ACCEPTED, ChallengeStatus.CHARACTERISING, ChallengeStatus.READY_FOR_CALL)
CAMPAIGN_FIELDS = ("title", "slug", "description", "opens_at", "closes_at", "is_published")


# --- Fetch and authorise -----------------------------------------------------------------------


def _staff_lab(request, lab_slug: str) -> Lab:
    """The lab, if this person runs it (manager or staff); 404 otherwise, as if it did not exist."""
    lab = Lab.objects.filter(slug=lab_slug).first()
    if lab is None or not is_lab_staff(request.user, lab):
        raise Http404
    request.lab = lab
    return lab


def _staff_campaign(request, lab_slug: str, pk: int) -> IntakeCampaign:
    lab = _staff_lab(request, lab_slug)
    campaign = IntakeCampaign.objects.filter(lab=lab, pk=pk).select_related("lab").first()
    if campaign is None or not request.user.has_perm("challenges.change_campaign", campaign):
        raise Http404
    return campaign


def _staff_challenge(request, lab_slug: str, reference: str):
    lab = _staff_lab(request, lab_slug)
    challenge = selectors.lab_challenge(lab=lab, reference=reference)
    if challenge is None or not request.user.has_perm("challenges.screen_challenge", challenge):
        raise Http404
    return challenge


def _context(lab, section: str, **extra) -> dict:
    return {"lab": lab, "current_lab": lab, "lab_section": section, **extra}


# --- Campaigns ---------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request, lab_slug):
    lab = _staff_lab(request, lab_slug)
    campaigns = selectors.campaign_list(lab=lab, published_only=False)
    return render(
        request, "challenges/lab/campaign_list.html", _context(lab, "campaigns", campaigns=campaigns)
    )


def _campaign_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in CAMPAIGN_FIELDS}


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def campaign_create(request, lab_slug):
    lab = _staff_lab(request, lab_slug)
    data = request.POST if request.method == "POST" else restore_kept_input(request)
    form = CampaignForm(data or None, lab=lab, prefix="campaign")
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                lab=lab,
                created_by=request.user,
                open_to=list(form.cleaned_data["open_to"]),
                **_campaign_fields(form),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The campaign is created. Now list its viability criteria."))
            return redirect("challenges:lab_campaign", lab_slug=lab.slug, pk=campaign.pk)
    return render(request, "challenges/lab/campaign_form.html", _context(lab, "campaigns", form=form))


def _campaign_page(request, campaign, *, form=None, criterion_form=None):
    lab = campaign.lab
    if form is None:
        form = CampaignForm(
            lab=lab,
            prefix="campaign",
            instance=campaign,
            initial={
                **{name: getattr(campaign, name) for name in CAMPAIGN_FIELDS},
                "open_to": list(campaign.open_to.all()),
            },
        )
    criterion_form = criterion_form or CriterionForm(languages=lab.languages, prefix="criterion")
    criteria = list(campaign.criteria.order_by("position", "pk"))
    return render(
        request,
        "challenges/lab/campaign_edit.html",
        _context(
            lab,
            "campaigns",
            campaign=campaign,
            form=form,
            criterion_form=criterion_form,
            criteria=criteria,
        ),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def campaign_edit(request, lab_slug, pk):
    campaign = _staff_campaign(request, lab_slug, pk)
    if request.method == "GET":
        kept = restore_kept_input(request)
        form = CampaignForm(kept, lab=campaign.lab, prefix="campaign", instance=campaign) if kept else None
        return _campaign_page(request, campaign, form=form)
    form = CampaignForm(request.POST, lab=campaign.lab, prefix="campaign", instance=campaign)
    if form.is_valid():
        try:
            services.campaign_update(
                campaign=campaign,
                updated_by=request.user,
                open_to=list(form.cleaned_data["open_to"]),
                **_campaign_fields(form),
            )
        except ValidationError as error:
            campaign.refresh_from_db()
            apply_errors(form, error)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("challenges:lab_campaign", lab_slug=campaign.lab.slug, pk=campaign.pk)
    return _campaign_page(request, campaign, form=form)


@login_required
@require_POST
def criterion_add(request, lab_slug, pk):
    campaign = _staff_campaign(request, lab_slug, pk)
    form = CriterionForm(request.POST, languages=campaign.lab.languages, prefix="criterion")
    if form.is_valid():
        try:
            services.criterion_save(
                campaign=campaign,
                saved_by=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The criterion is added."))
            return redirect("challenges:lab_campaign", lab_slug=campaign.lab.slug, pk=campaign.pk)
    return _campaign_page(request, campaign, criterion_form=form)


def _campaign_criterion(request, lab_slug, pk, criterion_pk):
    campaign = _staff_campaign(request, lab_slug, pk)
    criterion = campaign.criteria.filter(pk=criterion_pk).first()
    if criterion is None:
        raise Http404
    return campaign, criterion


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, lab_slug, pk, criterion_pk):
    campaign, criterion = _campaign_criterion(request, lab_slug, pk, criterion_pk)
    lab = campaign.lab
    form = CriterionForm(
        request.POST or None,
        languages=lab.languages,
        prefix="criterion",
        instance=criterion,
        initial={"name": criterion.name, "description": criterion.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(
                campaign=campaign,
                saved_by=request.user,
                criterion=criterion,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The criterion is saved."))
            return redirect("challenges:lab_campaign", lab_slug=lab.slug, pk=campaign.pk)
    return render(
        request,
        "challenges/lab/criterion_form.html",
        _context(lab, "campaigns", campaign=campaign, criterion=criterion, form=form),
    )


@login_required
@require_POST
def criterion_move(request, lab_slug, pk, criterion_pk, direction):
    campaign, criterion = _campaign_criterion(request, lab_slug, pk, criterion_pk)
    if direction not in ("up", "down"):
        raise Http404
    criteria = list(campaign.criteria.order_by("position", "pk"))
    index = next(i for i, item in enumerate(criteria) if item.pk == criterion.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(criteria):
        criteria[index], criteria[other] = criteria[other], criteria[index]
        with transaction.atomic():
            for position, item in enumerate(criteria, start=1):
                if item.position != position:
                    services.criterion_save(
                        campaign=campaign,
                        saved_by=request.user,
                        criterion=item,
                        name=item.name,
                        description=item.description,
                        position=position,
                    )
        messages.success(request, _("The criteria are reordered."))
    return redirect(reverse("challenges:lab_campaign", args=[campaign.lab.slug, campaign.pk]) + "#criteria")


@login_required
@require_POST
def criterion_remove(request, lab_slug, pk, criterion_pk):
    campaign, criterion = _campaign_criterion(request, lab_slug, pk, criterion_pk)
    try:
        services.criterion_remove(criterion=criterion, removed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The criterion is removed."))
    return redirect(reverse("challenges:lab_campaign", args=[campaign.lab.slug, campaign.pk]) + "#criteria")


@login_required
@require_GET
def campaign_export(request, lab_slug, pk):
    campaign = _staff_campaign(request, lab_slug, pk)
    name = f"{campaign.lab.slug}-{campaign.slug}-screening"
    return download(campaign_screening_csv(campaign), name, "csv", dated=False)


# --- Legal regimes -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def legal_regime_list(request, lab_slug):
    lab = _staff_lab(request, lab_slug)
    form = LegalRegimeForm(request.POST or None, languages=lab.languages, prefix="regime")
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_regime_save(lab=lab, saved_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The legal regime is added."))
            return redirect("challenges:lab_legal_regimes", lab_slug=lab.slug)
    regimes = LegalRegime.objects.filter(lab=lab).order_by("-is_active", "pk")
    return render(
        request,
        "challenges/lab/legal_regime_list.html",
        _context(lab, "legal_regimes", regimes=regimes, form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def legal_regime_edit(request, lab_slug, pk):
    lab = _staff_lab(request, lab_slug)
    regime = LegalRegime.objects.filter(lab=lab, pk=pk).first()
    if regime is None:
        raise Http404
    form = LegalRegimeForm(
        request.POST or None,
        languages=lab.languages,
        prefix="regime",
        instance=regime,
        initial={
            "name": regime.name,
            "description": regime.description,
            "source_url": regime.source_url,
            "is_active": regime.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_regime_save(lab=lab, saved_by=request.user, regime=regime, **form.cleaned_data)
        except ValidationError as error:
            regime.refresh_from_db()
            apply_errors(form, error)
        else:
            messages.success(request, _("The legal regime is saved."))
            return redirect("challenges:lab_legal_regimes", lab_slug=lab.slug)
    return render(
        request,
        "challenges/lab/legal_regime_form.html",
        _context(lab, "legal_regimes", regime=regime, form=form),
    )


# --- The screening board -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def screening_board(request, lab_slug):
    lab = _staff_lab(request, lab_slug)
    campaigns = IntakeCampaign.objects.filter(lab=lab).order_by("-opens_at", "pk")
    filters = BoardFilterForm(request.GET or None, campaigns=campaigns)
    campaign, status = None, ""
    if filters.is_valid():
        campaign, status = filters.cleaned_data["campaign"], filters.cleaned_data["status"]
    challenges, counts = selectors.lab_board_challenges(lab=lab, campaign=campaign, status=status)
    results = None
    selected = set(request.POST.getlist("batch-challenges")) if request.method == "POST" else set()
    batch = BatchDecisionForm(
        request.POST if request.method == "POST" else None,
        challenges=Challenge.objects.filter(lab=lab).exclude(status=ChallengeStatus.DRAFT),
        prefix="batch",
    )
    if request.method == "POST" and batch.is_valid():
        chosen = sorted(batch.cleaned_data["challenges"], key=lambda c: c.reference)
        results = services.challenges_transition_batch(
            challenges=chosen,
            target=batch.cleaned_data["target"],
            actor=request.user,
            reason=batch.cleaned_data["reason"],
            decline_reason=batch.cleaned_data["decline_reason"],
        )
        batch = BatchDecisionForm(challenges=batch.fields["challenges"].queryset, prefix="batch")
        selected = set()
    page = Paginator(challenges, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    state_counts = [
        {"value": value, "label": ChallengeStatus(value).label, "count": counts.get(value, 0)}
        for value in selectors.PIPELINE_ORDER
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "challenges/lab/board.html",
        _context(
            lab,
            "board",
            filters=filters,
            page=page,
            state_counts=state_counts,
            total=sum(counts.values()),
            batch=batch,
            results=results,
            selected=selected,
            selected_status=status,
            selected_campaign=campaign,
            query=query.urlencode(),
        ),
    )


# --- Screening one challenge -------------------------------------------------------------------


def _lab_decisions(challenge) -> list[tuple[str, str]]:
    """The decisions the lab's team may take now, except the gated one (it lives on the characterisation)."""
    return [
        (transition.target, transition.label)
        for transition in transitions_from(challenge.status)
        if LAB in transition.actors and not transition.gate
    ]


def _assessment_forms(challenge, criteria, data=None):
    assessments = selectors.challenge_assessments(challenge)
    forms_ = []
    for criterion in criteria:
        assessment = assessments.get(criterion.pk)
        form = AssessmentForm(
            data,
            prefix=f"criterion-{criterion.pk}",
            initial={"answer": assessment.answer, "note": assessment.note} if assessment else None,
        )
        forms_.append({"criterion": criterion, "form": form, "assessment": assessment})
    return forms_


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def challenge_screening(request, lab_slug, reference):
    challenge = _staff_challenge(request, lab_slug, reference)
    lab = challenge.lab
    criteria = list(challenge.campaign.criteria.order_by("position", "pk")) if challenge.campaign else []
    if request.method == "POST":
        data = request.POST
    else:
        # What was typed before the session ended, bound to its form again; nothing is saved until posted.
        data = restore_kept_input(request)
        if data is not None and data.get("action") not in ("assess", "decide", "priority"):
            data = None
    action = data.get("action") if data is not None else None
    assessments = _assessment_forms(challenge, criteria, data if action == "assess" else None)
    decisions = _lab_decisions(challenge)
    decision = DecisionForm(data if action == "decide" else None, choices=decisions, prefix="decision")
    priority = PriorityForm(
        data if action == "priority" else None,
        prefix="priority",
        initial={"rank": challenge.priority_rank},
    )
    assess_errors: list[str] = []
    url = reverse("challenges:lab_screening", args=[lab.slug, challenge.reference])
    if request.method == "GET":
        pass  # a restored form is shown as typed, and saved only when it is posted
    elif action == "assess" and all(item["form"].is_valid() for item in assessments):
        try:
            with transaction.atomic():
                for item in assessments:
                    services.challenge_assess_criterion(
                        challenge=challenge,
                        criterion=item["criterion"],
                        answer=item["form"].cleaned_data["answer"],
                        note=item["form"].cleaned_data["note"],
                        assessed_by=request.user,
                    )
        except ValidationError as error:
            assess_errors = list(error.messages)
        else:
            messages.success(request, _("The screening answers are saved."))
            return redirect(url + "#criteria")
    elif action == "decide" and decision.is_valid():
        try:
            services.challenge_transition(
                challenge=challenge,
                target=decision.cleaned_data["target"],
                actor=request.user,
                reason=decision.cleaned_data["reason"],
                decline_reason=decision.cleaned_data["decline_reason"],
            )
        except ValidationError as error:
            apply_errors(decision, error)
        else:
            messages.success(
                request,
                _("The challenge is now: %(status)s.") % {"status": challenge.get_status_display().lower()},
            )
            return redirect(url)
    elif action == "priority" and priority.is_valid():
        try:
            services.challenge_set_priority(
                challenge=challenge, rank=priority.cleaned_data["rank"], set_by=request.user
            )
        except ValidationError as error:
            apply_errors(priority, error, {"priority_rank": "rank"})
        else:
            messages.success(request, _("The priority is saved."))
            return redirect(url + "#priority")
    elif action not in (None, "assess", "decide", "priority"):
        raise Http404
    return render(
        request,
        "challenges/lab/screening.html",
        _context(
            lab,
            "board",
            challenge=challenge,
            assessments=assessments,
            assess_errors=assess_errors,
            can_assess=challenge.status
            in (ChallengeStatus.SUBMITTED, ChallengeStatus.IN_SCREENING, ChallengeStatus.MORE_INFO_REQUESTED),
            decision=decision,
            priority=priority,
            can_prioritise=challenge.status in PRIORITISED and challenge.campaign_id is not None,
            timeline=selectors.challenge_timeline(challenge),
        ),
    )


# --- Characterisation --------------------------------------------------------------------------


def _team_users(challenge):
    from django.contrib.auth import get_user_model

    user_ids = OrganisationMembership.objects.filter(
        organisation_id__in=[challenge.owner_id, *[o.pk for o in challenge.co_owners.all()]]
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "pk")


def _characterisation_initial(challenge) -> dict:
    return {
        "version": challenge.version,
        "technical_characteristics": challenge.technical_characteristics,
        "required_functionalities": challenge.required_functionalities,
        "expected_duration_months": challenge.expected_duration_months,
        "estimated_cost": challenge.estimated_cost,
        "estimated_cost_currency": challenge.estimated_cost_currency,
        "legal_regime": challenge.legal_regime_id,
        "pilot_infrastructure": challenge.pilot_infrastructure,
        "pilot_infrastructure_available": challenge.pilot_infrastructure_available,
    }


def _handle_characterise(request, challenge, form) -> bool:
    if not form.is_valid():
        return False
    fields = {name: value for name, value in form.cleaned_data.items() if name != "version"}
    try:
        services.challenge_characterise(
            challenge=challenge,
            updated_by=request.user,
            expected_version=form.cleaned_data["version"],
            **fields,
        )
    except services.ConflictError as error:
        challenge.refresh_from_db()
        form.add_error(None, error.messages[0])
        # Keep what was typed; a second save, made knowingly, replaces the other person's version.
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(challenge.version)
        return False
    except ValidationError as error:
        challenge.refresh_from_db()
        apply_errors(form, error)
        return False
    messages.success(request, _("The characterisation is saved."))
    return True


def _handle_budget(request, challenge, form) -> bool:
    if not form.is_valid():
        return False
    try:
        services.challenge_confirm_budget(
            challenge=challenge,
            confirmed_by=request.user,
            amount=form.cleaned_data["budget_amount"],
            currency=form.cleaned_data["budget_currency"],
            source=form.cleaned_data["budget_source"],
        )
    except ValidationError as error:
        challenge.refresh_from_db()
        apply_errors(form, error)
        return False
    messages.success(request, _("The budget is confirmed."))
    return True


def _handle_team_add(request, challenge, form) -> bool:
    if not form.is_valid():
        return False
    try:
        services.team_member_add(challenge=challenge, added_by=request.user, **form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return False
    messages.success(request, _("The team member is added."))
    return True


def _handle_transition(request, challenge, form, target) -> bool:
    if not form.is_valid():
        return False
    try:
        services.challenge_transition(
            challenge=challenge,
            target=target,
            actor=request.user,
            override_justification=form.cleaned_data.get("override_justification", ""),
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "not_ready":
            form.add_error(None, _("The readiness checklist is not met yet."))
        else:
            apply_errors(form, error)
        return False
    messages.success(
        request, _("The challenge is now: %(status)s.") % {"status": challenge.get_status_display().lower()}
    )
    return True


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def challenge_characterise(request, lab_slug, reference):
    challenge = _staff_challenge(request, lab_slug, reference)
    lab = challenge.lab
    editable = challenge.status in CHARACTERISATION_EDITABLE
    actions = ("characterise", "budget", "team", "start", "ready")
    if request.method == "POST":
        post = request.POST
    else:
        # What was typed before the session ended, bound to its form again; nothing is saved until posted.
        post = restore_kept_input(request)
        if post is not None and (post.get("action") not in actions or not editable):
            post = None
    action = post.get("action") if post is not None else None
    if action is not None and (action not in actions or not editable):
        raise Http404
    details = CharacterisationForm(
        post if action == "characterise" else None,
        lab=lab,
        prefix="details",
        instance=challenge,
        initial=_characterisation_initial(challenge),
    )
    budget = BudgetForm(
        post if action == "budget" else None,
        prefix="budget",
        initial={
            "budget_amount": challenge.budget_amount,
            "budget_currency": challenge.budget_currency or lab.currency,
            "budget_source": challenge.budget_source,
        },
    )
    team = TeamMemberForm(post if action == "team" else None, prefix="team", users=_team_users(challenge))
    start = MarkReadyForm(post if action == "start" else None, prefix="start")
    ready = MarkReadyForm(post if action == "ready" else None, prefix="ready")
    done = False
    if request.method != "POST":
        pass  # a restored form is shown as typed, and saved only when it is posted
    elif action == "characterise":
        done = _handle_characterise(request, challenge, details)
    elif action == "budget":
        done = _handle_budget(request, challenge, budget)
    elif action == "team":
        done = _handle_team_add(request, challenge, team)
    elif action == "start":
        done = _handle_transition(request, challenge, start, ChallengeStatus.CHARACTERISING)
    elif action == "ready":
        done = _handle_transition(request, challenge, ready, ChallengeStatus.READY_FOR_CALL)
    if done:
        return redirect("challenges:lab_characterise", lab_slug=lab.slug, reference=challenge.reference)
    worksheets = selectors.challenge_worksheets(challenge)
    worksheet_rows = [
        {"kind": kind, "label": label, "worksheet": worksheets.get(kind)}
        for kind, label in WorksheetKind.choices
    ]
    return render(
        request,
        "challenges/lab/characterise.html",
        _context(
            lab,
            "board",
            challenge=challenge,
            editable=editable,
            details=details,
            budget=budget,
            team_form=team,
            team=list(challenge.team.all()),
            start_form=start,
            ready_form=ready,
            can_start=challenge.status == ChallengeStatus.ACCEPTED,
            can_mark_ready=challenge.status == ChallengeStatus.CHARACTERISING,
            can_override=request.user.has_perm("challenges.override_readiness", challenge),
            gaps=services.challenge_readiness_gaps(challenge),
            worksheet_rows=worksheet_rows,
            regime_name=pick(challenge.legal_regime.name, preferred=lab.languages).text
            if challenge.legal_regime
            else "",
        ),
    )


@login_required
@require_POST
def team_member_remove(request, lab_slug, reference, member_pk):
    challenge = _staff_challenge(request, lab_slug, reference)
    member = challenge.team.filter(pk=member_pk).first()
    if member is None or challenge.status not in CHARACTERISATION_EDITABLE:
        raise Http404
    services.team_member_remove(member=member, removed_by=request.user)
    messages.success(request, _("The team member is removed."))
    return redirect(
        reverse("challenges:lab_characterise", args=[challenge.lab.slug, challenge.reference]) + "#team"
    )


def _worksheet_display(kind: str, data: dict) -> list[dict]:
    """A worksheet version's content, field by field, for reading."""
    shown = []
    for field in WORKSHEET_FIELDS[kind]:
        value = data.get(field.name)
        item = {"label": field.label, "type": field.type, "value": value}
        if field.type == "rows":
            item["columns"] = [label for _name, label in field.columns]
            item["value"] = [[row.get(name, "") for name, _label in field.columns] for row in value or []]
        shown.append(item)
    return shown


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def worksheet_edit(request, lab_slug, reference, kind):
    challenge = _staff_challenge(request, lab_slug, reference)
    if kind not in WorksheetKind.values:
        raise Http404
    lab = challenge.lab
    worksheet = selectors.challenge_worksheets(challenge).get(kind)
    versions = list(selectors.worksheet_versions(worksheet)) if worksheet else []
    current = versions[0].data if versions else {}
    base_version = worksheet.current_version if worksheet else 0
    editable = challenge.status in CHARACTERISATION_EDITABLE
    if request.method == "POST" and not editable:
        raise Http404
    data = request.POST if request.method == "POST" else (restore_kept_input(request) if editable else None)
    form = WorksheetForm(
        data or None,
        kind=kind,
        current=current,
        prefix="worksheet",
        initial={"base_version": base_version, "complete": worksheet.is_complete if worksheet else False},
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["base_version"] != base_version:
            form.add_error(
                None,
                _(
                    "Someone else saved this worksheet while you were editing it. Your changes were not "
                    "saved: they are still below. Compare them with the latest version in the history, "
                    "then save again."
                ),
            )
            form.data = form.data.copy()
            form.data[form.add_prefix("base_version")] = str(base_version)
        else:
            try:
                services.worksheet_save(
                    challenge=challenge,
                    kind=kind,
                    data=form.worksheet_data(),
                    saved_by=request.user,
                    complete=form.cleaned_data["complete"],
                    expected_version=base_version,
                )
            except ValidationError as error:
                form.apply_worksheet_errors(error)
            else:
                messages.success(request, _("The worksheet is saved as a new version."))
                return redirect("challenges:lab_worksheet", lab_slug=lab.slug, reference=reference, kind=kind)
    history = [
        {"version": version, "content": _worksheet_display(kind, version.data)} for version in versions
    ]
    return render(
        request,
        "challenges/lab/worksheet.html",
        _context(
            lab,
            "board",
            challenge=challenge,
            kind=kind,
            kind_label=WorksheetKind(kind).label,
            worksheet=worksheet,
            form=form,
            editable=editable,
            history=history,
        ),
    )
