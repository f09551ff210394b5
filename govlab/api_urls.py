"""The JSON API, version 1. Each app registers its endpoints in its own api.py."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from govlab.accounts.api import register as register_accounts
from govlab.accounts.api import urlpatterns as accounts_urlpatterns
from govlab.calls.api import register as register_calls
from govlab.challenges.api import register as register_challenges
from govlab.contracts.api import register as register_contracts
from govlab.demoday.api import register as register_demoday
from govlab.evaluation.api import register as register_evaluation
from govlab.labs.api import register as register_labs
from govlab.monitoring.api import register as register_monitoring
from govlab.notifications.api import register as register_notifications
from govlab.ocds.api import register as register_ocds
from govlab.organisations.api import register as register_organisations
from govlab.pilots.api import register as register_pilots
from govlab.procurement.api import register as register_procurement
from govlab.strengthening.api import register as register_strengthening
from govlab.taxonomy.api import register as register_taxonomy

router = DefaultRouter()
register_labs(router)
register_organisations(router)
register_accounts(router)
register_taxonomy(router)
register_notifications(router)
register_challenges(router)
register_calls(router)
register_evaluation(router)
register_strengthening(router)
register_pilots(router)
register_demoday(router)
register_procurement(router)
register_contracts(router)
register_ocds(router)
register_monitoring(router)

app_name = "api"
urlpatterns = [*accounts_urlpatterns, path("", include(router.urls))]
