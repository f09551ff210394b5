"""Forms of the evaluator's pages: the conflict-of-interest declaration and the review.

Forms only validate input; writes go through ``services``. A service's refusal is put back on the form at
the field it names (``scores.<criterion id>`` goes to that criterion's score) with everything typed kept.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from govlab.core.forms import StyledErrorsForm
from govlab.core.i18n import pick

from .enums import Recommendation

NOT_APPLICABLE = "na"
CONFIDENCE_CHOICES = [
    ("1", _("1 — very low: outside my expertise")),
    ("2", _("2 — low")),
    ("3", _("3 — medium")),
    ("4", _("4 — high")),
    ("5", _("5 — very high: my field of expertise")),
]


class DeclarationForm(StyledErrorsForm):
    """Whether the evaluator has a conflict of interest with one application; a conflict needs a reason."""

    NONE = "none"
    CONFLICT = "conflict"

    declaration = forms.ChoiceField(
        label=_("Your declaration"),
        choices=[
            (NONE, _("I have no conflict of interest with this applicant")),
            (CONFLICT, _("I have a conflict of interest with this applicant")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "A conflict of interest is any personal, professional or financial tie that could affect, or "
            "seem to affect, your impartiality. A conflict removes you from this application."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for the conflict"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Required when you declare a conflict. The lab's team reads it; it is kept as a record."),
    )

    def __init__(self, *args, blind: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if blind:
            self.fields["declaration"].choices = [
                (self.NONE, _("I have no conflict of interest with any of the organisations listed")),
                (self.CONFLICT, _("I have a conflict of interest with one or more of them")),
            ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("declaration") == self.CONFLICT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why you have a conflict of interest."))
        return cleaned

    @property
    def has_conflict(self) -> bool:
        return self.cleaned_data["declaration"] == self.CONFLICT

    def apply_errors(self, error: ValidationError) -> None:
        aliases = {"has_conflict": "declaration"}
        _apply(self, error, aliases)


def score_field(criterion_id) -> str:
    return f"score_{criterion_id}"


def comment_field(criterion_id) -> str:
    return f"comment_{criterion_id}"


class ReviewForm(StyledErrorsForm):
    """A score per criterion on its labelled scale (or "not applicable"), a comment per criterion,
    strengths, weaknesses, a recommendation and the evaluator's confidence.

    Every field is optional here: a draft may be incomplete; the submit service says what is missing.
    """

    strengths = forms.CharField(
        label=_("Strengths"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    weaknesses = forms.CharField(
        label=_("Weaknesses"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        required=False,
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
    )
    confidence = forms.ChoiceField(
        label=_("Your confidence in this review"),
        required=False,
        choices=CONFIDENCE_CHOICES,
        widget=forms.RadioSelect,
    )
    expected_version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, criteria, languages=None, review=None, **kwargs):
        self.criteria = list(criteria)
        if review is not None and not kwargs.get("initial"):
            kwargs["initial"] = self.initial_from(review, self.criteria)
        super().__init__(*args, **kwargs)
        score_fields, comment_fields = {}, {}
        for criterion in self.criteria:
            name = pick(criterion.name, preferred=languages).text
            choices = [
                (str(level.get("value")), self._level_label(level, languages))
                for level in (criterion.scale or [])
            ]
            choices.append((NOT_APPLICABLE, _("Not applicable")))
            score_fields[score_field(criterion.pk)] = forms.ChoiceField(
                label=_("Score: %(criterion)s") % {"criterion": name},
                required=False,
                choices=choices,
                widget=forms.RadioSelect,
                help_text=pick(criterion.description, preferred=languages).text,
            )
            comment_fields[comment_field(criterion.pk)] = forms.CharField(
                label=_("Comment: %(criterion)s") % {"criterion": name},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            )
        # Criteria first, in their order; then the overall fields.
        overall = dict(self.fields)
        self.fields = {}
        for criterion in self.criteria:
            self.fields[score_field(criterion.pk)] = score_fields[score_field(criterion.pk)]
            self.fields[comment_field(criterion.pk)] = comment_fields[comment_field(criterion.pk)]
        self.fields.update(overall)

    @staticmethod
    def _level_label(level: dict, languages) -> str:
        label = pick(level.get("label"), preferred=languages).text
        value = level.get("value")
        return f"{value} — {label}" if label else str(value)

    @staticmethod
    def initial_from(review, criteria) -> dict:
        initial = {
            "strengths": review.strengths,
            "weaknesses": review.weaknesses,
            "recommendation": review.recommendation,
            "confidence": str(review.confidence) if review.confidence else "",
            "expected_version": review.version,
        }
        scores = review.scores or {}
        comments = review.comments or {}
        for criterion in criteria:
            key = str(criterion.pk)
            if key in scores:
                value = scores[key]
                initial[score_field(criterion.pk)] = NOT_APPLICABLE if value is None else str(value)
            initial[comment_field(criterion.pk)] = comments.get(key, "")
        return initial

    def criterion_rows(self):
        """(criterion, score bound field, comment bound field) in the criteria's order."""
        return [
            (criterion, self[score_field(criterion.pk)], self[comment_field(criterion.pk)])
            for criterion in self.criteria
        ]

    def overall_fields(self):
        return [self[name] for name in ("strengths", "weaknesses", "recommendation", "confidence")]

    def service_values(self) -> dict:
        """What review_save takes: scores {"<id>": int or None}, comments {"<id>": text}, and the rest."""
        data = self.cleaned_data
        scores, comments = {}, {}
        for criterion in self.criteria:
            given = data.get(score_field(criterion.pk))
            if given == NOT_APPLICABLE:
                scores[str(criterion.pk)] = None
            elif given not in (None, ""):
                scores[str(criterion.pk)] = int(given)
            comment = (data.get(comment_field(criterion.pk)) or "").strip()
            if comment:
                comments[str(criterion.pk)] = comment
        confidence = data.get("confidence")
        return {
            "scores": scores,
            "comments": comments,
            "strengths": data.get("strengths") or "",
            "weaknesses": data.get("weaknesses") or "",
            "recommendation": data.get("recommendation") or "",
            "confidence": int(confidence) if confidence else None,
            "expected_version": data.get("expected_version"),
        }

    def apply_errors(self, error: ValidationError) -> None:
        aliases = {"version": None, "expected_version": None}
        for criterion in self.criteria:
            aliases[f"scores.{criterion.pk}"] = score_field(criterion.pk)
            aliases[f"comments.{criterion.pk}"] = comment_field(criterion.pk)
        _apply(self, error, aliases)


def _apply(form: forms.Form, error: ValidationError, aliases: dict) -> None:
    """Put a service's ValidationError on the form: at the field it names when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = aliases.get(name, name)
        if field and field in form.fields and not isinstance(form.fields[field].widget, forms.HiddenInput):
            form.add_error(field, errors)
        else:
            form.add_error(None, errors)
