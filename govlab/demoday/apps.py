from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoDayConfig(AppConfig):
    name = "govlab.demoday"
    label = "demoday"
    verbose_name = _("Demo Day")
