import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from govlab.core.i18n import TranslatedFormField, clean_translations, pick


def test_pick_returns_the_readers_language():
    with translation.override("es"):
        chosen = pick({"en": "Lab", "es": "Laboratorio"})
    assert (chosen.text, chosen.language, chosen.is_fallback) == ("Laboratorio", "es", False)


def test_pick_falls_back_to_preferred_language_and_says_so():
    with translation.override("sv"):
        chosen = pick({"en": "Lab", "es": "Laboratorio"}, preferred=["es"])
    assert (chosen.text, chosen.language, chosen.is_fallback) == ("Laboratorio", "es", True)


def test_pick_of_empty_value_is_empty():
    assert pick({}).text == ""
    assert pick(None).text == ""


def test_clean_translations_strips_and_drops_empty():
    assert clean_translations({"en": "  Lab ", "es": ""}) == {"en": "Lab"}


def test_clean_translations_requires_one_language():
    with pytest.raises(ValidationError) as error:
        clean_translations({"en": " "})
    assert error.value.code == "required"


def test_clean_translations_refuses_unknown_language_and_long_text():
    with pytest.raises(ValidationError) as error:
        clean_translations({"xx": "text"})
    assert error.value.code == "invalid_language"
    with pytest.raises(ValidationError) as error:
        clean_translations({"en": "a" * 11}, max_length=10)
    assert error.value.code == "max_length"


def test_translated_form_field_keeps_what_was_typed_per_language():
    field = TranslatedFormField(languages=["en", "es"], max_length=50)
    assert field.clean(["Lab", "Laboratorio"]) == {"en": "Lab", "es": "Laboratorio"}
    with pytest.raises(ValidationError):
        field.clean(["", ""])
