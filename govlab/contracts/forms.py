"""Forms of the contract pages. They only shape input: every rule is the services' (a refusal comes back
on the form with ``apply_errors``, at the field it names)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govlab.challenges.forms_lab import apply_errors
from govlab.core.forms import DateInput, StyledErrorsForm

from .enums import ImplementationStatus, IpTerms, IssueKind, IssueStatus, MilestoneStatus, Severity
from .services import AMENDABLE

__all__ = ["apply_errors"]

DUE_RULE = _(
    "An invoice falls due the given number of calendar days after it is received; a due day on a Saturday "
    "or a Sunday moves to the next Monday."
)


def _area(rows=4):
    return forms.Textarea(attrs={"rows": rows, "dir": "auto"})


def money_field(label, **kwargs):
    return forms.DecimalField(label=label, max_digits=16, decimal_places=2, min_value=0, **kwargs)


class ContractForm(StyledErrorsForm):
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"}))
    scope = forms.CharField(label=_("Scope"), max_length=10000, widget=_area(6))
    value = money_field(_("Value"), required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    ip_terms = forms.ChoiceField(label=_("Intellectual property"), choices=IpTerms.choices)
    ip_details = forms.CharField(label=_("IP details"), required=False, max_length=5000, widget=_area(3))
    payment_terms_days = forms.IntegerField(
        label=_("Payment terms (days)"), min_value=1, max_value=120, initial=30, help_text=DUE_RULE
    )
    finance_contact = forms.TypedChoiceField(
        label=_("Finance contact"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("A member of the buyer, reminded before a payment falls due (else the buyer's admins)."),
    )
    report_every_days = forms.IntegerField(
        label=_("Progress report every (days)"),
        required=False,
        min_value=1,
        max_value=366,
        help_text=_("Leave empty for no scheduled reports."),
    )
    confidential_notes = forms.CharField(
        label=_("Confidential notes"),
        required=False,
        max_length=10000,
        widget=_area(3),
        help_text=_("Seen by the lab, the buyer and the supplier; never published."),
    )

    def __init__(self, *args, people=(), with_value=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finance_contact"].choices = [("", _("None: remind the buyer's admins"))] + [
            (str(p.pk), p.full_name or p.email) for p in people
        ]
        if not with_value:
            del self.fields["value"]

    def terms(self) -> dict:
        data = dict(self.cleaned_data)
        if "value" in data and data["value"] is None:
            data.pop("value")
        return data


class SignForm(StyledErrorsForm):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)


class AmendForm(StyledErrorsForm):
    reason = forms.CharField(label=_("Reason for the amendment"), max_length=5000, widget=_area(3))
    title = forms.CharField(label=_("Title"), max_length=200)
    scope = forms.CharField(label=_("Scope"), max_length=10000, widget=_area(6))
    value = money_field(_("Value"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    ip_terms = forms.ChoiceField(label=_("Intellectual property"), choices=IpTerms.choices)
    ip_details = forms.CharField(label=_("IP details"), required=False, max_length=5000, widget=_area(3))
    payment_terms_days = forms.IntegerField(
        label=_("Payment terms (days)"), min_value=1, max_value=120, help_text=DUE_RULE
    )

    def changes(self, contract) -> dict:
        """Only the fields that differ from the contract: an amendment lists what it changes."""
        return {
            name: self.cleaned_data.get(name)
            for name in AMENDABLE
            if self.cleaned_data.get(name) != getattr(contract, name)
        }


class EndForm(StyledErrorsForm):
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=5000, widget=_area(3))


class StatusForm(StyledErrorsForm):
    implementation_status = forms.ChoiceField(label=_("Implementation"), choices=ImplementationStatus.choices)


class DocumentForm(StyledErrorsForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, OpenDocument, CSV, text or an image; checked on upload."),
    )
    is_public = forms.BooleanField(
        label=_("Publish this document"),
        required=False,
        help_text=_("Public documents are published with the contract (OCDS). Leave unticked otherwise."),
    )


class MilestoneForm(StyledErrorsForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    deliverables = forms.CharField(label=_("Deliverables"), required=False, max_length=5000, widget=_area(3))
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)
    status = forms.ChoiceField(label=_("Status"), choices=MilestoneStatus.choices)
    met_on = forms.DateField(
        label=_("Met on"), required=False, widget=DateInput, help_text=_("Met or partially met: the day.")
    )


class ScheduleForm(StyledErrorsForm):
    label = forms.CharField(label=_("What the payment is for"), max_length=200)
    amount = money_field(_("Amount"))
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)
    milestone = forms.TypedChoiceField(label=_("Milestone"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = [("", _("No milestone"))] + [
            (str(m.pk), m.title) for m in milestones
        ]


class InvoiceForm(StyledErrorsForm):
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=60)
    amount = money_field(_("Amount"))
    invoice_received_on = forms.DateField(
        label=_("Invoice received on"), widget=DateInput, help_text=DUE_RULE
    )
    scheduled = forms.TypedChoiceField(
        label=_("Payment schedule line"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheduled"].choices = [("", _("None"))] + [
            (str(line.pk), f"{line.label} ({line.amount} · {line.due_on})") for line in lines
        ]


class ApproveForm(StyledErrorsForm):
    approved_on = forms.DateField(label=_("Approved on"), widget=DateInput)


class PayForm(StyledErrorsForm):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)


class CancelPaymentForm(StyledErrorsForm):
    reason = forms.CharField(label=_("Why the invoice is cancelled"), max_length=2000, widget=_area(3))


class ReportForm(StyledErrorsForm):
    summary = forms.CharField(label=_("Progress"), max_length=10000, widget=_area(6))
    percent_complete = forms.IntegerField(label=_("Per cent complete"), min_value=0, max_value=100)


class ReviewForm(StyledErrorsForm):
    review_notes = forms.CharField(label=_("Review"), required=False, max_length=5000, widget=_area(4))


class IssueForm(StyledErrorsForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=IssueKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=5000, widget=_area(3))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    status = forms.ChoiceField(label=_("Status"), choices=IssueStatus.choices)
    mitigation = forms.CharField(label=_("Mitigation"), required=False, max_length=5000, widget=_area(3))


class LessonsForm(StyledErrorsForm):
    successes = forms.CharField(label=_("Successes"), max_length=10000, widget=_area(5))
    failures = forms.CharField(label=_("Failures"), required=False, max_length=10000, widget=_area(5))
    entity_would_change = forms.CharField(
        label=_("What the entity would do differently"), required=False, max_length=10000, widget=_area(4)
    )
    solver_would_change = forms.CharField(
        label=_("What the solver would do differently"), required=False, max_length=10000, widget=_area(4)
    )
    is_public = forms.BooleanField(label=_("Publish the lessons learned"), required=False)


class CloseForm(StyledErrorsForm):
    reason = forms.CharField(label=_("Closing note"), required=False, max_length=2000, widget=_area(3))
