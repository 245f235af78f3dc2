"""Registration and password reset answer alike, with the same work, whether
or not an address has an account (account enumeration)."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import forms, views

from .conftest import english

pytestmark = pytest.mark.django_db
RESET = "accounts:password-reset"


def _reset_work(monkeypatch, email):
    """What a reset request for ``email`` does: queries, tokens, rendered templates."""
    tokens, rendered = [], []
    make_token = default_token_generator.make_token
    monkeypatch.setattr(
        default_token_generator, "make_token", lambda user: tokens.append(1) or make_token(user)
    )
    render = forms.render_to_string
    monkeypatch.setattr(
        forms,
        "render_to_string",
        lambda name, context: rendered.append(name) or render(name, context),
    )
    with CaptureQueriesContext(connection) as queries:
        response = english().post(reverse(RESET), {"email": email})
    monkeypatch.undo()
    return response, len(queries), len(tokens), rendered


def test_a_reset_does_the_same_work_for_an_unknown_address(resident, monkeypatch):
    known = _reset_work(monkeypatch, "jonas@example.lt")
    assert len(mail.outbox) == 1
    unknown = _reset_work(monkeypatch, "niekas@example.lt")
    assert len(mail.outbox) == 1  # nothing went to the unknown address
    (known_response, *known_work), (unknown_response, *unknown_work) = known, unknown
    assert known_response.status_code == unknown_response.status_code == 302
    assert known_response["Location"] == unknown_response["Location"]
    assert known_work == unknown_work
    queries, tokens, rendered = known_work
    assert tokens == 1 and len(rendered) == 2


def test_the_reset_email_leaves_after_the_response(resident, monkeypatch):
    when_answered = []
    form_valid = views.PasswordResetView.form_valid

    def answer(self, form):
        response = form_valid(self, form)
        when_answered.append(len(mail.outbox))
        return response

    monkeypatch.setattr(views.PasswordResetView, "form_valid", answer)
    english().post(reverse(RESET), {"email": "jonas@example.lt"})
    assert when_answered == [0]  # the answer was ready before the mail left
    assert [message.to for message in mail.outbox] == [["jonas@example.lt"]]
