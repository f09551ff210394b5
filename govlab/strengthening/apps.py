from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrengtheningConfig(AppConfig):
    name = "govlab.strengthening"
    label = "strengthening"
    verbose_name = _("Strengthening programme")
