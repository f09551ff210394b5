import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def relative_luminance(colour: str) -> float:
    channels = []
    for index in (1, 3, 5):
        value = int(colour[index : index + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_brand_colour(value: str) -> None:
    """A #RRGGBB colour dark enough for white text on it (WCAG 2.1 AA: contrast of at least 4.5:1)."""
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(
            _("Give the colour as # and six hexadecimal digits, e.g. #1d4ed8."), code="format"
        )
    ratio = contrast_ratio(value, "#ffffff")
    if ratio < 4.5:
        raise ValidationError(
            _(
                "White text on %(colour)s has a contrast of %(ratio).1f:1; at least 4.5:1 is needed "
                "to be readable (WCAG 2.1 AA). Choose a darker colour."
            ),
            code="contrast",
            params={"colour": value, "ratio": ratio},
        )


def validate_language_list(value) -> None:
    codes = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one language."), code="required")
    unknown = [code for code in value if code not in codes]
    if unknown:
        raise ValidationError(
            _("Not a supported language: %(codes)s."), code="invalid", params={"codes": ", ".join(unknown)}
        )
