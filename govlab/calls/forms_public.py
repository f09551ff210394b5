"""Forms of the public call pages and of the solver's application editor.

The application form is built from the call's FormQuestion rows. It only renders and collects the raw
values: what an answer must be is decided by ``forms_engine.clean_answer`` inside the services, which keep
every value typed (valid or not) and return the problems by question key; ``ApplicationForm.apply_errors``
puts them back at the questions. Its fields are therefore lenient: they never refuse a value themselves
(a "required" question is marked, but only a submit insists on it).

Field names: ``a_<key>`` for a question; ``a_<key>-<row>-<field>`` for a cell of a repeatable group;
``partners-<row>-<column>`` for a consortium partner; ``d_<key>`` for a declaration.
"""

from __future__ import annotations

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from govlab.core.forms import StyledErrorsForm
from govlab.core.i18n import pick
from govlab.core.templatetags.fast_widgets import FAST_RENDERER, use_fast_selects
from govlab.labs.models import Lab

from .enums import FollowKind, QuestionKind
from .forms_engine import GROUP_MAX_ROWS

K = QuestionKind
ANSWER_PREFIX = "a_"
DECLARATION_PREFIX = "d_"
PARTNERS = "partners"
COUNTRY = "country"  # a partner's country: a column kind of the form only, not a question kind
PARTNER_COLUMNS = (
    ("name", K.SHORT_TEXT, _("Organisation")),
    ("country", COUNTRY, _("Country")),
    ("role", K.SHORT_TEXT, _("Role in the consortium")),
)
PARTNERS_MAX = 20
STATES = (
    ("open", _("Open for applications")),
    ("closed", _("Closed")),
    ("all", _("All")),
)


# --- Public list, questions, applying -----------------------------------------------------------------


class CallFilterForm(forms.Form):
    """The public list's search and filters (a GET form: every value optional)."""

    default_renderer = FAST_RENDERER

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "dir": "auto"}),
    )
    lab = forms.ModelChoiceField(
        label=_("Lab"),
        queryset=Lab.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any lab"),
    )
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lab"].queryset = Lab.objects.public().order_by("slug")
        use_fast_selects(self)

    def filters(self) -> dict:
        """Keyword arguments of ``selectors.call_list_public``; an invalid value is ignored."""
        self.is_valid()
        data = self.cleaned_data
        state = data.get("state") or "open"
        return {
            "lab": data.get("lab"),
            "state": None if state == "all" else state,
            "q": (data.get("q") or "").strip() or None,
        }


class EnquiryForm(StyledErrorsForm):
    question = forms.CharField(
        label=_("Your question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_(
            "Only the lab reads it. The lab publishes its answer on this page for everyone, "
            "without your name."
        ),
    )
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=None, required=False, empty_label=_("Myself")
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, prefix="enquiry", **kwargs)
        organisations = list(organisations)
        if organisations:
            self.fields["organisation"].queryset = _queryset_of(organisations)
        else:
            del self.fields["organisation"]


def _queryset_of(organisations):
    from govlab.organisations.models import Organisation

    return Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name")


class ApplyForm(StyledErrorsForm):
    """Start (or reopen) the application of one of the person's solver organisations to one challenge."""

    challenge = forms.ModelChoiceField(label=_("Challenge"), queryset=None, widget=forms.HiddenInput)
    organisation = forms.ModelChoiceField(label=_("Apply as"), queryset=None, empty_label=None)

    def __init__(self, *args, call, organisations, challenge=None, **kwargs):
        if challenge is not None:
            kwargs.setdefault("auto_id", f"id_apply_{challenge.pk}_%s")
            kwargs.setdefault("initial", {}).update({"challenge": challenge.pk})
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = call.challenges.order_by("reference")
        if challenge is None:  # the page of its own: choose the challenge too
            self.fields["challenge"].widget = forms.Select()
            self.fields["challenge"].label_from_instance = lambda c: (
                pick(c.title, preferred=call.lab.languages).text
            )
        organisations = list(organisations)
        self.fields["organisation"].queryset = _queryset_of(organisations)
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk


class FollowForm(forms.Form):
    """Follow (or stop following) the call's lab or one of its challenges."""

    kind = forms.ChoiceField(choices=[(FollowKind.LAB, _("Lab")), (FollowKind.CHALLENGE, _("Challenge"))])
    challenge = forms.IntegerField(required=False)
    action = forms.ChoiceField(choices=[("follow", _("Follow")), ("unfollow", _("Stop following"))])

    def __init__(self, *args, call, **kwargs):
        self.call = call
        self._target = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == FollowKind.LAB:
            self._target = self.call.lab
        elif cleaned.get("kind") == FollowKind.CHALLENGE:
            self._target = self.call.challenges.filter(pk=cleaned.get("challenge") or 0).first()
            if self._target is None:
                raise ValidationError(_("Choose one of the call's challenges."))
        return cleaned

    def target(self):
        return self._target


class WithdrawForm(StyledErrorsForm):
    reason = forms.CharField(
        label=_("Why do you withdraw? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("The lab's team reads this."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the lab will not evaluate this application once it is withdrawn."),
    )


class ReceiptVerifyForm(StyledErrorsForm):
    receipt_code = forms.CharField(
        label=_("Receipt number"),
        max_length=40,
        help_text=_("As printed on the receipt, e.g. R-ABCD-EFGH-JKLM."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    content_hash = forms.CharField(
        label=_("Content hash (SHA-256)"),
        max_length=100,
        help_text=_("The 64 characters printed on the receipt."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


# --- The application editor ---------------------------------------------------------------------------


class LenientMixin:
    """Never refuse a value: the services check answers (and keep what does not pass)."""

    def validate(self, value):
        return None


class RawCharField(LenientMixin, forms.CharField):
    pass


class RawChoiceField(LenientMixin, forms.ChoiceField):
    pass


class RawMultipleChoiceField(LenientMixin, forms.MultipleChoiceField):
    pass


class RawFileField(LenientMixin, forms.FileField):
    pass


class Placeholder(forms.Widget):
    """Renders nothing: carries a repeatable group's errors (the group's fieldset has the field's id)."""

    def render(self, name, value, attrs=None, renderer=None):
        return ""

    def value_from_datadict(self, data, files, name):
        return None


class PlaceholderField(LenientMixin, forms.Field):
    widget = Placeholder


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _choices(config: dict, languages) -> list[tuple[str, str]]:
    return [
        (c["value"], pick(c.get("label"), preferred=languages).text or c["value"])
        for c in config.get("choices", [])
    ]


def _hint(kind: str, config: dict) -> str:
    """What the question accepts, said to the applicant (the engine refuses what does not fit)."""
    if kind in (K.SHORT_TEXT, K.LONG_TEXT) and config.get("max_length"):
        return str(_("At most %(max)d characters.") % {"max": config["max_length"]})
    if kind == K.MONEY and config.get("currency"):
        return str(_("An amount in %(currency)s, without thousands separators.") % config)
    if kind in (K.NUMBER, K.MONEY) and ("min" in config or "max" in config):
        return str(
            _("From %(min)s to %(max)s.") % {"min": config.get("min", "…"), "max": config.get("max", "…")}
        )
    if kind == K.DATE:
        return str(_("A date as YYYY-MM-DD."))
    if kind == K.FILE:
        return str(
            _("%(types)s, at most %(size)s.")
            % {
                "types": ", ".join(e.upper() for e in config.get("extensions", [])),
                "size": filesizeformat(int(config.get("max_mb") or 0) * 1024 * 1024),
            }
        )
    if kind == K.MULTIPLE_CHOICE and config.get("max_selected"):
        return str(_("Choose at most %(max)d.") % {"max": config["max_selected"]})
    return ""


def answer_field(
    kind: str, config: dict, *, label, required=False, help_text="", languages=None, in_table=False
):
    """The lenient form field of one question kind."""
    common = {"label": label, "required": required, "help_text": help_text}
    if kind == K.SHORT_TEXT:
        return RawCharField(strip=False, widget=forms.TextInput(attrs={"dir": "auto"}), **common)
    if kind == K.LONG_TEXT:
        rows = 3 if in_table else 8
        return RawCharField(strip=False, widget=forms.Textarea(attrs={"rows": rows, "dir": "auto"}), **common)
    if kind in (K.NUMBER, K.MONEY):
        return RawCharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if kind == K.DATE:
        return RawCharField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if kind == K.URL:
        return RawCharField(widget=forms.URLInput(attrs={"inputmode": "url"}), **common)
    if kind == COUNTRY:
        return RawChoiceField(choices=[("", "—"), *[(code, str(name)) for code, name in countries]], **common)
    if kind in (K.SINGLE_CHOICE, K.YES_NO):
        choices = _choices(config, languages) if kind == K.SINGLE_CHOICE else YES_NO
        if in_table:
            return RawChoiceField(choices=[("", "—"), *choices], **common)
        if not required:  # a radio button cannot be unticked: offer "no answer"
            choices = [("", _("No answer")), *choices]
        return RawChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == K.MULTIPLE_CHOICE:
        return RawMultipleChoiceField(
            choices=_choices(config, languages), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == K.FILE:
        accept = ",".join(f".{e}" for e in config.get("extensions", []))
        return RawFileField(widget=forms.FileInput(attrs={"accept": accept}), **common)
    raise ValueError(kind)


def _initial(kind: str, value):
    """A stored answer (normalised or kept raw) as the field shows it."""
    if value is None:
        return None
    if kind == K.YES_NO:
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return str(value)
    if kind == K.MULTIPLE_CHOICE:
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if isinstance(value, (list, dict)):
        return ""
    return str(value)


class RowGroup:
    """A repeatable group on the form: its name prefix, columns and row count."""

    def __init__(self, *, name: str, key: str, label, help_text, columns, max_rows, question=None):
        self.name = name  # the placeholder field's name, the prefix of every cell
        self.key = key  # the answer key (or "partners")
        self.label = label
        self.help_text = help_text
        self.columns = columns  # [(column key, kind, config, label, required)]
        self.max_rows = max_rows
        self.question = question
        self.rows: list[list[str]] = []  # field names, row by row
        self.bound = None
        self.bound_rows: list = []
        self.can_add = False

    def cell(self, row: int, column: str) -> str:
        return f"{self.name}-{row}-{column}"


class ApplicationForm(StyledErrorsForm):
    """The application's working copy: answers of one stage, partners and declarations."""

    use_required_attribute = False
    default_renderer = FAST_RENDERER  # the partners' country lists

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # One token per rendered editor page, sent by both its autosave and its buttons: the services then
    # tell the page's own autosave (not a conflict) from a save made in another tab.
    editor = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        data=None,
        files=None,
        *,
        application,
        questions,
        declarations=(),
        partners_allowed=False,
        languages=None,
        stored_files: dict | None = None,
        add_row: str | None = None,
        drop_row: tuple[str, int] | None = None,
        **kwargs,
    ):
        self.application = application
        self.questions = list(questions)
        self.languages = languages or []
        self.declarations = list(declarations)  # [(key, label)]
        self.stored_files = stored_files or {}  # {file id: ApplicationFile}
        if data is not None and drop_row is not None:
            data = _without_row(data, *drop_row)
        kwargs.setdefault("initial", {})
        super().__init__(data, files, **kwargs)
        self.initial.setdefault("version", application.version)
        self.initial.setdefault("editor", secrets.token_urlsafe(16))
        self.groups: dict[str, RowGroup] = {}
        answers = application.answers or {}
        for question in self.questions:
            name = ANSWER_PREFIX + question.key
            label = pick(question.label, preferred=self.languages).text or question.key
            help_parts = [
                pick(question.help_text, preferred=self.languages).text,
                _hint(question.kind, question.config or {}),
            ]
            help_text = " ".join(part for part in help_parts if part)
            if question.kind == K.GROUP:
                config = question.config or {}
                columns = [
                    (
                        field["key"],
                        field["kind"],
                        field.get("config") or {},
                        pick(field.get("label"), preferred=self.languages).text or field["key"],
                        bool(field.get("required")),
                    )
                    for field in config.get("fields", [])
                ]
                group = RowGroup(
                    name=name,
                    key=question.key,
                    label=label,
                    help_text=help_text,
                    columns=columns,
                    max_rows=min(config.get("max_rows") or GROUP_MAX_ROWS, GROUP_MAX_ROWS),
                    question=question,
                )
                self.fields[name] = PlaceholderField(label=label, required=question.required)
                saved = answers.get(question.key)
                saved_rows = (
                    [row for row in saved if isinstance(row, dict)] if isinstance(saved, list) else []
                )
                minimum = max(int(config.get("min_rows") or 0), 1)
                self._add_rows(group, saved_rows, minimum, extra=add_row == question.key)
                continue
            self.fields[name] = answer_field(
                question.kind,
                question.config or {},
                label=label,
                required=question.required,
                help_text=help_text,
                languages=self.languages,
            )
            if question.kind != K.FILE:
                self.initial.setdefault(name, _initial(question.kind, answers.get(question.key)))
        if partners_allowed:
            group = RowGroup(
                name=PARTNERS,
                key=PARTNERS,
                label=_("Consortium partners"),
                help_text=_("The other organisations that apply with you, if any."),
                columns=[(column, kind, {}, label, False) for column, kind, label in PARTNER_COLUMNS],
                max_rows=PARTNERS_MAX,
            )
            self.fields[PARTNERS] = PlaceholderField(label=_("Consortium partners"), required=False)
            saved_rows = [row for row in (application.partners or []) if isinstance(row, dict)]
            self._add_rows(group, saved_rows, 1, extra=add_row == PARTNERS)
        for key, label in self.declarations:
            name = DECLARATION_PREFIX + key
            self.fields[name] = forms.BooleanField(label=label, required=False)
            self.initial.setdefault(name, bool((application.declarations or {}).get(key)))
        for group in self.groups.values():  # bound fields for the template (cached by the form)
            group.bound = self[group.name]
            group.bound_rows = [[self[name] for name in row] for row in group.rows]
            group.can_add = len(group.rows) < group.max_rows

    # --- Rows -----------------------------------------------------------------------------------------

    def _add_rows(self, group: RowGroup, saved_rows: list[dict], minimum: int, *, extra: bool) -> None:
        if self.is_bound:
            prefix = f"{group.name}-"
            indexes = {key[len(prefix) :].split("-", 1)[0] for key in self.data if key.startswith(prefix)}
            count = max([int(i) + 1 for i in indexes if i.isdigit() and int(i) < group.max_rows] or [0])
        else:
            count = max(len(saved_rows), minimum)
        if extra:
            count += 1
        count = max(1, min(count, group.max_rows))
        for index in range(count):
            row = []
            saved = saved_rows[index] if not self.is_bound and index < len(saved_rows) else {}
            for column, kind, config, label, required in group.columns:
                name = group.cell(index, column)
                field = answer_field(
                    kind, config, label=label, required=required, languages=self.languages, in_table=True
                )
                self.fields[name] = field
                self.initial.setdefault(name, _initial(kind, saved.get(column)))
                row.append(name)
            group.rows.append(row)
        self.groups[group.key] = group

    def can_add_row(self, key: str) -> bool:
        group = self.groups[key]
        return len(group.rows) < group.max_rows

    # --- Collecting ---------------------------------------------------------------------------------

    def _value(self, name: str, kind: str):
        value = self.cleaned_data.get(name)
        if kind == K.MULTIPLE_CHOICE:
            return list(value or [])
        return value if value is not None else ""

    def editor_token(self) -> str:
        """The page's editor token as posted ("" when none: every older version is then a conflict)."""
        return (getattr(self, "cleaned_data", {}).get("editor") or "")[:40]

    def answers(self) -> dict:
        """{key: raw value} for every question shown but files (empty values clear the answer)."""
        answers = {}
        for question in self.questions:
            name = ANSWER_PREFIX + question.key
            if question.kind == K.FILE:
                continue
            if question.kind == K.GROUP:
                answers[question.key] = self._rows(self.groups[question.key])
            elif name in self.cleaned_data:
                answers[question.key] = self._value(name, question.kind)
        return answers

    def _rows(self, group: RowGroup) -> list[dict]:
        rows = []
        for row in group.rows:
            values = {}
            for (column, kind, *_rest), name in zip(group.columns, row, strict=True):
                value = self._value(name, kind)
                if value not in ("", [], None):
                    values[column] = value
            if values:
                rows.append(values)
        return rows

    def partners(self) -> list[dict] | None:
        if PARTNERS not in self.groups:
            return None
        return self._rows(self.groups[PARTNERS])

    def uploads(self) -> dict:
        """{question key: uploaded file} for the file questions given a new file."""
        return {
            question.key: self.cleaned_data[ANSWER_PREFIX + question.key]
            for question in self.questions
            if question.kind == K.FILE and self.cleaned_data.get(ANSWER_PREFIX + question.key)
        }

    def declaration_values(self) -> dict | None:
        if not self.declarations:
            return None
        return {
            key: bool(self.cleaned_data.get(DECLARATION_PREFIX + key)) for key, _label in self.declarations
        }

    # --- Errors ---------------------------------------------------------------------------------------

    def field_name(self, key: str) -> str | None:
        """The form field that shows the problems of an answer key (or of "partners", "declarations")."""
        if key == PARTNERS and PARTNERS in self.fields:
            return PARTNERS
        if ANSWER_PREFIX + key in self.fields:
            return ANSWER_PREFIX + key
        if DECLARATION_PREFIX + key in self.fields:
            return DECLARATION_PREFIX + key
        if key == "declarations" and self.declarations:
            return DECLARATION_PREFIX + self.declarations[0][0]
        return None

    def apply_errors(self, errors) -> None:
        """Put problems at their questions: a ``{key: [messages]}`` dict or a service's ValidationError."""
        if isinstance(errors, ValidationError):
            if not hasattr(errors, "error_dict"):
                self.add_error(None, errors)
                return
            errors = errors.message_dict
        for key, messages in (errors or {}).items():
            messages = [messages] if isinstance(messages, str) else list(messages)
            name = self.field_name(key)
            known = self.errors.get(name if name else "__all__", [])
            messages = [message for message in messages if message not in known]
            if messages:
                self.add_error(name, messages)

    # --- Rendering ------------------------------------------------------------------------------------

    def editor_items(self):
        """What the template shows, in order: ("group", group, question, None) or
        ("field", bound field, question, the stored file of a file question or None)."""
        answers = self.application.answers or {}
        for question in self.questions:
            name = ANSWER_PREFIX + question.key
            if question.kind == K.GROUP:
                yield "group", self.groups[question.key], question, None
            else:
                stored = None
                if question.kind == K.FILE:
                    stored = self.stored_files.get(answers.get(question.key))
                yield "field", self[name], question, stored

    def partner_group(self):
        return self.groups.get(PARTNERS)

    def declaration_fields(self):
        return [self[DECLARATION_PREFIX + key] for key, _label in self.declarations]

    def anchor(self, key: str) -> str:
        """The id to link to for the problems of an answer key ("" when none shows them)."""
        name = self.field_name(key)
        if name is None:
            return ""
        field = self[name]
        if field.widget_type in ("radioselect", "checkboxselectmultiple"):
            return f"{field.auto_id}_0"
        return field.auto_id

    def file_names(self) -> list[str]:
        """The names of the file inputs (left out of the HTMX autosave)."""
        return [ANSWER_PREFIX + q.key for q in self.questions if q.kind == K.FILE]


def _without_row(data, prefix_name: str, index: int):
    """A copy of posted data without one row of a group; the rows after it move up by one."""
    copy = data.copy()
    prefix = f"{prefix_name}-"
    moved: dict[str, list] = {}
    for key in list(copy.keys()):
        if not key.startswith(prefix):
            continue
        number, _sep, column = key[len(prefix) :].partition("-")
        if not number.isdigit():
            continue
        values = copy.getlist(key)
        del copy[key]
        row = int(number)
        if row == index:
            continue
        moved[f"{prefix}{row - 1 if row > index else row}-{column}"] = values
    for key, values in moved.items():
        copy.setlist(key, values)
    return copy


class FollowTopicForm(StyledErrorsForm):
    """Follow a sector or a technology: be told when a call opens for a challenge about it."""

    term = forms.ModelChoiceField(label=_("Sector or technology"), queryset=None, empty_label=_("Choose…"))

    def __init__(self, *args, **kwargs):
        from govlab.taxonomy.models import Term

        super().__init__(*args, **kwargs)
        terms = Term.objects.filter(vocabulary__in=[FollowKind.SECTOR, FollowKind.TECHNOLOGY], is_active=True)
        self.fields["term"].queryset = terms.order_by("vocabulary", "position", "code")
        self.fields["term"].label_from_instance = lambda term: (
            f"{pick(term.name).text} ({FollowKind(term.vocabulary).label})"
        )
