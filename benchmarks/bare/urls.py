"""The bare project's one view, at every benchmark's first URL: ``/``."""

from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", hello)]
