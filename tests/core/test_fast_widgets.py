"""The Python-written <select> gives byte for byte the markup of Django's templates."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from govlab.core.templatetags.fast_widgets import FAST_RENDERER, Select, use_fast_selects
from govlab.labs.models import Lab

CHOICES = [
    ("", "Any"),
    ("a&b", "Fish & <chips>"),
    ("q", gettext_lazy("Name")),
    ("safe", mark_safe("<b>bold</b>")),  # already safe: must not be escaped twice
    ("Group", [("g1", "One"), ("g2", 'Two "quoted"')]),
    (None, "None as value"),
]


def django_select(value, attrs=None, choices=CHOICES):
    widget = forms.Select(choices=choices)
    return widget.render("field", value, attrs=attrs, renderer=TemplatesSetting())


@pytest.mark.parametrize("value", [None, "", "a&b", "g2", ["q"], "missing", "safe"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_field", "required": True, "aria-invalid": "true"}])
def test_select_same_markup_as_django(value, attrs):
    fast = Select(choices=CHOICES).render("field", value, attrs=attrs)
    assert fast == django_select(value, attrs)
    assert FAST_RENDERER.render(
        "django/forms/widgets/select.html", Select(choices=CHOICES).get_context("field", value, attrs)
    ) == django_select(value, attrs)


def test_select_same_markup_in_another_language():
    with override("es"):
        assert Select(choices=CHOICES).render("field", "q") == django_select("q")


def test_select_only_first_duplicate_selected():
    choices = [("x", "First"), ("x", "Second")]
    html = Select(choices=choices).render("field", "x")
    assert html == django_select("x", choices=choices)
    assert html.count(" selected") == 1


def test_select_with_number_labels_falls_back_to_templates():
    choices = [(1, 1000), (2, 2000)]
    assert Select(choices=choices).render("field", 1) == django_select(1, choices=choices)


class ModelForm(forms.Form):
    default_renderer = FAST_RENDERER

    lab = forms.ModelChoiceField(queryset=Lab.objects.order_by("slug"), to_field_name="slug", required=False)
    pick = forms.ChoiceField(choices=CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_fast_selects(self)


class PlainForm(ModelForm):
    default_renderer = TemplatesSetting()

    def __init__(self, *args, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"lab": "LAB", "pick": "g1"}, {"lab": "nope", "pick": "zzz"}])
def test_form_fields_same_markup_as_django(lab, other_lab, data):
    data = {**data, "lab": lab.slug} if data.get("lab") == "LAB" else data
    fast, plain = ModelForm(data), PlainForm(data)
    fast.is_valid()
    plain.is_valid()
    assert isinstance(fast.fields["lab"].widget, Select)
    assert fast["lab"].widget_type == "select"
    for name in ("lab", "pick"):
        assert str(fast[name]) == str(plain[name])
    if data.get("lab") == lab.slug:
        assert f'<option value="{lab.slug}" selected>' in str(fast["lab"])
