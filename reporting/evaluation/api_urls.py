from django.urls import path

from . import api

app_name = "open_data"
urlpatterns = [
    path("outcomes/", api.outcomes, name="outcomes"),
    path("indicators/", api.indicators, name="indicators"),
    path("openapi.json", api.openapi, name="openapi"),
]
