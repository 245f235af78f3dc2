"""Issue 11, consultations: who may read a withdrawn or hidden proposal once its
author is gone, the moderation record (no edits of a hidden proposal, earlier
texts kept, the author told), the automatic hiding's count, and outcome.csv
against formula injection. Browser (server side) and API."""

import csv
import io
import json

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from accounts import services as accounts
from consultations import services
from consultations.models import Proposal, ProposalRevision
from notifications.models import Notification
from tests import factories

from .conftest import propose

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # tests/factories.py
SECRET = "Mano slaptas pasiūlymas, kurį atsiėmiau"
OFFENSIVE = "Įžeidžiantis tekstas, kurį moderatorius paslėpė"


class Api:
    """JSON to /api/v1/ in English (tests/api/conftest.py's ApiClient, in short)."""

    def __init__(self, client=None):
        self.client = client or Client()
        self.client.cookies["planportal_language"] = "en"

    def get(self, path):
        return self.client.get(path)

    def patch(self, path, data):
        return self.client.patch(path, json.dumps(data), content_type="application/json")


def delete_account(user):
    accounts.account_delete(user=user, password=PASSWORD)


# --- 2. A deleted author is nobody ----------------------------------------------


def test_a_withdrawn_proposal_of_a_deleted_account_is_not_found_by_anyone_but_staff(
    consultation, resident_user, staff_client
):
    proposal = propose(resident_user, consultation, text=SECRET)
    services.proposal_withdraw(user=resident_user, proposal=proposal)
    delete_account(resident_user)

    # The author check once compared None (no author) with None (anonymous).
    response = Api().get(f"/api/v1/proposals/{proposal.pk}/")
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    # The text itself is erased with the account; the row (its number) stays.
    kept = Proposal.objects.get(pk=proposal.pk)
    assert kept.text == "" and kept.author is None and kept.withdrawn_at
    staff_page = staff_client.get(reverse("consultations:staff-proposal", args=[proposal.pk]))
    assert staff_page.status_code == 200 and SECRET not in staff_page.content.decode()


def test_a_hidden_proposal_of_a_deleted_account_shows_only_the_reason_to_the_public(
    consultation, resident_user, staff_user
):
    proposal = propose(resident_user, consultation, text=OFFENSIVE)
    services.proposal_hide(user=staff_user, proposal=proposal, reason="Įžeidžia kitus")
    delete_account(resident_user)

    body = Api().get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert body["status"] == "hidden" and body["text"] == ""
    assert body["hidden_reason"] == "Įžeidžia kitus"
    # The moderation record stays for the moderators.
    assert Proposal.objects.get(pk=proposal.pk).text == OFFENSIVE


def test_a_hidden_and_withdrawn_proposal_keeps_its_text_for_the_moderators_only(
    consultation, resident_user, staff_user, staff_client
):
    proposal = propose(resident_user, consultation, text=OFFENSIVE)
    services.proposal_hide(user=staff_user, proposal=proposal, reason="Įžeidžia")
    services.proposal_withdraw(user=resident_user, proposal=proposal)
    delete_account(resident_user)

    assert Api().get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    page = staff_client.get(reverse("consultations:staff-proposal", args=[proposal.pk]))
    assert OFFENSIVE in page.content.decode()


def test_what_was_public_stays_as_it_was_when_the_author_deletes_the_account(
    client, consultation, resident_user
):
    public = propose(resident_user, consultation, text="Viešas pasiūlymas apie dviračių takus")
    withdrawn = propose(resident_user, consultation, text=SECRET)
    services.proposal_withdraw(user=resident_user, proposal=withdrawn)
    delete_account(resident_user)

    assert Proposal.objects.get(pk=public.pk).text.startswith("Viešas")
    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "Viešas pasiūlymas apie dviračių takus" in page and SECRET not in page
    assert Api().get(f"/api/v1/proposals/{public.pk}/").json()["text"].startswith("Viešas")


def test_the_earlier_texts_of_a_withdrawn_proposal_go_with_the_account(consultation, resident_user):
    proposal = propose(resident_user, consultation, text=SECRET)
    services.proposal_edit(user=resident_user, proposal=proposal, text="Kitas tekstas čia")
    services.proposal_withdraw(user=resident_user, proposal=proposal)
    delete_account(resident_user)
    assert not ProposalRevision.objects.filter(proposal=proposal).exists()


def test_no_one_is_the_author_of_an_orphaned_proposal(consultation, resident_user):
    from django.contrib.auth.models import AnonymousUser

    proposal = propose(resident_user, consultation)
    delete_account(resident_user)
    proposal.refresh_from_db()
    assert not proposal.is_authored_by(AnonymousUser())
    assert not proposal.is_authored_by(None)


def test_the_browser_refuses_to_edit_an_orphaned_proposal(consultation, resident_user, client):
    proposal = propose(resident_user, consultation)
    delete_account(resident_user)
    other = factories.UserFactory()
    client.force_login(other)
    response = client.get(reverse("consultations:proposal-edit", args=[proposal.pk]))
    assert response.status_code == 403


# --- 13. The moderation record ------------------------------------------------------


def test_a_hidden_proposal_cannot_be_edited_by_its_author(
    consultation, resident_user, staff_user, resident_client
):
    proposal = propose(resident_user, consultation, text=OFFENSIVE)
    services.proposal_hide(user=staff_user, proposal=proposal, reason="Įžeidžia")
    with pytest.raises(services.ProposalStateError):
        services.proposal_edit(user=resident_user, proposal=proposal, text="Mandagus tekstas čia")

    api = Api(resident_client)
    response = api.patch(f"/api/v1/proposals/{proposal.pk}/", {"text": "Mandagus tekstas čia"})
    assert response.status_code == 409 and response.json()["code"] == "proposal_state"
    assert "hidden" in response.json()["detail"]

    url = reverse("consultations:proposal-edit", args=[proposal.pk])
    page = resident_client.get(url)
    assert page.status_code == 409 and "Įžeidžia" in page.content.decode()
    posted = resident_client.post(url, {"text": "Mandagus tekstas čia"})
    assert posted.status_code == 409
    assert Proposal.objects.get(pk=proposal.pk).text == OFFENSIVE
    assert not ProposalRevision.objects.exists()
    mine = resident_client.get(reverse("consultations:mine")).content.decode()
    assert url not in mine and "Įžeidžia" in mine


def test_every_edit_keeps_the_earlier_text_for_the_moderators(
    consultation, resident_user, staff_client, resident_client
):
    proposal = propose(resident_user, consultation, text="Pirmas, nemandagus tekstas")
    services.proposal_edit(user=resident_user, proposal=proposal, text="Antras tekstas čia")
    resident_client.post(
        reverse("consultations:proposal-edit", args=[proposal.pk]), {"text": "Trečias tekstas"}
    )
    # Changing only the name shown keeps no copy of an unchanged text.
    services.proposal_edit(
        user=resident_user, proposal=proposal, text="Trečias tekstas", show_name=True
    )
    assert list(
        ProposalRevision.objects.filter(proposal=proposal).values_list("text", flat=True)
    ) == ["Pirmas, nemandagus tekstas", "Antras tekstas čia"]

    staff = Api(staff_client).get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert [r["text"] for r in staff["revisions"]] == [
        "Pirmas, nemandagus tekstas",
        "Antras tekstas čia",
    ]
    assert staff["revisions"][0]["replaced_by"] == "author"
    assert staff["revisions"][0]["replaced_at"] and staff["revisions"][0]["written_at"]
    page = staff_client.get(reverse("consultations:staff-proposal", args=[proposal.pk]))
    assert "Pirmas, nemandagus tekstas" in page.content.decode()

    # Earlier texts are for the moderators: not in the public API, nor the author's.
    for api in (Api(), Api(resident_client)):
        body = api.get(f"/api/v1/proposals/{proposal.pk}/").json()
        assert "revisions" not in body and "Pirmas" not in json.dumps(body)
    public = Client().get(reverse("consultations:detail", args=[consultation.pk]))
    assert "Pirmas, nemandagus" not in public.content.decode()


def test_the_author_is_told_in_the_portal_and_by_email_why_the_proposal_was_hidden(
    consultation, resident_user, staff_client, django_capture_on_commit_callbacks
):
    proposal = propose(resident_user, consultation, text=OFFENSIVE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("consultations:staff-proposal", args=[proposal.pk]),
            {"action": "hide", "reason": "Asmens duomenys tekste"},
        )
    assert response.status_code == 302
    notice = Notification.objects.get(recipient=resident_user, kind=services.PROPOSAL_HIDDEN)
    assert "Asmens duomenys tekste" in notice.text
    # "My proposals" names its cards by id (it spans consultations).
    assert notice.url.endswith(f"#proposal-{proposal.pk}")
    [message] = mail.outbox
    assert message.to == [resident_user.email] and "Asmens duomenys tekste" in message.body


@override_settings(CONSULTATIONS_AUTO_HIDE_REPORTS=2)
def test_automatic_hiding_counts_distinct_resident_accounts_only(consultation, resident_user):
    proposal = propose(resident_user, consultation)
    staff = factories.UserFactory(role="staff")
    council = factories.UserFactory(role="council")
    gone = factories.UserFactory()
    for reporter in (staff, council, gone):
        services.proposal_report(user=reporter, proposal=proposal, reason="Blogas")
    gone.is_active = False
    gone.save()
    first = factories.UserFactory()
    services.proposal_report(user=first, proposal=proposal)
    with pytest.raises(services.AlreadyDoneError):
        services.proposal_report(user=first, proposal=proposal)
    proposal.refresh_from_db()
    assert not proposal.hidden and services.resident_report_count(proposal) == 1

    services.proposal_report(user=factories.UserFactory(), proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.hidden and proposal.hidden_reason
    notice = Notification.objects.get(recipient=resident_user, kind=services.PROPOSAL_HIDDEN)
    assert proposal.hidden_reason in notice.text


# --- 6. outcome.csv against formula injection -----------------------------------------

PAYLOAD = "Dviratis;=cmd|' /C calc'!A0;pabaiga"


def test_outcome_csv_quotes_every_field_and_no_cell_starts_a_formula(client, consultation):
    author = factories.UserFactory(first_name="=HYPERLINK(1)", last_name="x")
    propose(author, consultation, text=PAYLOAD, show_name=True)
    propose(author, consultation, text="  +2+3+cmd|' /C calc'!A0 siūlymas")
    raw = client.get(reverse("consultations:outcome-csv", args=[consultation.pk])).content.decode(
        "utf-8-sig"
    )
    lines = raw.splitlines()
    assert all(line.startswith('"') and line.endswith('"') for line in lines)
    rows = list(csv.reader(io.StringIO(raw)))
    assert rows[1][3] == "Dviratis;'=cmd|' /C calc'!A0;pabaiga"
    assert rows[1][4] == "'=HYPERLINK(1) x"
    assert rows[2][3].startswith("'+2+3")
    assert rows[1][0] == "1" and rows[1][7] == "0"  # numbers stay numbers
    # Excel with the Lithuanian list separator splits at ";" and ignores the
    # quotes it no longer understands: no piece may start a formula then.
    for delimiter in (";", ","):
        for piece in (p for line in lines for p in line.split(delimiter)):
            assert not piece.lstrip(' "').startswith(("=", "+", "-", "@")), piece
