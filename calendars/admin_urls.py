"""Admin addresses of the calendar (registered under /admin/ by wagtail_hooks)."""

from django.urls import path

from . import views

urlpatterns = [
    path("calendar/", views.feed_settings, name="calendars_feed_settings"),
]
