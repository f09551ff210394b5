"""Content entered in several languages, shown in the reader's language with a marked fallback.

A translated value is stored as a JSON object of language code to text, e.g.
``{"es": "Reto de interoperabilidad", "en": "Interoperability challenge"}``.
See docs/adr/0003-translated-content-as-json.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class Localised:
    """One text picked for a reader: what it says, its language, and whether it is a fallback."""

    text: str
    language: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text


def pick(value: dict | None, language: str | None = None, preferred: list[str] | None = None) -> Localised:
    """The text of ``value`` in ``language``; else in the first of ``preferred`` that has one; else any."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if value:  # the usual case first (called for every translated text a page shows): the reader's own
        text = value.get(language)
        if isinstance(text, str) and text.strip():
            return Localised(text, language, False)
    value = {code: text for code, text in (value or {}).items() if isinstance(text, str) and text.strip()}
    for code in [*(preferred or []), settings.LANGUAGE_CODE, *LANGUAGE_CODES]:
        if value.get(code):
            return Localised(value[code], code, True)
    for code, text in value.items():
        if text:
            return Localised(text, code, True)
    return Localised("", language, False)


def clean_translations(value: object, *, required: bool = True, max_length: int | None = None) -> dict:
    """Normalise a translations mapping and check it; raises ValidationError with a readable message."""
    if value in (None, ""):
        value = {}
    if not isinstance(value, dict):
        raise ValidationError(_("Give the text as an object of language code to text."), code="invalid")
    cleaned: dict[str, str] = {}
    for code, text in value.items():
        if code not in LANGUAGE_CODES:
            raise ValidationError(
                _("“%(code)s” is not a supported language."), code="invalid_language", params={"code": code}
            )
        if text is None:
            continue
        if not isinstance(text, str):
            raise ValidationError(_("Each translation must be text."), code="invalid")
        text = text.strip()
        if max_length is not None and len(text) > max_length:
            raise ValidationError(
                _("Ensure each translation has at most %(max)d characters (the %(lang)s one has %(len)d)."),
                code="max_length",
                params={"max": max_length, "lang": code, "len": len(text)},
            )
        if text:
            cleaned[code] = text
    if required and not cleaned:
        raise ValidationError(_("Give this in at least one language."), code="required")
    return cleaned


class TranslatedField(models.JSONField):
    """A model field holding one text per language."""

    def __init__(self, *args, max_length: int | None = None, **kwargs):
        self.text_max_length = max_length
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.text_max_length is not None:
            kwargs["max_length"] = self.text_max_length
        if kwargs.get("default") is dict:
            del kwargs["default"]
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        clean_translations(value, required=not self.blank, max_length=self.text_max_length)

    def formfield(self, **kwargs):
        return TranslatedFormField(
            required=not self.blank,
            max_length=self.text_max_length,
            label=kwargs.get("label") or capfirst(self.verbose_name),
            help_text=kwargs.get("help_text") or self.help_text,
            widget=kwargs.get("widget"),
        )


class TranslatedWidget(forms.MultiWidget):
    template_name = "core/widgets/translated.html"

    def __init__(self, languages: list[str] | None = None, multiline: bool = False, attrs=None):
        self.languages = list(languages or LANGUAGE_CODES)
        self.multiline = multiline
        base = forms.Textarea(attrs={"rows": 4}) if multiline else forms.TextInput()
        widgets = {
            code: type(base)(attrs={**base.attrs, "lang": code, "dir": "auto"}) for code in self.languages
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(code, "") for code in self.languages]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        names = dict(settings.LANGUAGES)
        for code, sub in zip(self.languages, context["widget"]["subwidgets"], strict=True):
            sub["language_code"] = code
            sub["language_name"] = names[code]
        return context


class TranslatedFormField(forms.MultiValueField):
    """One input per language; at least one must be filled when required."""

    def __init__(self, *, languages=None, max_length=None, multiline=False, widget=None, **kwargs):
        self.languages = list(languages or LANGUAGE_CODES)
        self.text_max_length = max_length
        fields = [forms.CharField(required=False, max_length=max_length) for _code in self.languages]
        if widget is None or isinstance(widget, type):
            widget = TranslatedWidget(languages=self.languages, multiline=multiline)
        required = kwargs.pop("required", True)
        super().__init__(fields, widget=widget, require_all_fields=False, required=False, **kwargs)
        self.is_required_translation = required

    def set_languages(self, languages: list[str]) -> None:
        """Show inputs for these languages only (e.g. a lab's); TranslatedModelFormMixin keeps the others."""
        self.languages = [code for code in languages if code in LANGUAGE_CODES] or LANGUAGE_CODES
        multiline = getattr(self.widget, "multiline", False)
        self.fields = [
            forms.CharField(required=False, max_length=self.text_max_length) for _ in self.languages
        ]
        self.widget = TranslatedWidget(languages=self.languages, multiline=multiline)

    def compress(self, data_list):
        return dict(zip(self.languages, data_list or [], strict=False))

    def clean(self, value):
        if isinstance(value, dict):
            value = [value.get(code, "") for code in self.languages]
        data = super().clean(value)
        data = data if isinstance(data, dict) else {}
        return clean_translations(
            data, required=self.is_required_translation, max_length=self.text_max_length
        )

    def has_changed(self, initial, data):
        return clean_translations(initial or {}, required=False) != clean_translations(
            self.compress(data) if isinstance(data, list) else (data or {}), required=False
        )
