"""The lab's call pages. Every address starts with ``lab/<lab_slug>/`` so it never meets a public one."""

from django.urls import path

from . import views_lab

CALL = "lab/<slug:lab_slug>/<int:pk>/"

urlpatterns = [
    path("lab/<slug:lab_slug>/", views_lab.call_list, name="lab_calls"),
    path("lab/<slug:lab_slug>/new/", views_lab.call_create, name="lab_call_create"),
    path(CALL, views_lab.call_dashboard, name="lab_call"),
    path(f"{CALL}edit/", views_lab.call_edit, name="lab_call_edit"),
    path(f"{CALL}criteria/", views_lab.criteria_edit, name="lab_criteria"),
    path(f"{CALL}documents/", views_lab.documents, name="lab_documents"),
    path(f"{CALL}documents/<int:document_pk>/", views_lab.document_download, name="lab_document"),
    path(f"{CALL}documents/<int:document_pk>/remove/", views_lab.document_remove, name="lab_document_remove"),
    path(f"{CALL}form/", views_lab.form_builder, name="lab_form"),
    path(f"{CALL}form/new/", views_lab.question_create, name="lab_question_create"),
    path(f"{CALL}form/preview/<str:stage>/", views_lab.form_preview, name="lab_form_preview"),
    path(f"{CALL}form/<int:question_pk>/", views_lab.question_edit, name="lab_question"),
    path(f"{CALL}form/<int:question_pk>/remove/", views_lab.question_remove, name="lab_question_remove"),
    path(
        f"{CALL}form/<int:question_pk>/move/<str:direction>/",
        views_lab.question_move,
        name="lab_question_move",
    ),
    path(f"{CALL}publish/", views_lab.call_publish, name="lab_call_publish"),
    path(f"{CALL}cancel/", views_lab.call_cancel, name="lab_call_cancel"),
    path(f"{CALL}enquiries/", views_lab.enquiries, name="lab_enquiries"),
    path(f"{CALL}enquiries/<int:enquiry_pk>/", views_lab.enquiry_answer, name="lab_enquiry"),
    path(
        f"{CALL}enquiries/<int:enquiry_pk>/unpublish/",
        views_lab.enquiry_unpublish,
        name="lab_enquiry_unpublish",
    ),
    path(f"{CALL}extensions/", views_lab.extensions, name="lab_extensions"),
    path(f"{CALL}export.csv", views_lab.export_csv, name="lab_export_csv"),
    path(f"{CALL}export.xlsx", views_lab.export_xlsx, name="lab_export_xlsx"),
    path(f"{CALL}applications/<str:reference>/", views_lab.application_detail, name="lab_application"),
    path(
        f"{CALL}applications/<str:reference>/files/<int:file_pk>/",
        views_lab.application_file,
        name="lab_application_file",
    ),
    path(
        f"{CALL}applications/<str:reference>/invite/",
        views_lab.application_invite,
        name="lab_application_invite",
    ),
]
