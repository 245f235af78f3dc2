from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.forms import LoginForm
from planportal import views
from plans.views import public

api_v1: list[URLPattern | URLResolver] = [
    path("", include("accounts.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from its own URL
    # (?script), so that the page needs no inline script under the
    # Content-Security-Policy (docs/security/csp.md).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("", include("plans.api.urls")),
    path("", include("council.api.urls")),
    path("", include("documents.api.urls")),
    path("", include("consultations.api.urls")),
    path("", include("monitoring.api.urls")),
    path("climate/", include("climate.api.urls")),
    # The monitoring round's workbook (monitoring/api_spreadsheets.py).
    path("", include("monitoring.api_spreadsheets")),
    # The yearly implementation reports (reports/api/, docs/reports/api.md).
    path("", include("reports.api.urls")),
    # A yearly report's XLSX annex (reports/api_xlsx.py).
    path("", include("reports.api_xlsx")),
    # The yearly report as a PDF (reports/api_pdf.py).
    path("", include("reports.api_pdf")),
]

urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The plans' pages first: the pages read most (each pattern before them
    # is tried on every request; tests/test_urls.py checks that no other
    # app's path is shadowed).
    path("", include("plans.urls")),
    path(
        "accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include(api_v1)),
    path("notifications/", include("notifications.urls")),
    path("review/", include("review.urls")),
    path("", include("council.urls")),
    path("", include("documents.urls")),
    path("admin/", admin.site.urls),
    path("consultations/", include("consultations.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("", include("climate.urls")),
    # The monitoring round's workbook pages (monitoring/urls_spreadsheets.py).
    path("monitoring/", include("monitoring.urls_spreadsheets")),
    path("", include("monitoring.urls_public")),
    # Two years' reports compared, a report's XLSX annex (reports/urls_compare.py).
    path("", include("reports.urls_compare")),
    path("", include("reports.urls")),
    path("", include("reports.urls_pdf")),
]

handler400 = "planportal.views.bad_request"
handler403 = "planportal.views.permission_denied"
handler404 = "planportal.views.page_not_found"
handler500 = "planportal.views.server_error"
