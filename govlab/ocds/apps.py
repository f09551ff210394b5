from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OcdsConfig(AppConfig):
    name = "govlab.ocds"
    label = "ocds"
    verbose_name = _("Open contracting data")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
