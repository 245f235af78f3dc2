"""My account: name, e-mail change, data download, deletion, password reset."""

import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation, Proposal, Report, Support
from notifications.models import Notification
from tests import factories

from .conftest import english, link_in

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def consultation(draft_version):
    now = timezone.now()
    return Consultation.objects.create(
        version=draft_version,
        title="Plano projekto viešas aptarimas",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=14),
    )


def _proposal(consultation, author, text, **kwargs):
    number = Proposal.objects.filter(consultation=consultation).count() + 1
    return Proposal.objects.create(
        consultation=consultation, author=author, text=text, public_number=number, **kwargs
    )


def test_my_account_shows_and_saves_the_name(resident_logged_in, resident):
    page = resident_logged_in.get(reverse("accounts:profile"))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'value="Jonas"' in body and "jonas@example.lt" in body
    assert reverse("accounts:data") in body and reverse("accounts:delete") in body
    response = resident_logged_in.post(
        reverse("accounts:profile"), {"first_name": "Jonas", "last_name": "Rimkevičius"}
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.last_name == "Rimkevičius"
    refused = resident_logged_in.post(
        reverse("accounts:profile"), {"first_name": "", "last_name": "X" * 151}
    )
    assert refused.status_code == 400
    resident.refresh_from_db()
    assert resident.last_name == "Rimkevičius"


def test_my_account_links_to_my_proposals(resident_logged_in):
    body = resident_logged_in.get(reverse("accounts:profile")).content.decode()
    assert reverse("consultations:mine") in body


def test_email_change_needs_the_password_and_a_click_on_the_new_address(
    resident_logged_in, resident, django_capture_on_commit_callbacks
):
    url = reverse("accounts:email-change")
    wrong = resident_logged_in.post(url, {"email": "naujas@example.lt", "password": "bad"})
    assert wrong.status_code == 400 and "password is not correct" in wrong.content.decode()
    assert wrong.context["form"].has_error("password")

    with django_capture_on_commit_callbacks(execute=True):
        response = resident_logged_in.post(
            url, {"email": "Naujas@Example.lt", "password": "secret-pass-123"}
        )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.email == "jonas@example.lt"  # unchanged until confirmed
    assert mail.outbox[0].to == ["Naujas@example.lt"]
    link = link_in(mail.outbox[0])
    assert "naujas" not in link.lower()

    # Someone else's session cannot use the link.
    other = english()
    other.force_login(factories.UserFactory(username="kitas"))
    assert other.get(link).status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        response = resident_logged_in.get(link)
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.email == "Naujas@example.lt"
    # The old address is told.
    assert mail.outbox[-1].to == ["jonas@example.lt"]
    # Used once.
    again = resident_logged_in.get(link)
    assert again.status_code == 409 and "confirmed already" in again.content.decode()


def test_email_change_to_an_address_of_another_account_is_refused(resident_logged_in, resident):
    factories.UserFactory(username="ona", email="ona@example.lt")
    response = resident_logged_in.post(
        reverse("accounts:email-change"), {"email": "ONA@example.lt", "password": "secret-pass-123"}
    )
    assert response.status_code == 400
    assert "Another account uses this e-mail address" in response.content.decode()
    assert mail.outbox == []


def test_data_download_holds_my_data_and_nobody_elses(resident_logged_in, resident, consultation):
    other = factories.UserFactory(username="ona", first_name="Ona", email="ona@example.lt")
    mine = _proposal(consultation, resident, "Įrengti dviračių taką iki Garliavos.", show_name=True)
    theirs = _proposal(consultation, other, "Pastatyti naują mokyklą Ringaudų seniūnijoje.")
    Support.objects.create(proposal=theirs, user=resident)
    Support.objects.create(proposal=mine, user=other)
    Report.objects.create(proposal=theirs, user=resident, reason="Ne į temą")
    Notification.objects.create(
        recipient=resident, kind="proposal_answered", subject="Atsakymas į jūsų pasiūlymą"
    )
    Notification.objects.create(
        recipient=other, kind="proposal_answered", subject="Kitai gyventojai"
    )

    response = resident_logged_in.get(reverse("accounts:data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "jonas@example.lt"
    assert (data["account"]["first_name"], data["account"]["last_name"]) == ("Jonas", "Rimkus")
    assert [p["text"] for p in data["consultations"]["proposals"]] == [
        "Įrengti dviračių taką iki Garliavos."
    ]
    assert [s["proposal"] for s in data["consultations"]["supports"]] == [theirs.pk]
    assert len(data["consultations"]["reports"]) == 1
    assert [n["subject"] for n in data["notifications"]] == ["Atsakymas į jūsų pasiūlymą"]
    text = response.content.decode()
    assert (
        "ona@example.lt" not in text and "Ringaudų" not in text and "Kitai gyventojai" not in text
    )


def test_data_download_takes_the_same_number_of_queries_however_much_data(
    resident_logged_in, resident, consultation
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert resident_logged_in.get(reverse("accounts:data")).status_code == 200
        return len(queries)

    _proposal(consultation, resident, "Pirmas pasiūlymas dėl plano.")
    Notification.objects.create(recipient=resident, kind="x", subject="Pirmas")
    few = count()
    other = factories.UserFactory(username="ona")
    for n in range(8):
        p = _proposal(consultation, resident, f"Pasiūlymas numeris {n} dėl plano.")
        theirs = _proposal(consultation, other, f"Kitos gyventojos pasiūlymas {n}.")
        Support.objects.create(proposal=theirs, user=resident)
        Report.objects.create(proposal=theirs, user=resident)
        Notification.objects.create(recipient=resident, kind="x", subject=f"Pranešimas {n}")
        assert p.pk
    assert count() == few


def test_deleting_the_account_keeps_the_proposals_anonymised(
    resident_logged_in, resident, consultation
):
    other = factories.UserFactory(username="ona")
    mine = _proposal(consultation, resident, "Įrengti dviračių taką iki Garliavos.", show_name=True)
    theirs = _proposal(consultation, other, "Pastatyti naują mokyklą.")
    Support.objects.create(proposal=theirs, user=resident)
    Notification.objects.create(recipient=resident, kind="x", subject="Atsakymas")

    page = resident_logged_in.get(reverse("accounts:delete"))
    assert page.status_code == 200
    wrong = resident_logged_in.post(reverse("accounts:delete"), {"password": "not-mine"})
    assert wrong.status_code == 400 and "password is not correct" in wrong.content.decode()
    assert wrong.context["form"].has_error("password")
    assert User.objects.filter(pk=resident.pk).exists()

    response = resident_logged_in.post(reverse("accounts:delete"), {"password": "secret-pass-123"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:deleted")
    assert not User.objects.filter(pk=resident.pk).exists()
    mine.refresh_from_db()
    assert mine.author is None and not mine.show_name
    assert mine.text == "Įrengti dviračių taką iki Garliavos."
    assert not Support.objects.filter(proposal=theirs).exists()
    assert not Notification.objects.filter(subject="Atsakymas").exists()
    # Logged out, and told so.
    assert resident_logged_in.get(reverse("accounts:profile")).status_code == 302
    assert (
        "Your account is deleted" in resident_logged_in.get(response["Location"]).content.decode()
    )


def test_a_failed_deletion_changes_nothing(resident_logged_in, resident, consultation, monkeypatch):
    from accounts import services

    mine = _proposal(consultation, resident, "Įrengti dviračių taką iki Garliavos.", show_name=True)

    def boom(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(User, "delete", boom)
    with pytest.raises(RuntimeError):
        services.account_delete(user=resident, password="secret-pass-123")
    mine.refresh_from_db()
    assert mine.author_id == resident.pk and mine.show_name


@pytest.mark.parametrize("role", ["staff", "council"])
def test_staff_and_council_cannot_delete_their_accounts(role):
    user = factories.UserFactory(username=f"{role}-member", role=role)
    client = english()
    client.force_login(user)
    page = client.get(reverse("accounts:delete"))
    assert page.status_code == 200
    assert "part of the public record" in page.content.decode()
    assert "<form" not in page.content.decode().split("<main", 1)[1]
    refused = client.post(reverse("accounts:delete"), {"password": "secret-pass-123"})
    assert refused.status_code == 403
    assert "part of the public record" in refused.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_a_superuser_cannot_delete_their_account_either():
    from accounts import services

    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    with pytest.raises(services.AccountDeletionRefused) as refused:
        services.account_delete(user=admin, password="secret-pass-123")
    assert (refused.value.code, refused.value.status) == ("not_allowed", 403)
    assert User.objects.filter(pk=admin.pk).exists()


def test_password_reset_by_email_sets_a_new_password_and_logs_in(
    resident, django_capture_on_commit_callbacks
):
    client = english()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": "JONAS@example.lt"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["jonas@example.lt"]
    link = link_in(mail.outbox[0])
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Ziemos-rytas-2025", "new_password2": "Ziemos-rytas-2025"},
    )
    assert done.status_code == 302 and done["Location"] == reverse(
        "accounts:password-reset-complete"
    )
    resident.refresh_from_db()
    assert resident.check_password("Ziemos-rytas-2025")
    assert client.get(reverse("accounts:profile")).status_code == 200
    # The link is used up.
    assert "not valid" in english().get(link, follow=True).content.decode()


def test_password_reset_requests_are_limited_per_address(
    resident, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNTS_EMAIL_RATE = (2, 3600)
    client = english()
    statuses = []
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            statuses.append(
                client.post(
                    reverse("accounts:password-reset"), {"email": "jonas@example.lt"}
                ).status_code
            )
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_the_demo_resident_has_a_name_and_an_address(demo):
    resident = User.objects.get(username="resident")
    assert resident.email and resident.get_full_name()


ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def test_no_email_address_on_any_public_account_page(resident, draft_version):
    client = english()
    for name in [
        "home",
        "login",
        "accounts:register",
        "accounts:register-done",
        "accounts:resend",
        "accounts:privacy",
        "accounts:deleted",
        "accounts:password-reset",
        "accounts:password-reset-done",
        "accounts:password-reset-complete",
    ]:
        body = client.get(reverse(name)).content.decode()
        assert not ADDRESS.findall(body), f"{name}: {ADDRESS.findall(body)}"


def test_the_header_never_shows_an_address_of_a_signed_in_resident(db):
    user = factories.UserFactory(
        username="gyventojas-abc", first_name="", last_name="", email="slaptas@example.lt"
    )
    client = english()
    client.force_login(user)
    body = client.get(reverse("home")).content.decode()
    assert "slaptas@example.lt" not in body
    assert reverse("accounts:profile") in body


def test_the_privacy_notice_names_the_controller_the_purpose_and_the_rights(db, settings):
    body = english().get(reverse("accounts:privacy")).content.decode()
    assert settings.PLANPORTAL_MUNICIPALITY in body
    assert settings.PLANPORTAL_CONTROLLER_ADDRESS in body
    for needle in [
        "Article 6(1)(e)",
        "Law on Strategic Management",
        "never published",
        "Valstybinė duomenų apsaugos inspekcija",
        "IP address",
    ]:
        assert needle in body, needle
    registration = english().get(reverse("accounts:register")).content.decode()
    assert reverse("accounts:privacy") in registration


def test_the_user_admin_refuses_an_address_of_another_account_with_a_message(db):
    admin_user = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    factories.UserFactory(username="ona", email="ona@example.lt")
    jonas = factories.UserFactory(username="jonas", email="jonas@example.lt")
    client = english()
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[jonas.pk])
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "username": "jonas",
            "email": "ONA@example.lt",
            "first_name": "",
            "last_name": "",
            "is_active": "on",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "Another account uses this e-mail address" in response.content.decode()
    jonas.refresh_from_db()
    assert jonas.email == "jonas@example.lt"
