"""Evaluation URLs: the lab's pages under ``lab/<lab_slug>/<call pk>/``, then the evaluator's and the
solver's."""

from django.urls import include, path

app_name = "evaluation"
urlpatterns = [
    path("", include("govlab.evaluation.urls_lab")),
    path("", include("govlab.evaluation.urls_evaluator")),
]
