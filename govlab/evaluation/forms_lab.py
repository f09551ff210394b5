"""Forms of the lab's evaluation pages: the panel, assignment, consensus, preselection and feedback.

The forms only read and check input; every write goes through ``services``. A service's refusal is put
back on the form with ``apply_errors`` (by field where the form has it). The review deadline is typed as a
wall-clock time in the call's time zone and turned into UTC here (``local_to_utc``).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from govlab.calls.forms_lab import LocalDateTimeField
from govlab.challenges.forms_lab import LabForm, apply_errors
from govlab.core.forms import StyledErrorsForm
from govlab.core.i18n import TranslatedFormField, pick
from govlab.core.timezones import local_to_utc, utc_to_local
from govlab.taxonomy.enums import Vocabulary
from govlab.taxonomy.models import Term

from .enums import NOT_SELECTED_REASONS, SELECTED_REASONS, EvaluatorRole, OutcomeReason, SeeOthers

__all__ = [
    "ConsensusForm",
    "EvaluatorAddForm",
    "FeedbackPrepareForm",
    "FeedbackTemplateForm",
    "PhaseForm",
    "PreselectionForm",
    "RankingFilterForm",
    "SettingsForm",
    "apply_errors",
]

User = get_user_model()


def user_label(user) -> str:
    name = getattr(user, "full_name", "") or ""
    return f"{name} ({user.email})" if name else user.email


# --- The panel ---------------------------------------------------------------------------------


class SettingsForm(StyledErrorsForm):
    reviews_per_application = forms.IntegerField(
        label=_("Evaluators per application"), min_value=1, max_value=10
    )
    prefer_expertise = forms.BooleanField(
        label=_("Prefer evaluators whose expertise matches the challenge"),
        required=False,
        help_text=_("Automatic assignment then picks them first among the least loaded."),
    )
    disagreement_threshold = forms.DecimalField(
        label=_("Disagreement threshold"),
        min_value=Decimal("0"),
        max_digits=5,
        decimal_places=2,
        help_text=_(
            "Standard deviation of the weighted totals (0–100) above which the evaluators of an "
            "application are shown as disagreeing."
        ),
    )
    review_deadline = LocalDateTimeField(label=_("Reviews due"), required=False)

    def __init__(self, *args, call, settings=None, **kwargs):
        if settings is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "reviews_per_application": settings.reviews_per_application,
                "prefer_expertise": settings.prefer_expertise,
                "disagreement_threshold": settings.disagreement_threshold,
                "review_deadline": utc_to_local(settings.review_deadline, call.time_zone),
            }
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["review_deadline"].help_text = _("Local time in %(zone)s.") % {"zone": call.time_zone}

    def clean(self):
        cleaned = super().clean()
        deadline = cleaned.get("review_deadline")
        if deadline is not None and deadline.tzinfo is None:
            try:
                cleaned["review_deadline"] = local_to_utc(deadline, self.call.time_zone)
            except ValidationError as error:
                self.add_error("review_deadline", error)
        return cleaned


class PhaseForm(LabForm):
    name = TranslatedFormField(label=_("Name"), max_length=200)
    can_review = forms.BooleanField(
        label=_("Evaluators may write and revise reviews"), required=False, initial=True
    )
    see_others = forms.ChoiceField(
        label=_("Evaluators see the other reviews"),
        choices=SeeOthers.choices,
        initial=SeeOthers.NEVER,
        widget=forms.RadioSelect,
    )
    identities_visible = forms.BooleanField(
        label=_("Evaluators see who applied"),
        required=False,
        help_text=_(
            "Off: blind evaluation — the organisation, its people and identifying answers are hidden."
        ),
    )

    def __init__(self, *args, lab, phase=None, **kwargs):
        if phase is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": phase.name,
                "can_review": phase.can_review,
                "see_others": phase.see_others,
                "identities_visible": phase.identities_visible,
            }
        super().__init__(*args, languages=lab.languages, instance=phase, **kwargs)


class EvaluatorAddForm(StyledErrorsForm):
    """Add one of the lab's members to the panel, chosen from a list or by e-mail address."""

    member = forms.ModelChoiceField(
        label=_("Member of the lab"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose a person"),
    )
    email = forms.EmailField(
        label=_("Or their e-mail address"),
        required=False,
        help_text=_("The person must already be a member of the lab's team."),
    )
    role = forms.ChoiceField(label=_("Role on the panel"), choices=EvaluatorRole.choices)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Expertise: sectors"),
        queryset=Term.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    technologies = forms.ModelMultipleChoiceField(
        label=_("Expertise: technologies"),
        queryset=Term.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        members = User.objects.filter(lab_memberships__lab_id=call.lab_id).distinct()
        self.members = members
        active = call.evaluators.filter(removed_at__isnull=True).values("user_id")
        choices = members.exclude(pk__in=active).order_by("full_name", "email", "pk")
        self.fields["member"].queryset = choices
        self.fields["member"].label_from_instance = user_label
        self.fields["sectors"].queryset = Term.objects.of(Vocabulary.SECTOR)
        self.fields["technologies"].queryset = Term.objects.of(Vocabulary.TECHNOLOGY)
        for name in ("sectors", "technologies"):
            self.fields[name].label_from_instance = lambda term: pick(term.name).text or term.code

    def clean(self):
        cleaned = super().clean()
        member, email = cleaned.get("member"), cleaned.get("email")
        if member is None and not email and "email" not in self.errors:
            self.add_error("member", _("Choose a member of the lab, or give their e-mail address."))
        elif member is None and email:
            found = self.members.filter(email__iexact=email).first()
            if found is None:
                self.add_error(
                    "email",
                    _("No member of this lab has this e-mail address. Add them to the lab's team first."),
                )
            else:
                cleaned["member"] = found
        elif member is not None and email and member.email.lower() != email.lower():
            self.add_error("email", _("This address is not the one of the person chosen above."))
        return cleaned

    def expertise(self) -> list:
        return [*self.cleaned_data.get("sectors", []), *self.cleaned_data.get("technologies", [])]


# --- Ranking -----------------------------------------------------------------------------------

# Server-side orders only, none by organisation: sorting must not reveal what blind mode hides.
SORTS = (
    ("rank", _("Rank (final score)")),
    ("reference", _("Reference")),
    ("reviews", _("Fewest reviews first")),
    ("spread", _("Widest disagreement first")),
)


class RankingFilterForm(forms.Form):
    """One challenge at a time (the view defaults to the first) and one of the orders blind mode allows."""

    challenge = forms.ModelChoiceField(label=_("Challenge"), queryset=None, required=False, empty_label=None)
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False)

    def __init__(self, *args, challenges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = challenges
        self.fields["challenge"].label_from_instance = lambda challenge: (
            f"{challenge.reference} — {pick(challenge.title).text}"
        )


# --- Consensus ---------------------------------------------------------------------------------


class ConsensusForm(StyledErrorsForm):
    """One final score per criterion (on its scale) with a rationale; a criterion left empty is not set."""

    def __init__(self, *args, criteria, existing=None, languages=None, **kwargs):
        existing = existing or {}
        initial = kwargs.pop("initial", None) or {}
        for criterion in criteria:
            given = existing.get(criterion.pk)
            if given is not None:
                initial.setdefault(f"score_{criterion.pk}", str(given.score))
                initial.setdefault(f"rationale_{criterion.pk}", given.rationale)
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            name = pick(criterion.name, preferred=languages).text
            levels = [
                (
                    str(level["value"]),
                    f"{level['value']} — {pick(level.get('label'), preferred=languages).text}",
                )
                for level in criterion.scale or []
            ]
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=_("%(criterion)s: final score") % {"criterion": name},
                choices=[("", _("No consensus score (keep the computed one)")), *levels],
                required=False,
            )
            self.fields[f"rationale_{criterion.pk}"] = forms.CharField(
                label=_("%(criterion)s: rationale") % {"criterion": name},
                max_length=5000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
                help_text=_("Required with a final score; recorded in the audit trail."),
            )
            if criterion.pk in existing:
                self.fields[f"clear_{criterion.pk}"] = forms.BooleanField(
                    label=_("Remove the lab's score (the evaluators' mean counts again)"),
                    required=False,
                )

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            if cleaned.get(f"clear_{criterion.pk}"):
                continue
            score = cleaned.get(f"score_{criterion.pk}")
            if score not in (None, "") and not (cleaned.get(f"rationale_{criterion.pk}") or "").strip():
                self.add_error(f"rationale_{criterion.pk}", _("Give the reason for this final score."))
        return cleaned

    def rows(self):
        """(criterion, score, rationale, clear-or-None bound fields) per criterion, for the template."""
        return [
            (
                criterion,
                self[f"score_{criterion.pk}"],
                self[f"rationale_{criterion.pk}"],
                self[f"clear_{criterion.pk}"] if f"clear_{criterion.pk}" in self.fields else None,
            )
            for criterion in self.criteria
        ]

    def cleared(self) -> list:
        """The criteria whose stored lab score is to be removed (the box ticked wins over a score)."""
        return [criterion for criterion in self.criteria if self.cleaned_data.get(f"clear_{criterion.pk}")]

    def changed_scores(self, existing) -> list[tuple]:
        """(criterion, score, rationale) for each criterion given a score that differs from what is stored."""
        result = []
        for criterion in self.criteria:
            score = self.cleaned_data.get(f"score_{criterion.pk}")
            if score in (None, "") or self.cleaned_data.get(f"clear_{criterion.pk}"):
                continue
            rationale = self.cleaned_data.get(f"rationale_{criterion.pk}", "").strip()
            given = existing.get(criterion.pk)
            if given is not None and given.score == int(score) and given.rationale == rationale:
                continue
            result.append((criterion, int(score), rationale))
        return result


# --- Preselection ------------------------------------------------------------------------------


class PreselectionForm(StyledErrorsForm):
    """For every submitted application of a challenge: selected or not, a reason category and why."""

    def __init__(self, *args, applications, max_selected: int, existing=None, **kwargs):
        existing = existing or {}
        initial = kwargs.pop("initial", None) or {}
        for application in applications:
            decision = existing.get(application.pk)
            if decision is not None:
                initial.setdefault(f"selected_{application.pk}", decision.selected)
                initial.setdefault(f"reason_category_{application.pk}", decision.reason_category)
                initial.setdefault(f"reason_{application.pk}", decision.reason)
        super().__init__(*args, initial=initial, **kwargs)
        self.applications = list(applications)
        self.max_selected = max_selected
        for application in self.applications:
            reference = application.reference
            self.fields[f"selected_{application.pk}"] = forms.BooleanField(
                label=_("Preselect %(reference)s") % {"reference": reference}, required=False
            )
            self.fields[f"reason_category_{application.pk}"] = forms.ChoiceField(
                label=_("Reason for %(reference)s") % {"reference": reference},
                choices=[("", _("Choose a reason")), *OutcomeReason.choices],
            )
            self.fields[f"reason_{application.pk}"] = forms.CharField(
                label=_("Explanation for %(reference)s") % {"reference": reference},
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
                help_text=_("Sent to the applicant in their feedback letter."),
            )

    def clean(self):
        cleaned = super().clean()
        selected = [a for a in self.applications if cleaned.get(f"selected_{a.pk}")]
        if len(selected) > self.max_selected:
            raise ValidationError(
                _(
                    "You selected %(count)d applications; this call preselects at most %(max)d per "
                    "challenge. Untick %(extra)d of them."
                )
                % {
                    "count": len(selected),
                    "max": self.max_selected,
                    "extra": len(selected) - self.max_selected,
                },
                code="limit",
            )
        for application in self.applications:
            category = cleaned.get(f"reason_category_{application.pk}")
            if not category:
                continue
            is_selected = bool(cleaned.get(f"selected_{application.pk}"))
            allowed = SELECTED_REASONS if is_selected else NOT_SELECTED_REASONS
            if category not in allowed:
                self.add_error(
                    f"reason_category_{application.pk}",
                    _("This reason is for a selected application.")
                    if not is_selected
                    else _("This reason is for an application that is not selected."),
                )
        return cleaned

    def rows(self):
        return [
            (
                application,
                self[f"selected_{application.pk}"],
                self[f"reason_category_{application.pk}"],
                self[f"reason_{application.pk}"],
            )
            for application in self.applications
        ]

    def decisions(self) -> dict:
        return {
            application.pk: {
                "selected": bool(self.cleaned_data.get(f"selected_{application.pk}")),
                "reason_category": self.cleaned_data[f"reason_category_{application.pk}"],
                "reason": self.cleaned_data[f"reason_{application.pk}"],
            }
            for application in self.applications
        }

    def apply_service_error(self, error: ValidationError) -> None:
        """A refusal named "decisions.<id>.<field>", "<id>.<field>" or "<field>_<id>" goes to its input."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for name, messages in error.message_dict.items():
            parts = name.split(".")
            if parts and parts[0] == "decisions":
                parts = parts[1:]
            target = None
            if len(parts) == 2 and parts[0].isdigit():
                target = f"{parts[1]}_{parts[0]}"
            elif name in self.fields:
                target = name
            elif len(parts) == 1 and parts[0].isdigit():
                target = f"reason_category_{parts[0]}"
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


# --- Feedback ----------------------------------------------------------------------------------


class FeedbackTemplateForm(StyledErrorsForm):
    subject = forms.CharField(
        label=_("Subject"), max_length=300, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    body = forms.CharField(
        label=_("Letter"), max_length=20000, widget=forms.Textarea(attrs={"rows": 16, "dir": "auto"})
    )

    def __init__(self, *args, placeholders=(), **kwargs):
        super().__init__(*args, **kwargs)
        listed = ", ".join("{" + name + "}" for name in placeholders)
        self.fields["body"].help_text = _("Placeholders you may use: %(placeholders)s.") % {
            "placeholders": listed
        }


class FeedbackPrepareForm(StyledErrorsForm):
    """Which reviews' comments the letters release (anonymised), for one challenge or all."""

    challenge = forms.ModelChoiceField(
        label=_("Challenge"), queryset=None, required=False, empty_label=_("All challenges")
    )
    released = forms.MultipleChoiceField(
        label=_("Comments released to the applicants"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, challenges, reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = challenges
        self.fields["challenge"].label_from_instance = lambda challenge: (
            f"{challenge.reference} — {pick(challenge.title).text}"
        )
        self.fields["released"].choices = [(str(review.pk), str(review.pk)) for review in reviews]

    def released_ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data.get("released", [])]
