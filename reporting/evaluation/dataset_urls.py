"""The dataset pages of the public site: /data/ (see ``dataset_views``)."""

from django.urls import path

from . import dataset_views

app_name = "datasets"
urlpatterns = [
    path("", dataset_views.dataset_list, name="list"),
    path("<slug:slug>/", dataset_views.dataset_detail, name="detail"),
    path(
        "<slug:slug>/download.<str:fmt>",
        dataset_views.dataset_download,
        name="download",
    ),
]
