from django.urls import path

from . import views

urlpatterns = [
    path("districts/<slug:code>/", views.district_page, name="public_district"),
    path("projects/<str:code>/", views.project_page, name="public_project"),
    path(
        "outcomes/<int:year>/one-page.pdf",
        views.outcomes_pdf,
        name="public_outcomes_pdf",
    ),
]
