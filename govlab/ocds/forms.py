from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PublicationSettings


class PublicationSettingsForm(forms.ModelForm):
    publisher_uri = forms.URLField(label=_("publisher address"), required=False, assume_scheme="https")
    license_url = forms.URLField(label=_("licence"), assume_scheme="https")

    class Meta:
        model = PublicationSettings
        fields = ["prefix", "publisher_name", "publisher_uri", "license_url", "policy"]
        help_texts = {
            "prefix": _("“ocds-” and 6 characters, as registered with the Open Contracting Partnership."),
        }
        widgets = {"policy": forms.Textarea(attrs={"rows": 8})}
