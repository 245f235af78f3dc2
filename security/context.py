"""The request being answered, for events whose signal does not carry it.

An admin change, a role change or a version's transition is recorded by a
receiver of a model signal, which knows the row but not the request: the
middleware keeps the request in a context variable so that ``record`` can
take its address hash (and its user, when the row names none). Outside a
request (a shell, a management command, the PDF worker) there is none.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest

_current: ContextVar[HttpRequest | None] = ContextVar("security_request", default=None)


def current_request() -> HttpRequest | None:
    return _current.get()


class CurrentRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(request)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
