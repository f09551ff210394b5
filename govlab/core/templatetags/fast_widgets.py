"""A form renderer that writes ``<select>`` elements in Python instead of one template per option.

Django renders every ``<option>`` through two template includes (the option, then its attributes); a
filter form with the 250 countries and the taxonomy's terms spends most of a list page's time there.
``FastSelectRenderer`` produces the same markup, byte for byte, as Django's ``select.html``,
``select_option.html`` and ``attrs.html`` and hands every other template to ``TemplatesSetting`` as
before. Use it on a form with ``default_renderer = FAST_RENDERER`` (the public filter forms do).

``Select`` goes one step further for a form's plain drop-downs: it writes the same markup straight from
its choices, without building Django's per-option context dictionaries (``optgroups``/``create_option``).
It keeps the class name ``Select`` so ``BoundField.widget_type`` stays ``"select"``.

This module registers no template tags (Django skips modules without ``register``); it lives here because
it is template rendering, next to the ``govlab`` tag library.
"""

from __future__ import annotations

import html

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _string(value) -> str:
    """What ``{{ value|stringformat:'s' }}`` writes under autoescaping."""
    text = "%s" % (value,)  # noqa: UP031 (exactly the stringformat filter)
    return text if isinstance(value, SafeData) else html.escape(text)  # what django.utils.html.escape does


def _text(value) -> str:
    """What ``{{ value }}`` writes for a string under autoescaping (``conditional_escape``, without its
    lazy-argument wrapper, which costs more than the escaping of a short label)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """What ``django/forms/widgets/attrs.html`` writes."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{_string(value)}"')
    return "".join(parts)


def render_select(widget: dict) -> str | None:
    """The ``<select>`` of a widget context, or None when it needs the templates (unusual options)."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            label = option["label"]
            if option.get("template_name") != OPTION_TEMPLATE or not isinstance(label, str | Promise):
                return None  # numbers and dates are localised by the template engine: let it do it
            out.append(
                f'\n  <option value="{_string(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(label)}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


class FastSelectRenderer(TemplatesSetting):
    """``TemplatesSetting``, with ``<select>`` widgets written in Python (same markup)."""

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)


FAST_RENDERER = FastSelectRenderer()


class Select(forms.Select):
    """``forms.Select`` writing its markup in Python: the same HTML, a fraction of the work."""

    def render(self, name, value, attrs=None, renderer=None):
        if (
            self.template_name != SELECT_TEMPLATE
            or self.option_template_name != OPTION_TEMPLATE
            or self.option_inherits_attrs
            or self.allow_multiple_selected
        ):
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)  # what ChoiceWidget.get_context passes to optgroups()
        final_attrs = self.build_attrs(self.attrs, attrs)
        out = [f'<select name="{conditional_escape(name)}"{_attrs(final_attrs)}>']
        has_selected = False
        for option_value, option_label in self.choices:  # the logic of ChoiceWidget.optgroups()
            if option_value is None:
                option_value = ""
            if isinstance(option_label, list | tuple):
                group_name, choices = option_value, option_label
            else:
                group_name, choices = None, [(option_value, option_label)]
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for subvalue, sublabel in choices:
                if not isinstance(sublabel, str | Promise):
                    return super().render(name, value, attrs, renderer)  # localised by the templates
                selected = not has_selected and str(subvalue) in values
                has_selected |= selected
                out.append(
                    f'\n  <option value="{_string(subvalue)}"{" selected" if selected else ""}>'
                    f"{_text(sublabel)}</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


def use_fast_selects(form: forms.BaseForm) -> None:
    """Render this form's plain ``forms.Select`` drop-downs with ``Select`` (same markup, same state)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget.__class__ = Select
