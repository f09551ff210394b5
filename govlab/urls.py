from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from govlab.core.admin import admin_site
from govlab.core.api import api_docs
from govlab.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("govlab.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
]

urlpatterns += i18n_patterns(
    path("", include("govlab.core.urls")),
    path("accounts/", include(("govlab.accounts.urls", "accounts"))),
    path("accounts/", include("govlab.accounts.urls_overrides")),
    path("accounts/", include("allauth.urls")),
    path("labs/", include("govlab.labs.urls")),
    path("organisations/", include("govlab.organisations.urls")),
    path("notifications/", include("govlab.notifications.urls")),
    path("challenges/", include("govlab.challenges.urls")),
    path("calls/", include("govlab.calls.urls")),
    path("evaluation/", include("govlab.evaluation.urls")),
    path("strengthening/", include("govlab.strengthening.urls")),
    path("pilots/", include("govlab.pilots.urls")),
    path("demo-day/", include("govlab.demoday.urls")),
    path("procurement/", include("govlab.procurement.urls")),
    path("contracts/", include("govlab.contracts.urls")),
    path("ocds/", include("govlab.ocds.urls")),
    path("monitoring/", include("govlab.monitoring.urls")),
    path("admin/", admin_site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
