"""Template helpers: translated content, user text direction, form field ids."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _

from govlab.core.i18n import pick

register = template.Library()
LANGUAGE_NAMES = dict(settings.LANGUAGES)


@register.simple_tag(takes_context=True)
def tr(context, value, preferred=None):
    """User content in the reader's language, marked with its language and direction.

    A fallback to another language is said in words, not only by the ``lang`` attribute.
    ``preferred`` is a list of language codes to try first when the reader's is missing (a lab's).
    """
    chosen = pick(value, preferred=preferred)
    if not chosen.text:
        return ""
    if chosen.is_fallback:
        return format_html(
            '<span lang="{}" dir="auto">{}</span> <span class="fallback-note">({})</span>',
            chosen.language,
            chosen.text,
            _("in %(language)s") % {"language": LANGUAGE_NAMES.get(chosen.language, chosen.language)},
        )
    return format_html('<span lang="{}" dir="auto">{}</span>', chosen.language, chosen.text)


@register.simple_tag
def tr_text(value, preferred=None):
    """The plain text of translated content in the reader's language (for titles and attributes)."""
    return pick(value, preferred=preferred).text


@register.filter
def language_name(code):
    return LANGUAGE_NAMES.get(code, code)
