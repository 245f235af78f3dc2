"""One way to refuse (planportal/errors.py, planportal/api.py, planportal/forms.py).

Every kind of refusal gets its status and its code from the error itself, and
the API's one exception handler answers it with one body shape: the message
(``detail``) or the fields with their messages, plus ``code``.
"""

from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions

from accounts.api_tokens import CodeRequired, EnrollmentRequired
from accounts.services import AccountDeletionRefused
from accounts.tokens import ExpiredLink, InvalidLink, UsedLink
from accounts.two_factor import CodeInvalid, TwoFactorRequired
from climate.services import AlreadyPublished
from consultations.services import (
    AlreadyDoneError,
    ConsultationClosedError,
    ProposalStateError,
    RateLimitError,
)
from council.services import TransitionError
from planportal.api import exception_handler
from planportal.errors import Conflict, NotAllowed, Refusal, code_of, status_of
from planportal.forms import add_refusal_to_form
from plans.api.views import StillReferenced
from plans.diff import AgainstError
from plans.models import FrozenVersionError
from plans.services import ConflictError
from review.services import CommentError

# error, status, code: the status rule of docs/api.md ("Errors").
REFUSALS = [
    (Refusal("Neteisingai."), 400, "invalid"),
    (ValidationError("Neteisingai."), 400, "invalid"),
    (AgainstError("Nėra tokios versijos."), 400, "invalid"),
    (InvalidLink(), 400, "link_invalid"),
    (CodeRequired("Atsiųskite kodą."), 400, "otp_required"),
    (CodeInvalid("Kodas neteisingas."), 400, "otp_invalid"),
    (NotAllowed("Negalima."), 403, "not_allowed"),
    (EnrollmentRequired("Pirma įjunkite."), 403, "mfa_enrollment_required"),
    (TwoFactorRequired("Išjungti negalima."), 403, "mfa_required"),
    (AccountDeletionRefused("Paskyra lieka."), 403, "not_allowed"),
    (ExpiredLink(), 410, "link_expired"),
    (FrozenVersionError("Versija patvirtinta."), 409, "frozen_version"),
    (TransitionError("Versija patvirtinta."), 409, "transition_not_allowed"),
    (TransitionError("Balsavimas baigtas.", code="voting_closed"), 409, "voting_closed"),
    (CommentError("Komentuoti negalima."), 409, "comment_not_allowed"),
    (ConsultationClosedError("Aptarimas baigėsi."), 409, "consultation_closed"),
    (AlreadyDoneError("Jau pritarėte."), 409, "already_done"),
    (AlreadyPublished("Inventorizacija jau paskelbta."), 409, "already_published"),
    (ProposalStateError("Pasiūlymas atsiimtas."), 409, "proposal_state"),
    (UsedLink(), 409, "link_used"),
    (Conflict("Konfliktas."), 409, "conflict"),
    (RateLimitError("Per daug."), 429, "rate_limited"),
]


def handle(error):
    response = exception_handler(error, {"request": None, "view": None})
    assert response is not None, f"{error!r} was not answered"
    return response


@pytest.mark.parametrize(("error", "status", "code"), REFUSALS)
def test_each_refusal_is_answered_with_its_status_its_code_and_its_message(error, status, code):
    response = handle(error)
    assert (response.status_code, response.data) == (
        status,
        {"detail": " ".join(error.messages), "code": code},
    )


@pytest.mark.parametrize(("error", "status", "code"), REFUSALS)
def test_the_browser_reads_the_same_status_and_code_from_the_error(error, status, code):
    assert (status_of(error), code_of(error)) == (status, code)


def test_a_stale_revision_also_gives_the_current_revision():
    response = handle(ConflictError(SimpleNamespace(revision=7)))
    assert response.status_code == 409
    assert response.data["code"] == "stale_revision"
    assert response.data["current_revision"] == 7
    assert response.data["detail"]


def test_a_refusal_that_names_fields_keeps_the_fields_and_adds_the_code():
    error = ValidationError({"ends_at": "Pabaiga turi būti vėliau.", "title": ["Įrašykite."]})
    response = handle(error)
    assert response.status_code == 400
    assert response.data == {
        "ends_at": ["Pabaiga turi būti vėliau."],
        "title": ["Įrašykite."],
        "code": "invalid",
    }
    frozen = handle(FrozenVersionError({"version": "Tik projektą."}))
    assert (frozen.status_code, frozen.data) == (
        409,
        {"version": ["Tik projektą."], "code": "frozen_version"},
    )


def test_a_field_called_code_keeps_its_messages():
    # A node's "code" is read-only: the refusal of a client writing it must
    # still say so; the 400 says that the input is invalid.
    response = handle(ValidationError({"code": ["Šio lauko rašyti negalima."]}))
    assert (response.status_code, response.data) == (
        400,
        {"code": ["Šio lauko rašyti negalima."]},
    )


@pytest.mark.parametrize(
    ("error", "status", "code", "detail"),
    [
        (PermissionDenied("Tik darbuotojams."), 403, "not_allowed", "Tik darbuotojams."),
        (Http404("Nėra."), 404, "not_found", "Nėra."),
        (IntegrityError("unique"), 409, "conflict", None),
        (exceptions.NotAuthenticated(), 401, "not_authenticated", None),
        (exceptions.AuthenticationFailed(), 401, "not_authenticated", None),
        (exceptions.PermissionDenied("Ne jums."), 403, "not_allowed", "Ne jums."),
        (exceptions.NotFound(), 404, "not_found", None),
        (exceptions.MethodNotAllowed("PUT"), 405, "method_not_allowed", None),
        (exceptions.ParseError(), 400, "invalid", None),
        (exceptions.Throttled(wait=30), 429, "rate_limited", None),
        (exceptions.ValidationError("Atsiųskite objektą."), 400, "invalid", "Atsiųskite objektą."),
        (StillReferenced(), 409, "still_referenced", None),
    ],
)
def test_django_and_drf_errors_get_the_same_shape(error, status, code, detail):
    response = handle(error)
    assert response.status_code == status
    assert response.data["code"] == code
    assert response.data["detail"]
    if detail:
        assert response.data["detail"] == detail
    assert set(response.data) == {"detail", "code"}


def test_drf_field_errors_keep_their_shape_and_get_the_code():
    response = handle(exceptions.ValidationError({"title": ["Įrašykite pavadinimą."]}))
    assert (response.status_code, response.data) == (
        400,
        {"title": ["Įrašykite pavadinimą."], "code": "invalid"},
    )


def test_a_throttled_answer_says_when_to_come_back():
    assert handle(exceptions.Throttled(wait=30))["Retry-After"] == "30"


def test_an_unexpected_error_is_left_to_the_server_error_page():
    assert exception_handler(RuntimeError("bug"), {"request": None, "view": None}) is None


class ConsultationForm(forms.Form):
    title = forms.CharField()
    ends_at = forms.CharField()


def bound_form():
    form = ConsultationForm({"title": "Aptarimas", "ends_at": "rytoj"})
    assert form.is_valid()
    return form


def test_the_form_helper_puts_field_messages_on_their_fields_and_the_rest_on_the_form():
    form = bound_form()
    error = FrozenVersionError(
        {"ends_at": "Per anksti.", "version": "Tik projektą.", NON_FIELD_ERRORS: "Ir dar."}
    )
    add_refusal_to_form(form, error)
    assert form.errors["ends_at"] == ["Per anksti."]
    assert form.non_field_errors() == ["Tik projektą.", "Ir dar."]


def test_the_form_helper_renames_fields_and_falls_back():
    form = bound_form()
    add_refusal_to_form(
        form,
        ValidationError({"name": "Įrašykite.", "other": "Kita."}),
        field_map={"name": "title"},
        fallback_field="ends_at",
    )
    assert form.errors["title"] == ["Įrašykite."]
    assert form.errors["ends_at"] == ["Kita."]


def test_the_form_helper_keeps_the_refusals_code():
    form = bound_form()
    add_refusal_to_form(form, TransitionError("Balsavimas baigtas.", code="voting_closed"))
    assert form.has_error(NON_FIELD_ERRORS, "voting_closed")
    assert form.non_field_errors() == ["Balsavimas baigtas."]
    other = bound_form()
    add_refusal_to_form(other, PermissionDenied("Tik darbuotojams."))
    assert other.non_field_errors() == ["Tik darbuotojams."]


def test_a_refusal_reads_as_its_message_and_still_is_a_validation_error():
    error = FrozenVersionError("Versija patvirtinta.")
    assert str(error) == "Versija patvirtinta."
    assert isinstance(error, ValidationError)
    assert isinstance(AccountDeletionRefused("Ne."), PermissionDenied)
    assert isinstance(AgainstError("Ne."), ValueError)
