"""Form helpers shared by every app."""

from django import forms

from .i18n import TranslatedFormField


class DateInput(forms.DateInput):
    """A browser date picker whose value is always ISO (what every date field of govlab parses)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TranslatedModelFormMixin:
    """Keep translations in languages the form does not show (e.g. a language a lab dropped).

    Call ``self.limit_languages(codes)`` in ``__init__`` to show only some languages.
    """

    def limit_languages(self, languages: list[str]) -> None:
        for field in self.fields.values():
            if isinstance(field, TranslatedFormField):
                field.set_languages(languages)

    def _post_clean(self):
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            for name, field in self.fields.items():
                if isinstance(field, TranslatedFormField) and name in self.cleaned_data:
                    kept = {
                        code: text
                        for code, text in (getattr(instance, name, None) or {}).items()
                        if code not in field.languages
                    }
                    self.cleaned_data[name] = {**kept, **self.cleaned_data[name]}
        super()._post_clean()


class StyledErrorsForm(forms.Form):
    """Base for plain forms: errors are rendered by the shared accessible template."""

    template_name = "core/forms/form.html"
