from django.conf import settings


def site(request):
    """What every page needs: the languages to switch between and the lab being shown, if any."""
    return {
        "site_languages": settings.LANGUAGES,
        "current_lab": getattr(request, "lab", None),
    }
