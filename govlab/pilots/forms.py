"""Forms of the pilot pages. They only shape input: every rule is the services' (a refusal comes back on
the form with ``apply_errors``, at the field or the row of the formset it names)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from govlab.challenges.forms_lab import LabForm, apply_errors
from govlab.core.forms import DateInput, StyledErrorsForm
from govlab.core.i18n import TranslatedFormField
from govlab.organisations.enums import HelixSector

from .enums import DESIGN_GROUPS, Arm, Decision, Design, Direction, Group, MetricKind
from .services import MAX_HYPOTHESES

__all__ = [
    "DecisionForm",
    "HypothesisFormSet",
    "ImportForm",
    "MetricFormSet",
    "ObservationForm",
    "PilotForm",
    "UnitsForm",
    "apply_errors",
    "apply_experiment_errors",
]


def participants_field(sector) -> str:
    return f"participants_{sector}"


class PilotForm(LabForm):
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"}))
    objective = TranslatedFormField(label=_("Objective"), max_length=5000, multiline=True)
    design = forms.ChoiceField(
        label=_("Design"),
        choices=Design.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Before/after: the same places measured before the pilot and during it. A/B: two arms you "
            "choose. Randomised: the platform draws the arms of the units from a recorded seed."
        ),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    baseline_starts_on = forms.DateField(
        label=_("Baseline measured from"),
        required=False,
        widget=DateInput,
        help_text=_("Before/after designs: “before” observations are dated from this day until the start."),
    )
    sites = forms.CharField(
        label=_("Sites"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    budget = forms.CharField(label=_("Budget"), required=False, max_length=30)
    risks = forms.CharField(
        label=_("Risks"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    consent_ethics = forms.CharField(
        label=_("Consent and ethics"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("How participants are informed and consent; what data is kept and for how long."),
    )

    def __init__(self, *args, currency: str = "EUR", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].help_text = _("In %(currency)s, the lab's currency.") % {"currency": currency}
        for value, label in HelixSector.choices:
            self.fields[participants_field(value)] = forms.IntegerField(
                label=_("Participants: %(sector)s") % {"sector": label},
                required=False,
                min_value=0,
                max_value=10_000_000,
                help_text=_("Citizens count as civil society.") if value == HelixSector.CIVIL_SOCIETY else "",
            )

    def participants(self) -> dict:
        return {
            value: self.cleaned_data.get(participants_field(value)) or 0
            for value, _label in HelixSector.choices
            if self.cleaned_data.get(participants_field(value)) is not None
        }

    def pilot_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in (
                "title",
                "objective",
                "design",
                "starts_on",
                "ends_on",
                "baseline_starts_on",
                "sites",
                "budget",
                "risks",
                "consent_ethics",
            )
        }

    @staticmethod
    def initial_for(pilot) -> dict:
        initial = {
            name: getattr(pilot, name)
            for name in (
                "title",
                "objective",
                "design",
                "starts_on",
                "ends_on",
                "baseline_starts_on",
                "sites",
                "risks",
                "consent_ethics",
            )
        }
        initial["budget"] = "" if pilot.budget is None else f"{pilot.budget.normalize():f}"
        for row in pilot.participants.all():
            initial[participants_field(row.sector)] = row.count
        return initial


class HypothesisForm(StyledErrorsForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    statement = forms.CharField(
        label=_("Hypothesis"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("If we do …, then … will change, because …"),
    )

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("statement") or "").strip()


HYPOTHESIS_CHOICES = [("", _("—"))] + [
    (str(n), _("Hypothesis %(number)d") % {"number": n}) for n in range(1, MAX_HYPOTHESES + 1)
]


class MetricForm(StyledErrorsForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("Code"), required=False, max_length=50, help_text=_("Used in CSV files, e.g. wait-time.")
    )
    name = forms.CharField(
        label=_("Name"), required=False, max_length=200, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    unit = forms.CharField(label=_("Unit of measure"), required=False, max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=MetricKind.choices, initial=MetricKind.MEAN)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("", "—"), *Direction.choices], required=False
    )
    baseline = forms.CharField(
        label=_("Baseline"), required=False, max_length=30, help_text=_("A rate as a share: 0.45")
    )
    target = forms.CharField(label=_("Target"), required=False, max_length=30)
    how_measured = forms.CharField(
        label=_("How it is measured"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    hypothesis = forms.ChoiceField(label=_("Tests hypothesis"), choices=HYPOTHESIS_CHOICES, required=False)

    def is_blank(self) -> bool:
        return not any(
            (self.cleaned_data.get(name) or "").strip()
            for name in ("code", "name", "unit", "baseline", "target", "how_measured")
        )


class _BaseFormSet(forms.BaseFormSet):
    def filled(self) -> list[tuple[int, forms.Form]]:
        """(form index, form) of the rows that are not blank."""
        return [
            (index, form) for index, form in enumerate(self.forms) if form.is_valid() and not form.is_blank()
        ]


HypothesisFormSet = forms.formset_factory(
    HypothesisForm, formset=_BaseFormSet, extra=2, max_num=MAX_HYPOTHESES
)
MetricFormSet = forms.formset_factory(MetricForm, formset=_BaseFormSet, extra=2, max_num=20)


def hypotheses_data(formset) -> tuple[list[dict], list[int]]:
    rows, indexes = [], []
    for index, form in formset.filled():
        rows.append({"id": form.cleaned_data.get("id"), "statement": form.cleaned_data["statement"]})
        indexes.append(index)
    return rows, indexes


def metrics_data(formset) -> tuple[list[dict], list[int]]:
    rows, indexes = [], []
    for index, form in formset.filled():
        data = dict(form.cleaned_data)
        data["hypothesis"] = data.get("hypothesis") or None
        rows.append(data)
        indexes.append(index)
    return rows, indexes


def apply_experiment_errors(error: ValidationError, form, formsets: dict) -> None:
    """Put the service's errors where they belong: ``hypotheses.2.statement`` on the third filled row of
    the hypotheses formset, and so on; the rest on the main form."""
    if not hasattr(error, "error_dict"):
        apply_errors(form, error)
        return
    rest = {}
    for name, messages in error.message_dict.items():
        prefix, _dot, tail = name.partition(".")
        if prefix in formsets and tail:
            formset, indexes = formsets[prefix]
            position, _dot, field = tail.partition(".")
            try:
                target = formset.forms[indexes[int(position)]]
            except (ValueError, IndexError):
                rest.setdefault("__all__", []).extend(messages)
                continue
            for message in messages:
                target.add_error(field if field in target.fields else None, message)
        elif prefix in formsets:
            formset, _indexes = formsets[prefix]
            formset._non_form_errors = formset.error_class([*formset.non_form_errors(), *messages])
            rest.setdefault("__all__", []).extend(messages)
        elif name.startswith("participants."):
            sector = name.split(".", 1)[1]
            rest[participants_field(sector)] = messages
        else:
            rest[name] = messages
    if rest:
        apply_errors(form, ValidationError(rest))


class UnitsForm(StyledErrorsForm):
    units = forms.CharField(
        label=_("Units"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text=_(
            "One unit per line: code, label, arm (A or B — A/B designs only; a randomised pilot's arms are "
            "drawn by the platform). For example: “office-1, Esch office, A”."
        ),
    )

    def __init__(self, *args, pilot=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pilot is not None and not self.is_bound:
            self.initial["units"] = "\n".join(
                ", ".join((u.code, u.label, u.arm)).rstrip(", ") for u in pilot.units.all()
            )

    def rows(self) -> list[dict]:
        rows = []
        for line in (self.cleaned_data.get("units") or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",")]
            rows.append(
                {
                    "code": parts[0],
                    "label": parts[1] if len(parts) > 1 else "",
                    "arm": parts[2] if len(parts) > 2 else "",
                }
            )
        return rows


class ObservationForm(StyledErrorsForm):
    metric = forms.ChoiceField(label=_("Metric"))
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    group = forms.ChoiceField(label=_("Period or arm"), required=False)
    observed_on = forms.DateField(label=_("Observed on"), widget=DateInput)
    value = forms.CharField(
        label=_("Value"),
        max_length=40,
        help_text=_("A number; a rate metric takes 0 or 1. A decimal comma is fine."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, pilot, metrics, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.metrics = {str(m.pk): m for m in metrics}
        self.units = {str(u.pk): u for u in units}
        self.fields["metric"].choices = [("", "—")] + [(str(m.pk), f"{m.name} ({m.unit})") for m in metrics]
        self.fields["unit"].choices = [("", _("No unit"))] + [
            (str(u.pk), f"{u.code}{' — ' + u.label if u.label else ''}{' (' + u.arm + ')' if u.arm else ''}")
            for u in units
        ]
        groups = DESIGN_GROUPS.get(pilot.design, ())
        self.fields["group"].choices = [("", _("From the unit's arm"))] * (
            pilot.design != Design.BEFORE_AFTER
        ) + [(g.value, Group(g).label) for g in groups]
        self.fields["group"].required = pilot.design == Design.BEFORE_AFTER
        if not units:
            del self.fields["unit"]

    def values(self) -> dict:
        data = self.cleaned_data
        unit = self.units.get(data.get("unit") or "")
        return {
            "metric": self.metrics.get(data["metric"]),
            "unit": unit,
            "group": data.get("group") or "",
            "observed_on": data["observed_on"],
            "value": data["value"],
            "note": data.get("note") or "",
        }


class ImportForm(StyledErrorsForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: metric, unit, period (or arm), observed_on, value, note; optionally unit_of_measure. "
            "UTF-8, comma or semicolon separated, at most 2 MB."
        ),
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 2 MB: split it."))
        return upload


class DecisionForm(StyledErrorsForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_("Why, on the figures of the analysis. It is kept with the analysis it rests on."),
    )
    lessons = forms.CharField(
        label=_("Lessons learnt"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Shown on the challenge's public page once decided: what worked, what did not."),
    )


ARM_CHOICES = Arm.choices
