from django import forms
from django.utils.translation import gettext_lazy as _


class NotificationFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All notifications")), ("unread", _("Unread only"))],
    )


class ReturnToForm(forms.Form):
    """Where to go back to after a POST: a path on this site only (never another host)."""

    next = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_next(self) -> str:
        from django.utils.http import url_has_allowed_host_and_scheme

        target = self.cleaned_data.get("next") or ""
        if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return ""
