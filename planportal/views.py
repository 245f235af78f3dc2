from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from planportal.api import suspicious_body

# Django's error pages answer what never reached an API view (an address no
# route matches, a body Django refused to read): under /api/ they answer in
# the API's own shape, {"detail", "code"} (docs/api.md, "Errors").
API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


@requires_csrf_token
def bad_request(request, exception=None):
    if _is_api(request):
        body, status = suspicious_body(exception)
        return JsonResponse(body, status=status)
    return render(request, "errors/400.html", status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse(
            {
                "detail": str(exception or "") or _("You do not have permission to do this."),
                "code": "not_allowed",
            },
            status=403,
        )
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request):
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Sorry, something went wrong on our side."), "code": "server_error"},
            status=500,
        )
    return render(request, "errors/500.html", status=500)


def healthz(request):
    """A bare liveness check for load balancers: no database, no template."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def set_language(request):
    """Switch the interface language (a GET form, so pages carry no token).

    Changing a display preference is harmless to forge, and keeping the
    switcher free of a CSRF token lets anonymous pages be cached whole.
    """
    from django.conf import settings
    from django.http import HttpResponseRedirect
    from django.utils.http import url_has_allowed_host_and_scheme

    language = request.GET.get("language") or request.POST.get("language")
    next_url = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            # django-stubs types this setting as any str; ours is "Lax".
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=False,
        )
    return response
