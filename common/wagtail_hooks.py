from django.urls import path
from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def register_job_urls():
    return [
        path("jobs/<uuid:job_id>/", views.job_status, name="job_status"),
        path("jobs/<uuid:job_id>/file/", views.job_download, name="job_download"),
    ]
