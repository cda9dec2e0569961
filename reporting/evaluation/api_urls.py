from django.urls import path

from . import api, opendata_api

app_name = "open_data"
urlpatterns = [
    # Legacy (kept unchanged for existing clients): the roll-up and catalogue.
    path("outcomes/", api.outcomes, name="outcomes"),
    path("indicators/", api.indicators, name="indicators"),
    path("openapi.json", api.openapi, name="openapi"),
    # The metadata catalogue (DCAT-AP JSON-LD) and the context it names.
    path("catalog.jsonld", api.catalog, name="catalog"),
    path("catalog-context.jsonld", api.catalog_context, name="catalog_context"),
    # The standard datasets, 공공데이터포털 style (pageNo, numOfRows, type).
    path("<slug:slug>/", opendata_api.dataset_api, name="dataset"),
]
