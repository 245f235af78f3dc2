"""Registration: form, confirmation link, limits, duplicate addresses, login."""

import types

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from accounts import services
from tests import factories

from .conftest import english, link_in

pytestmark = pytest.mark.django_db
User = get_user_model()


def _register(client, data, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("accounts:register"), data, **extra)


def test_resident_registers_confirms_the_link_and_is_logged_in(
    registration, django_capture_on_commit_callbacks
):
    client = english()
    assert client.get(reverse("accounts:register")).status_code == 200
    response = _register(client, registration, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:register-done")

    user = User.objects.get(email__iexact="ona.petraitiene@example.lt")
    assert not user.is_active
    assert "@" not in user.username
    assert (user.first_name, user.last_name) == ("Ona", "Petraitienė")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Ona.Petraitiene@example.lt"]
    link = link_in(mail.outbox[0])
    # No address travels in the link.
    assert "petraitiene" not in link.lower()

    # Opening the link shows a button (mail scanners that open links do not use it up).
    page = client.get(link)
    assert page.status_code == 200
    user.refresh_from_db()
    assert not user.is_active
    assert client.get(reverse("accounts:profile")).status_code == 302  # not logged in yet

    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.is_active
    profile = client.get(reverse("accounts:profile"))
    assert profile.status_code == 200
    assert "Petraitienė" in profile.content.decode()


def test_confirmation_brings_the_resident_back_where_they_were_going(
    registration, django_capture_on_commit_callbacks
):
    client = english()
    _register(client, {**registration, "next": "/plans/1/"}, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    response = client.post(link)
    assert response["Location"] == "/plans/1/"


def test_a_foreign_next_address_is_dropped(registration, django_capture_on_commit_callbacks):
    client = english()
    _register(
        client,
        {**registration, "next": "https://evil.example/"},
        django_capture_on_commit_callbacks,
    )
    link = link_in(mail.outbox[0])
    assert "evil" not in link
    assert client.post(link)["Location"] == reverse("accounts:profile")


def test_resident_logs_in_with_the_email_address_in_any_case(
    registration, django_capture_on_commit_callbacks
):
    client = english()
    _register(client, registration, django_capture_on_commit_callbacks)
    login = reverse("login")
    # Not confirmed yet: refused.
    refused = client.post(
        login, {"username": "ona.petraitiene@example.lt", "password": registration["password"]}
    )
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert "not confirmed yet" in refused.content.decode()
    # With a wrong password the answer says nothing about the account.
    wrong = client.post(
        login, {"username": "ona.petraitiene@example.lt", "password": "not-it-at-all"}
    )
    assert "not confirmed yet" not in wrong.content.decode()
    client.post(link_in(mail.outbox[0]))
    client.logout()

    response = english().post(
        login,
        {
            "username": "ONA.PETRAITIENE@example.LT",
            "password": registration["password"],
            "next": "/plans/1/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/plans/1/"
    wrong = english().post(
        login, {"username": "ona.petraitiene@example.lt", "password": "not-it-at-all"}
    )
    assert wrong.status_code == 200


def test_an_expired_link_is_refused_with_a_way_to_get_a_new_one(
    registration, django_capture_on_commit_callbacks, monkeypatch, settings
):
    client = english()
    _register(client, registration, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    later = signing.time.time() + settings.ACCOUNTS_CONFIRMATION_MAX_AGE + 60
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: later))

    for response in (client.get(link), client.post(link)):
        assert response.status_code == 410
        body = response.content.decode()
        assert "expired" in body
        assert reverse("accounts:resend") in body
    assert not User.objects.get(email__iexact=registration["email"]).is_active


def test_a_tampered_link_is_refused(registration, django_capture_on_commit_callbacks):
    client = english()
    _register(client, registration, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = reverse(
        "accounts:confirm", args=[token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")]
    )
    response = client.post(forged)
    assert response.status_code == 400 and "not valid" in response.content.decode()
    assert not User.objects.get(email__iexact=registration["email"]).is_active


def test_a_used_link_never_logs_anyone_in_again(registration, django_capture_on_commit_callbacks):
    first = english()
    _register(first, registration, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    first.post(link)

    stranger = english()
    response = stranger.post(link)
    assert response.status_code == 409  # the state (confirmed already) forbids it
    assert "confirmed already" in response.content.decode()
    assert "_auth_user_id" not in stranger.session


def test_a_link_for_an_address_that_changed_since_is_refused(
    registration, django_capture_on_commit_callbacks
):
    client = english()
    _register(client, registration, django_capture_on_commit_callbacks)
    User.objects.filter(email__iexact=registration["email"]).update(email="kitas@example.lt")
    assert client.post(link_in(mail.outbox[0])).status_code == 400


@pytest.mark.parametrize("taken", ["ona.petraitiene@example.lt", "ONA.PETRAITIENE@EXAMPLE.LT"])
def test_an_address_already_registered_gets_the_same_answer_and_its_owner_is_told(
    taken, registration, django_capture_on_commit_callbacks
):
    # What a new address gets: the page that says to check the mailbox.
    fresh = _register(
        english(), {**registration, "email": "nauja@example.lt"}, django_capture_on_commit_callbacks
    )
    owner = factories.UserFactory(username="ona", email=taken, first_name="Ona")
    mail.outbox.clear()
    response = _register(english(), registration, django_capture_on_commit_callbacks)
    assert response.status_code == fresh.status_code == 302
    assert response["Location"] == fresh["Location"] == reverse("accounts:register-done")
    assert User.objects.filter(email__iexact=taken).count() == 1
    owner.refresh_from_db()
    assert owner.check_password("secret-pass-123")  # the registrant's password changed nothing
    # The owner, not the registrant, hears of it: at the account's address.
    assert [message.to for message in mail.outbox] == [[taken]]
    body = mail.outbox[0].body
    assert "already" in mail.outbox[0].subject + body
    assert "/accounts/password/reset/" in body and "/accounts/login/" in body


def test_an_unconfirmed_owner_is_offered_a_new_confirmation_link(
    registration, django_capture_on_commit_callbacks
):
    _register(english(), registration, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    again = _register(english(), registration, django_capture_on_commit_callbacks)
    assert again["Location"] == reverse("accounts:register-done")
    assert User.objects.filter(email__iexact=registration["email"]).count() == 1
    assert len(mail.outbox) == 1 and reverse("accounts:resend") in mail.outbox[0].body


def test_a_registration_with_a_taken_address_hashes_the_password_like_a_new_one(
    registration, monkeypatch, django_capture_on_commit_callbacks
):
    hashed = []
    real = services.make_password
    monkeypatch.setattr(services, "make_password", lambda p: hashed.append(p) or real(p))
    factories.UserFactory(username="ona", email=registration["email"].lower())
    _register(english(), registration, django_capture_on_commit_callbacks)
    assert hashed == [registration["password"]]


def test_the_database_refuses_a_second_account_with_the_same_address_in_another_case(db):
    factories.UserFactory(username="a", email="ona@example.lt")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.UserFactory(username="b", email="Ona@Example.LT")
    # Accounts without an address (made by an administrator) are not affected.
    factories.UserFactory(username="c", email="")
    factories.UserFactory(username="d", email="")


def test_a_registration_that_loses_the_race_tells_the_owner_and_refuses_nothing(
    registration, monkeypatch, django_capture_on_commit_callbacks
):
    # The other registration committed between our check and our insert.
    factories.UserFactory(username="ona", email=registration["email"].lower())
    real_owner_of = services._owner_of
    looks = iter([None])
    monkeypatch.setattr(services, "_owner_of", lambda email: next(looks, real_owner_of(email)))
    with django_capture_on_commit_callbacks(execute=True):
        created = services.resident_register(
            email=registration["email"],
            first_name="Ona",
            last_name="P",
            password=registration["password"],
            site_url="http://testserver",
        )
    assert created is None
    assert User.objects.filter(email__iexact=registration["email"]).count() == 1
    assert [message.to for message in mail.outbox] == [[registration["email"].lower()]]


def test_the_honeypot_creates_nothing_and_tells_the_bot_nothing(
    registration, django_capture_on_commit_callbacks
):
    response = _register(
        english(),
        {**registration, "website": "http://spam.example"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:register-done")
    assert not User.objects.filter(email__iexact=registration["email"]).exists()
    assert mail.outbox == []


@override_settings(ACCOUNTS_REGISTRATION_RATE=(2, 3600))
def test_registrations_from_one_address_are_limited(
    registration, django_capture_on_commit_callbacks
):
    client = english()
    for n in range(2):
        response = _register(
            client,
            {**registration, "email": f"a{n}@example.lt"},
            django_capture_on_commit_callbacks,
        )
        assert response.status_code == 302
    refused = _register(
        client, {**registration, "email": "a3@example.lt"}, django_capture_on_commit_callbacks
    )
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert not User.objects.filter(email="a3@example.lt").exists()
    # Another address is not affected.
    other = _register(
        client,
        {**registration, "email": "a4@example.lt"},
        django_capture_on_commit_callbacks,
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_consent_to_the_privacy_notice_is_required(
    registration, django_capture_on_commit_callbacks
):
    del registration["consent"]
    response = _register(english(), registration, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "privacy notice" in response.content.decode()
    assert not User.objects.filter(email__iexact=registration["email"]).exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"password": "12345678", "password_confirm": "12345678"}, "entirely numeric"),
        ({"password_confirm": "Kitas-slaptazodis-1"}, "differ"),
        ({"first_name": "O" * 151}, "at most 150"),
        ({"email": "ne-adresas"}, "valid email"),
        ({"email": ("x" * 250) + "@example.lt"}, "at most 254"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    change, message, registration, django_capture_on_commit_callbacks
):
    response = _register(english(), {**registration, **change}, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_a_new_confirmation_link_goes_only_to_an_unconfirmed_account(
    registration, django_capture_on_commit_callbacks
):
    client = english()
    _register(client, registration, django_capture_on_commit_callbacks)
    factories.UserFactory(username="confirmed", email="confirmed@example.lt")
    messages = []
    for email in ("ona.petraitiene@EXAMPLE.lt", "confirmed@example.lt", "nobody@example.lt"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:resend"), {"email": email}, follow=True)
        messages.append(
            response.content.decode().count("If an unconfirmed account uses this address")
        )
    assert messages == [1, 1, 1]  # the same answer, whoever asks
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["Ona.Petraitiene@example.lt"]
    client.post(link_in(mail.outbox[1]))
    assert User.objects.get(email__iexact=registration["email"]).is_active


def test_a_signed_in_user_is_sent_on_from_the_registration_page(resident_logged_in):
    response = resident_logged_in.get(reverse("accounts:register"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")


def test_unconfirmed_registrations_are_purged_after_the_link_expires(db, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    long_ago = timezone.now() - timedelta(seconds=settings.ACCOUNTS_CONFIRMATION_MAX_AGE + 60)
    stale = factories.UserFactory(username="stale", is_active=False)
    factories.UserFactory(username="fresh", is_active=False)
    banned = factories.UserFactory(username="banned", is_active=False)
    confirmed = factories.UserFactory(username="confirmed")
    User.objects.filter(pk__in=[stale.pk, banned.pk, confirmed.pk]).update(date_joined=long_ago)
    User.objects.filter(pk=banned.pk).update(last_login=long_ago)  # deactivated by an administrator
    call_command("purge_unconfirmed_accounts", stdout=open("/dev/null", "w"))
    assert set(User.objects.values_list("username", flat=True)) == {"fresh", "banned", "confirmed"}


def test_login_page_links_to_registration_and_password_reset(db):
    body = english().get(reverse("login") + "?next=/plans/1/").content.decode()
    assert reverse("accounts:register") + "?next=/plans/1/" in body.replace("%2F", "/")
    assert reverse("accounts:password-reset") in body
