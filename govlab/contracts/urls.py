"""Contract pages: the lab's lists, payments and exports; each contract's pages; lessons learned."""

from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("lab/<slug:lab_slug>/", views.lab_list, name="lab"),
    path("lab/<slug:lab_slug>/payments/", views.lab_payments, name="lab_payments"),
    path("lab/<slug:lab_slug>/export/<str:what>.<str:extension>", views.export, name="export"),
    path("new/award/<int:award_pk>/", views.create_from_award, name="create_from_award"),
    path("new/pilot/<int:pilot_pk>/", views.create_from_pilot, name="create_from_pilot"),
    path("lessons/<str:reference>/", views.lessons, name="lessons"),
    path("lessons/<str:reference>/close/", views.close, name="close"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("<int:pk>/finish/", views.end, {"how": "finish"}, name="finish"),
    path("<int:pk>/cancel/", views.end, {"how": "cancel"}, name="cancel"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_pk>/", views.document, name="document"),
    path("<int:pk>/milestones/new/", views.milestone, name="milestone_new"),
    path("<int:pk>/milestones/<int:milestone_pk>/", views.milestone, name="milestone"),
    path("<int:pk>/schedule/new/", views.schedule, name="schedule_new"),
    path("<int:pk>/schedule/<int:line_pk>/", views.schedule, name="schedule"),
    path("<int:pk>/schedule/<int:line_pk>/delete/", views.schedule_delete, name="schedule_delete"),
    path("<int:pk>/invoices/new/", views.invoice, name="invoice"),
    path("<int:pk>/payments/<int:payment_pk>/<str:step>/", views.payment_step, name="payment"),
    path("<int:pk>/reports/<int:report_pk>/", views.report, name="report"),
    path("<int:pk>/issues/new/", views.issue, name="issue_new"),
    path("<int:pk>/issues/<int:issue_pk>/", views.issue, name="issue"),
]
