"""allauth views that govlab replaces, under allauth's own URL names (included before allauth.urls)."""

from django.urls import path

from . import views

urlpatterns = [path("login/", views.login, name="account_login")]
