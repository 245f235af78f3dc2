"""Work that runs after the response has gone to the client.

Sending an e-mail over SMTP takes tens of milliseconds or more. A form that
mails only when an account exists (a password reset, a registration with an
address that has an account) would answer measurably later for an existing
address than for an unknown one, and so tell who has an account. Mail of
those forms is therefore handed to ``after_response``: within a request it
runs when the server closes the response (Django's ``request_finished``
signal, sent by gunicorn, runserver and the test client after the body is
written); outside a request (a management command, a test's on-commit
callbacks) it runs at once.

The worker is still busy until the mail is sent, so this is no queue: it only
takes the mail out of the time the client can measure.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable

from django.core.signals import request_finished, request_started
from django.dispatch import receiver

logger = logging.getLogger(__name__)

# The callables of the request being served on this thread; None outside one.
_pending: contextvars.ContextVar[list[Callable[[], object]] | None] = contextvars.ContextVar(
    "planportal_after_response", default=None
)


def after_response(work: Callable[[], object]) -> None:
    """Run ``work`` once the current response is sent, or now outside a request."""
    pending = _pending.get()
    if pending is None:
        work()
    else:
        pending.append(work)


@receiver(request_started, dispatch_uid="planportal.deferred.start")
def _start(**kwargs) -> None:
    _pending.set([])


@receiver(request_finished, dispatch_uid="planportal.deferred.finish")
def _finish(**kwargs) -> None:
    pending = _pending.get()
    _pending.set(None)
    for work in pending or []:
        try:
            work()
        except Exception:
            # The response is gone: nobody to tell but the log.
            logger.exception("Work after the response failed")
