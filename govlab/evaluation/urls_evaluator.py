"""The evaluator's pages (queue, declaration, review) and the solver's feedback page.

Under ``/evaluation/``; the lab's pages live under ``lab/`` so these fixed words never clash with them.
"""

from django.urls import path

from . import views_evaluator as views

urlpatterns = [
    path("mine/", views.queue, name="queue"),
    path("applications/<str:reference>/declare/", views.declare, name="declare"),
    path("applications/<str:reference>/review/", views.review, name="review"),
    path("applications/<str:reference>/files/<slug:key>/", views.review_file, name="review_file"),
    path("feedback/<str:reference>/", views.feedback, name="feedback"),
]
