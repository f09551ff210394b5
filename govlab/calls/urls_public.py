"""Public call pages, feeds, and the solver's applications, receipts and workspace.

Fixed words (``mine``, ``applications``, ``receipts``, ``feed.*``) come before ``<lab_slug>/<slug>/``
so that they are never read as a lab's short name.
"""

from django.urls import path

from . import feeds
from . import views_public as views

urlpatterns = [
    path("", views.call_list, name="list"),
    path("feed.ics", feeds.calendar, name="feed_ics"),
    path("feed.atom", feeds.atom, name="feed_atom"),
    path("mine/", views.mine, name="mine"),
    path("following/", views.following, name="following"),
    path("receipts/verify/", views.receipt_verify, name="receipt_verify"),
    path("applications/<str:reference>/", views.application_edit, name="application"),
    path("applications/<str:reference>/autosave/", views.application_autosave, name="application_autosave"),
    path("applications/<str:reference>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<str:reference>/files/<int:pk>/", views.application_file, name="application_file"),
    path("applications/<str:reference>/receipts/<int:number>/", views.receipt, name="receipt"),
    path("<slug:lab_slug>/<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:lab_slug>/<slug:slug>/ask/", views.enquiry_ask, name="ask"),
    path("<slug:lab_slug>/<slug:slug>/apply/", views.apply, name="apply"),
    path("<slug:lab_slug>/<slug:slug>/follow/", views.follow, name="follow"),
    path("<slug:lab_slug>/<slug:slug>/documents/<int:pk>/", views.document_download, name="document"),
]
