from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from common.views import site_history

urlpatterns = [
    # Ahead of Wagtail's own patterns (same paths and names): see site_history.
    path(
        "admin/reports/site-history/",
        site_history,
        name="wagtailadmin_site_history_guarded",
    ),
    path(
        "admin/reports/site-history/results/",
        site_history,
        {"results_only": True},
        name="wagtailadmin_site_history_results_guarded",
    ),
    # Sign-out that ends the session on GET too, and the limited password-reset
    # form: ahead of Wagtail's patterns, same paths and names (accounts.account_urls).
    path("admin/", include("accounts.account_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("common.urls")),
    path("", include("calendars.urls")),
    path("", include("cms.urls")),
    path("api/v1/", include("reporting.evaluation.api_urls")),
    path("data/", include("reporting.evaluation.dataset_urls")),
    path("", include("reporting.evaluation.public.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every remaining path as a page: keep it last.
urlpatterns += [path("", include(wagtail_urls))]

# Requests too large to read get a page that says what to do (common.views.bad_request).
handler400 = "common.views.bad_request"
