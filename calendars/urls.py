"""The calendar feed's public address: no session, the token is the credential."""

from django.urls import path

from . import views

urlpatterns = [
    path("calendar/<slug:token>.ics", views.feed, name="calendars_feed"),
]
