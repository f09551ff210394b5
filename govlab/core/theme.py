from govlab.core.validators import HEX_COLOUR


def _darken(colour: str, factor: float) -> str:
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{max(0, int(c * factor)):02x}" for c in channels)


def theme_css(primary: str) -> str:
    """CSS custom properties for a lab's colour (validated, so nothing else can be injected)."""
    if not HEX_COLOUR.match(primary or ""):
        primary = "#1d4ed8"
    return f":root {{ --lab-primary: {primary}; --lab-primary-dark: {_darken(primary, 0.75)}; }}\n"
