"""Admin addresses of the accounts app (registered under /admin/ by wagtail_hooks)."""

from django.urls import path

from . import profile_views, views
from .reauth import ReauthenticateView

urlpatterns = [
    path("2fa/setup/", views.setup, name="accounts_2fa_setup"),
    path("2fa/verify/", views.verify, name="accounts_2fa_verify"),
    path("2fa/", views.own_device, name="accounts_two_factor"),
    path("2fa/reset/<int:user_id>/", views.reset, name="accounts_2fa_reset"),
    path("reauth/", ReauthenticateView.as_view(), name="accounts_reauth"),
    path(
        "district-profile/",
        profile_views.district_profiles,
        name="accounts_district_profiles",
    ),
    path(
        "district-profile/<int:organisation_id>/",
        profile_views.district_profile,
        name="accounts_district_profile",
    ),
]
