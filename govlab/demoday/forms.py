"""Forms of the Demo Day pages. Forms only read and check input; every write goes through ``services``.
Times are typed as wall-clock times in the lab's time zone and turned into UTC here (``local_to_utc``).
A service's refusal is put back on the form with ``apply_errors`` at the field it names."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from govlab.calls.forms_lab import CriterionForm, LocalDateTimeField
from govlab.challenges.forms_lab import LabForm, apply_errors
from govlab.core.forms import StyledErrorsForm
from govlab.core.i18n import TranslatedFormField, pick
from govlab.core.timezones import local_to_utc, utc_to_local
from govlab.evaluation.forms_evaluator import DeclarationForm

from .enums import JurorRole

__all__ = [
    "CriterionForm",
    "DeclarationForm",
    "DemoDayForm",
    "JurorAddForm",
    "PitchForm",
    "ScoreForm",
    "SelectionForm",
    "apply_errors",
]

User = get_user_model()


def _zoned(form, name: str, zone: str):
    value = form.cleaned_data.get(name)
    if value is None:
        return None
    try:
        return local_to_utc(value, zone)
    except ValidationError as error:
        form.add_error(name, error)
        return None


class DemoDayForm(LabForm):
    title = TranslatedFormField(label=_("Title"), max_length=200)
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        help_text=_("A video call or live stream, if any."),
    )
    description = TranslatedFormField(label=_("Description"), max_length=5000, multiline=True, required=False)

    def __init__(self, *args, lab, instance=None, **kwargs):
        self.zone = lab.time_zone or "UTC"
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "starts_at": utc_to_local(instance.starts_at, self.zone),
                "ends_at": utc_to_local(instance.ends_at, self.zone),
                "place": instance.place,
                "link": instance.link,
                "description": instance.description,
            }
        super().__init__(*args, languages=lab.languages, instance=instance, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = _("In the lab's time zone: %(zone)s.") % {"zone": self.zone}

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": _zoned(self, "starts_at", self.zone),
            "ends_at": _zoned(self, "ends_at", self.zone),
            "place": data.get("place", ""),
            "link": data.get("link", ""),
            "description": data.get("description") or {},
        }


class PitchForm(StyledErrorsForm):
    application = forms.ChoiceField(label=_("Preselected application"))
    starts_at = LocalDateTimeField(label=_("Starts"), required=False)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=240, initial=10)
    title = forms.CharField(label=_("Title of the pitch"), max_length=200, required=False)

    def __init__(self, *args, cohort, zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.cohort = {str(a.pk): a for a in cohort}
        self.fields["application"].choices = [("", _("Choose an application"))] + [
            (str(a.pk), f"{a.reference} — {a.organisation.name} ({pick(a.challenge.title).text})")
            for a in cohort
        ]
        self.fields["starts_at"].help_text = _("In the lab's time zone: %(zone)s.") % {"zone": zone}

    def chosen(self):
        return self.cohort[self.cleaned_data["application"]]

    def starts(self):
        return _zoned(self, "starts_at", self.zone)


class JurorAddForm(StyledErrorsForm):
    """A person for the jury: one of the lab's members, or anyone with an account, by e-mail address."""

    member = forms.ModelChoiceField(
        label=_("Member of the lab"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose a person"),
    )
    email = forms.EmailField(
        label=_("Or their e-mail address"),
        required=False,
        help_text=_("E.g. an official of the public entity. The person must already have an account."),
    )
    role = forms.ChoiceField(label=_("Role on the jury"), choices=JurorRole.choices, initial=JurorRole.MEMBER)

    def __init__(self, *args, demo_day, **kwargs):
        super().__init__(*args, **kwargs)
        active = demo_day.jury.filter(removed_at__isnull=True).values("user_id")
        self.fields["member"].queryset = (
            User.objects.filter(lab_memberships__lab_id=demo_day.call.lab_id, is_active=True)
            .exclude(pk__in=active)
            .distinct()
            .order_by("full_name", "email", "pk")
        )
        self.fields["member"].label_from_instance = lambda u: (
            f"{u.full_name} ({u.email})" if u.full_name else u.email
        )

    def clean(self):
        data = super().clean()
        member, email = data.get("member"), data.get("email")
        if member is None and not email:
            self.add_error("member", _("Choose a person, or give their e-mail address."))
        elif member is None:
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                self.add_error("email", _("No one with an account has this e-mail address."))
            data["member"] = user
        return data


class ScoreForm(StyledErrorsForm):
    """One pitch's levels, a radio group per criterion with big touch targets, and an optional comment."""

    def __init__(self, *args, criteria, scores=None, **kwargs):
        scores = scores or {}
        initial = {}
        for criterion in criteria:
            row = scores.get(criterion.pk)
            initial[f"c{criterion.pk}"] = str(row.score) if row else ""
            initial[f"note{criterion.pk}"] = row.comment if row else ""
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.ChoiceField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": pick(criterion.name).text, "weight": f"{criterion.weight.normalize():f}"},
                choices=[
                    (str(level["value"]), f"{level['value']} — {pick(level['label']).text}")
                    for level in criterion.scale
                ],
                widget=forms.RadioSelect(attrs={"class": "touch-choice"}),
                required=False,
                help_text=pick(criterion.description).text,
            )
            self.fields[f"note{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": pick(criterion.name).text},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            )

    def scores(self) -> dict:
        return {str(c.pk): self.cleaned_data.get(f"c{c.pk}") or None for c in self.criteria}

    def comments(self) -> dict:
        return {str(c.pk): self.cleaned_data.get(f"note{c.pk}", "") for c in self.criteria}

    def field_map(self) -> dict:
        mapping = {}
        for c in self.criteria:
            mapping[f"scores.{c.pk}"] = f"c{c.pk}"
            mapping[f"comments.{c.pk}"] = f"note{c.pk}"
        return mapping


class SelectionForm(StyledErrorsForm):
    application = forms.ChoiceField(label=_("Selected solution"), widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("The jury's reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_("Kept with the decision; the selected solver reads them."),
    )

    def __init__(self, *args, cohort, rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = rows or {}
        self.cohort = list(cohort)

        def label(a):
            row = rows.get(a.pk)
            score = f" — {row.mean}" if row and row.mean is not None else ""
            return f"{a.reference} — {a.organisation.name}{score}"

        self.fields["application"].choices = [(str(a.pk), label(a)) for a in self.cohort]
        for a in self.cohort:
            self.fields[f"feedback_{a.pk}"] = forms.CharField(
                label=_("Feedback to %(name)s if not selected") % {"name": a.organisation.name},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            )

    def chosen(self):
        pk = int(self.cleaned_data["application"])
        return next(a for a in self.cohort if a.pk == pk)

    def feedback(self) -> dict:
        chosen = int(self.cleaned_data["application"])
        return {a.pk: self.cleaned_data.get(f"feedback_{a.pk}", "") for a in self.cohort if a.pk != chosen}

    def field_map(self) -> dict:
        return {f"feedback.{a.pk}": f"feedback_{a.pk}" for a in self.cohort}
