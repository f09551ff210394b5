from django.urls import path, register_converter

from . import views


class OcidConverter:
    regex = r"ocds-[a-z0-9]{6}-[A-Za-z0-9._-]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(OcidConverter, "ocid")

app_name = "ocds"

urlpatterns = [
    path("", views.index, name="index"),
    path("labs/<slug:lab_slug>/", views.lab_index, name="lab"),
    path("labs/<slug:lab_slug>/policy/", views.policy, name="policy"),
    path("labs/<slug:lab_slug>/settings/", views.settings_edit, name="settings"),
    path("labs/<slug:lab_slug>/bulk/releases-<int:page>.json", views.bulk, name="bulk"),
    path("<ocid:ocid>/", views.process, name="process"),
    path("<ocid:ocid>/releases.json", views.releases_json, name="releases"),
    path("<ocid:ocid>/record.json", views.record_json, name="record"),
]
