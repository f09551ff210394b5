"""Forms of the procurement pages. They only shape input: every rule is the services' (a refusal comes
back on the form with ``apply_errors``, at the field it names)."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govlab.challenges.forms_lab import LabForm, apply_errors
from govlab.core.forms import DateInput, StyledErrorsForm
from govlab.core.i18n import TranslatedFormField
from govlab.core.uploads import DOCUMENT_TYPES
from govlab.labs.models import CURRENCY_CHOICES

from .enums import OcdsMethod, ProcedureKind, StepKind

__all__ = [
    "AwardForm",
    "CancelForm",
    "ProcedureForm",
    "ProcessCreateForm",
    "ProcessEditForm",
    "StepForm",
    "ThresholdForm",
    "apply_errors",
]


def _accepted_types() -> str:
    return gettext("Accepted types: %(types)s.") % {"types": ", ".join(t.upper() for t in DOCUMENT_TYPES)}


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows, "dir": "auto"})


class ProcedureForm(LabForm):
    name = TranslatedFormField(label=_("Name"), max_length=200)
    description = TranslatedFormField(label=_("Description"), max_length=5000, multiline=True, required=False)
    code = forms.SlugField(
        label=_("Code"), max_length=60, help_text=_("A short code, unique in the lab, e.g. “ppi-co”.")
    )
    jurisdiction = forms.CharField(
        label=_("Jurisdiction"), max_length=80, help_text=_("Where the rule applies, e.g. “CO”, “SE”, “EU”.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ProcedureKind.choices)
    ocds_method = forms.ChoiceField(
        label=_("OCDS procurement method"),
        choices=OcdsMethod.choices,
        help_text=_("How the process is published in the Open Contracting Data Standard."),
    )
    ocds_method_details = forms.CharField(
        label=_("OCDS procurement method details"), max_length=300, required=False
    )
    steps = forms.MultipleChoiceField(
        label=_("Steps"),
        choices=StepKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The steps of the route, in this order."),
    )
    standstill_days = forms.IntegerField(
        label=_("Standstill period (days)"),
        min_value=0,
        max_value=365,
        initial=0,
        help_text=_("0 when the route has no standstill period."),
    )
    source_label = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("The law, article or manual.")
    )
    source_url = forms.URLField(label=_("Source address"), required=False, assume_scheme="https")
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True, help_text=_("Inactive procedures are not offered.")
    )

    def clean_steps(self):
        chosen = set(self.cleaned_data.get("steps") or [])
        return [value for value in StepKind.values if value in chosen]


class ThresholdForm(StyledErrorsForm):
    legal_regime = forms.ModelChoiceField(label=_("Legal regime"), queryset=None)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    min_value = forms.DecimalField(
        label=_("From (inclusive)"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    max_value = forms.DecimalField(
        label=_("Up to (exclusive)"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        help_text=_("Empty: no upper limit."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_until = forms.DateField(
        label=_("Valid until (inclusive)"),
        required=False,
        widget=DateInput,
        help_text=_("Empty: open-ended."),
    )
    source_label = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("The law, article or manual.")
    )
    source_url = forms.URLField(label=_("Source address"), required=False, assume_scheme="https")
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_textarea(2))

    def __init__(self, *args, regimes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_regime"].queryset = regimes


class ProcessCreateForm(StyledErrorsForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("Empty: “Purchase: ” and the challenge's title."),
    )
    estimated_value = forms.DecimalField(
        label=_("Estimated value"), min_value=0, max_digits=16, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    route_justification = forms.CharField(label=_("Why this route"), max_length=5000, widget=_textarea(4))
    description = forms.CharField(label=_("Description"), required=False, max_length=5000, widget=_textarea())
    applications = forms.ModelMultipleChoiceField(
        label=_("Selected solutions bought"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    co_buyers = forms.ModelMultipleChoiceField(
        label=_("Joint buyers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other public entities of the lab buying together with the challenge's entity."),
    )
    tender_starts_on = forms.DateField(label=_("Tender opens"), required=False, widget=DateInput)
    tender_ends_on = forms.DateField(label=_("Tender closes"), required=False, widget=DateInput)

    def __init__(self, *args, applications, co_buyers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        self.fields["applications"].label_from_instance = lambda a: f"{a.organisation.name} ({a.reference})"
        self.fields["co_buyers"].queryset = co_buyers
        if not co_buyers.exists():
            del self.fields["co_buyers"]


class ProcessEditForm(StyledErrorsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"}))
    description = forms.CharField(label=_("Description"), required=False, max_length=5000, widget=_textarea())
    tender_starts_on = forms.DateField(label=_("Tender opens"), required=False, widget=DateInput)
    tender_ends_on = forms.DateField(label=_("Tender closes"), required=False, widget=DateInput)
    co_buyers = forms.ModelMultipleChoiceField(
        label=_("Joint buyers"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, co_buyers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_buyers"].queryset = co_buyers


class StepForm(StyledErrorsForm):
    planned_on = forms.DateField(label=_("Planned for"), required=False, widget=DateInput)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=_textarea())
    document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=lazy(_accepted_types, str)(),  # in the reader's language, not the one at import
    )
    document_is_public = forms.BooleanField(
        label=_("Publish the document"),
        required=False,
        initial=True,
        help_text=_("Untick for confidential documents: they are never published."),
    )
    remove_document = forms.BooleanField(label=_("Remove the current document"), required=False)


class AwardForm(StyledErrorsForm):
    """The award decision: the reasons and, per selected solution, the value awarded (empty: not awarded)."""

    reasons = forms.CharField(label=_("Reasons for the award decision"), max_length=5000, widget=_textarea(4))

    def __init__(self, *args, applications, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = list(applications)
        for application in self.applications:
            self.fields[f"value_{application.pk}"] = forms.DecimalField(
                label=_("Value awarded to %(supplier)s (%(currency)s)")
                % {"supplier": application.organisation.name, "currency": currency},
                required=False,
                max_digits=16,
                decimal_places=2,
                help_text=_("Empty: not awarded."),
            )

    def awards(self) -> list[dict]:
        rows = []
        for application in self.applications:
            value = self.cleaned_data.get(f"value_{application.pk}")
            if value is not None:
                rows.append(
                    {"supplier": application.organisation, "application": application, "value": value}
                )
        return rows

    def field_map(self) -> dict:
        """The service's "awards.N.value" errors → this form's value fields."""
        mapping = {}
        for index, row in enumerate(self.awards()):
            for part in ("value", "supplier", "application"):
                mapping[f"awards.{index}.{part}"] = f"value_{row['application'].pk}"
        return mapping


class CancelForm(StyledErrorsForm):
    reason = forms.CharField(label=_("Why the process is cancelled"), max_length=5000, widget=_textarea(4))
