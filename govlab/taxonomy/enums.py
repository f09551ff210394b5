from django.db import models
from django.utils.translation import gettext_lazy as _


class Vocabulary(models.TextChoices):
    SDG = "sdg", _("Sustainable Development Goals")
    SECTOR = "sector", _("Sectors")
    TECHNOLOGY = "technology", _("Technologies")
    THEMATIC_AREA = "thematic_area", _("Thematic areas")
