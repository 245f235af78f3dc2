from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from plans.selectors import plans_with_current_version


def home(request):
    return render(request, "home.html", {"plans": plans_with_current_version()})


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request):
    return render(request, "errors/500.html", status=500)


def healthz(request):
    """A bare liveness check for load balancers: no database, no template."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
