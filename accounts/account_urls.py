"""Wagtail's sign-out and password-reset addresses, answered by our views
(accounts.account_views). Included under /admin/ ahead of Wagtail's admin URLs
in config/urls.py, with Wagtail's names, so every link and reverse() is
unchanged."""

from django.urls import path

from . import account_views

urlpatterns = [
    path("logout/", account_views.LogoutView.as_view(), name="wagtailadmin_logout"),
    path(
        "password_reset/",
        account_views.PasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
]
