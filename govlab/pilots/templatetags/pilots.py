"""Template filters of the pilot pages."""

from django import template

from govlab.pilots.charts import format_value

register = template.Library()


@register.filter
def scaled(value, scale=1):
    """A figure of the analysis for a table: times ``scale`` (100 for a rate shown in %), formatted for
    the reader's language; "—" when there is none."""
    if value is None:
        return "—"
    return format_value(float(value) * float(scale))
