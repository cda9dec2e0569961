from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("language/", views.switch_language, name="language"),
    path("results/", views.results_index, name="results"),
    path("privacy/", views.privacy, name="privacy"),
    path("copyright/", views.copyright_policy, name="copyright"),
]
