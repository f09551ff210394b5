"""Forms of the strengthening pages. They only read and check input; every write goes through ``services``,
whose refusals are put back on the form with ``apply_errors``. Times are typed as wall-clock times in the
lab's time zone and turned into instants here."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govlab.calls.forms_lab import LocalDateTimeField
from govlab.challenges.forms_lab import apply_errors
from govlab.core.forms import DateInput, StyledErrorsForm
from govlab.core.i18n import TranslatedFormField, pick
from govlab.core.timezones import local_to_utc
from govlab.organisations.enums import TRL_LEVELS
from govlab.taxonomy.models import Term

from .enums import ActionStatus, ActivityKind, AssessmentKind

__all__ = ["apply_errors"]

User = get_user_model()
DATE = {"widget": DateInput, "input_formats": ["%Y-%m-%d"]}
HOURS = {"min_value": 0, "max_value": 10000, "max_digits": 7, "decimal_places": 2}


def user_label(user) -> str:
    name = getattr(user, "full_name", "") or ""
    return f"{name} ({user.email})" if name else user.email


class ZonedForm(StyledErrorsForm):
    """Turns its LocalDateTimeFields into instants in ``zone``."""

    def __init__(self, *args, zone: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if isinstance(field, LocalDateTimeField) and value is not None:
                try:
                    cleaned[name] = local_to_utc(value, self.zone)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned


class ProgrammeStartForm(StyledErrorsForm):
    title = TranslatedFormField(label=_("Title"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Starts"), **DATE)
    ends_on = forms.DateField(label=_("Ends"), required=False, **DATE)

    def __init__(self, *args, languages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if languages:
            self.fields["title"].set_languages(languages)


class BootcampForm(ZonedForm):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea, max_length=5000
    )
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))
    place = forms.CharField(label=_("Place"), required=False, max_length=300)
    link = forms.URLField(label=_("Link to join online"), required=False, assume_scheme="https")
    facilitator = forms.CharField(label=_("Facilitator"), required=False, max_length=200)
    materials_url = forms.URLField(label=_("Materials (link)"), required=False, assume_scheme="https")
    materials_file = forms.FileField(label=_("Materials (file)"), required=False)
    capacity = forms.IntegerField(
        label=_("Places"), required=False, min_value=1, help_text=_("Leave empty for no limit.")
    )


class AttendanceForm(StyledErrorsForm):
    """One row per registration: attended (yes / no) and hours."""

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = list(registrations)
        for registration in self.registrations:
            name = user_label(registration.person)
            self.fields[f"attended_{registration.pk}"] = forms.TypedChoiceField(
                label=_("%(name)s attended") % {"name": name},
                choices=[("", _("Not recorded")), ("yes", _("Yes")), ("no", _("No"))],
                required=False,
                initial={True: "yes", False: "no"}.get(registration.attended, ""),
            )
            self.fields[f"hours_{registration.pk}"] = forms.DecimalField(
                label=_("Hours of %(name)s") % {"name": name},
                required=False,
                initial=registration.hours,
                help_text=_("Empty: the bootcamp's length for those who attended."),
                **HOURS,
            )

    def rows(self) -> list[dict]:
        rows = []
        for registration in self.registrations:
            value = self.cleaned_data.get(f"attended_{registration.pk}")
            if value in ("yes", "no"):
                rows.append(
                    {
                        "registration": registration.pk,
                        "attended": value == "yes",
                        "hours": self.cleaned_data.get(f"hours_{registration.pk}"),
                    }
                )
        return rows


class RegistrationForm(StyledErrorsForm):
    bootcamp = forms.ModelChoiceField(label=_("Bootcamp"), queryset=None, empty_label=_("Choose a bootcamp"))
    person = forms.ModelChoiceField(label=_("Who attends"), queryset=None, empty_label=_("Choose a person"))

    def __init__(self, *args, bootcamps, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bootcamp"].queryset = bootcamps
        self.fields["person"].queryset = User.objects.filter(pk__in=[p.pk for p in people])
        self.fields["person"].label_from_instance = user_label


class MentorAddForm(StyledErrorsForm):
    email = forms.EmailField(
        label=_("E-mail address of the mentor"), help_text=_("They must have an account.")
    )
    expertise = forms.CharField(label=_("Expertise"), required=False, widget=forms.Textarea, max_length=2000)
    terms = forms.ModelMultipleChoiceField(
        label=_("Sectors and technologies"),
        queryset=Term.objects.filter(vocabulary__in=["sector", "technology"]),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["terms"].label_from_instance = lambda term: pick(term.name).text or term.code

    def clean_email(self):
        user = User.objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise ValidationError(_("No one has an account with this address."))
        self.user = user
        return self.cleaned_data["email"]


class MentorAssignForm(StyledErrorsForm):
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=None, empty_label=_("Choose a mentor"))
    member = forms.ModelChoiceField(label=_("Solver"), queryset=None, empty_label=_("Choose a solver"))

    def __init__(self, *args, mentors, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.application.reference} — {m.application.organisation.name}"
        )


class MentoringSessionForm(StyledErrorsForm):
    ACTION_ROWS = 3

    held_on = forms.DateField(label=_("Held on"), **DATE)
    hours = forms.DecimalField(label=_("Hours"), **HOURS)
    topics = forms.CharField(
        label=_("Topics"), max_length=500, help_text=_("Value proposition, govtech clients, stakeholders…")
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea, max_length=10000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(self.ACTION_ROWS):
            number = index + 1
            self.fields[f"action_{index}_description"] = forms.CharField(
                label=_("Agreed action %(n)d") % {"n": number}, required=False, max_length=500
            )
            self.fields[f"action_{index}_owner"] = forms.CharField(
                label=_("Who does action %(n)d") % {"n": number}, required=False, max_length=200
            )
            self.fields[f"action_{index}_due_on"] = forms.DateField(
                label=_("Action %(n)d is due") % {"n": number}, required=False, **DATE
            )

    def actions(self) -> list[dict]:
        out = []
        for index in range(self.ACTION_ROWS):
            description = self.cleaned_data.get(f"action_{index}_description") or ""
            due_on = self.cleaned_data.get(f"action_{index}_due_on")
            if description or due_on:
                out.append(
                    {
                        "description": description,
                        "owner": self.cleaned_data.get(f"action_{index}_owner") or "",
                        "due_on": due_on,
                    }
                )
        return out


ACTION_FIELD_MAP = {
    f"actions.{i}.{name}": f"action_{i}_{name}"
    for i in range(MentoringSessionForm.ACTION_ROWS)
    for name in ("description", "due_on")
}


class ActionStatusForm(StyledErrorsForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class WorkSessionForm(ZonedForm):
    held_at = LocalDateTimeField(label=_("Held"))
    hours = forms.DecimalField(label=_("Hours"), **HOURS)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea, max_length=5000)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees with an account"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = forms.CharField(
        label=_("Other attendees"), required=False, widget=forms.Textarea, max_length=2000
    )
    minutes = forms.CharField(
        label=pgettext_lazy("meeting notes", "Minutes"),
        required=False,
        widget=forms.Textarea,
        max_length=20000,
    )
    decisions = forms.CharField(label=_("Decisions"), required=False, widget=forms.Textarea, max_length=5000)
    alignment_issues = forms.CharField(
        label=_("Alignment issues"), required=False, widget=forms.Textarea, max_length=5000
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = User.objects.filter(pk__in=[p.pk for p in people]).order_by(
            "full_name", "pk"
        )
        self.fields["attendees"].label_from_instance = user_label


class MilestoneForm(StyledErrorsForm):
    title = forms.CharField(label=_("What"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea, max_length=5000
    )
    due_on = forms.DateField(label=_("Due"), **DATE)


class EvidenceForm(StyledErrorsForm):
    evidence_text = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea, max_length=5000
    )
    evidence_url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    evidence_file = forms.FileField(label=_("File"), required=False)


class MilestoneReviewForm(StyledErrorsForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    review_note = forms.CharField(
        label=_("Note to the solver"),
        required=False,
        widget=forms.Textarea,
        max_length=5000,
        help_text=_("Required to reject: say what is missing."),
    )


class TrlForm(StyledErrorsForm):
    level = forms.TypedChoiceField(label=_("TRL"), choices=TRL_LEVELS, coerce=int, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea, max_length=5000)
    assessed_on = forms.DateField(label=_("Assessed on"), required=False, **DATE)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("Kind"), choices=[(k, AssessmentKind(k).label) for k in kinds], initial=kinds[0]
        )
        for level, label in TRL_LEVELS:
            self.fields[f"evidence_{level}"] = forms.CharField(
                label=_("Evidence for %(level)s") % {"level": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
            )

    def evidence(self) -> dict:
        return {
            str(level): self.cleaned_data.get(f"evidence_{level}")
            for level, _label in TRL_LEVELS
            if self.cleaned_data.get(f"evidence_{level}")
        }


TRL_FIELD_MAP = {f"evidence.{level}": f"evidence_{level}" for level, _label in TRL_LEVELS}


class HoursForm(StyledErrorsForm):
    kind = forms.ChoiceField(label=_("Activity"), choices=ActivityKind.choices, initial=ActivityKind.MVP)
    hours = forms.DecimalField(label=_("Hours"), **HOURS)
    worked_on = forms.DateField(label=_("Date"), **DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"] = forms.ModelChoiceField(
                label=_("Solver"), queryset=members, required=False, empty_label=_("The whole cohort")
            )
            self.fields["member"].label_from_instance = lambda m: (
                f"{m.application.reference} — {m.application.organisation.name}"
            )


class LeaveForm(StyledErrorsForm):
    reason = forms.CharField(label=_("Why the solver leaves"), widget=forms.Textarea, max_length=2000)
