"""The page cache never serves a stale page or someone else's page.

Logged-in readers of an approved version share one copy per role with their
own CSRF token, name and notifications filled in; pages that change
(consultation, climate, progress) are kept for anonymous readers and
retired by every write that changes them; a crowd arriving right after a
page was retired renders it once.
"""

from __future__ import annotations

import re
import threading
from unittest import mock

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import services as consultations
from notifications import services as notifications
from planportal import pagecache
from plans.models import Measure
from tests import factories
from tests.conftest import build_plan_tree
from tests.consultations.conftest import open_consultation, propose

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["database sessions", "sessions with the counters"])
def session_engine(request, settings):
    """Every test twice: with the database's sessions (no Redis), and with the
    sessions that come with the page cache's counters (planportal/sessions.py,
    production with Redis), where a worker keeps the reader's account row and
    unread count under those counters."""
    if request.param == "sessions with the counters":
        settings.SESSION_ENGINE = "planportal.sessions"
    return request.param


KIND = "version_submitted"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
HX_TOKEN = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]{64})"')


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def assert_own_csrf(client, html):
    """Every token on the page is the reader's own (their cookie's secret)."""
    tokens = TOKEN.findall(html) + HX_TOKEN.findall(html)
    assert tokens, "a logged-in page carries the CSRF token of its forms"
    secret = client.cookies["csrftoken"].value  # the cookie holds the secret itself
    assert {_unmask_cipher_token(t) for t in tokens} == {secret}


def test_council_members_share_a_copy_each_with_their_own_name_and_token(approved_version):
    first = factories.UserFactory(username="tarybos-narys", role="council", first_name="Rasa")
    second = factories.UserFactory(username="kitas-narys", role="council", first_name="Jonas")
    url = reverse("plans:plan", args=[approved_version.plan_id])
    a, b = logged_in(first), logged_in(second)
    response, html = page_of(a, url)
    assert response["X-Page-Cache"] == "stored"
    assert "Rasa" in html
    assert_own_csrf(a, html)

    response, html = page_of(b, url)
    assert response["X-Page-Cache"] == "hit"
    assert "Jonas" in html and "Rasa" not in html
    assert_own_csrf(b, html)
    assert "\x1b" not in html  # no marker left


def test_a_logged_in_reader_never_gets_the_anonymous_page(approved_version, staff_user):
    url = reverse("plans:plan", args=[approved_version.plan_id])
    anonymous, html = page_of(Client(), url)
    assert anonymous["X-Page-Cache-Audience"] == "anonymous"
    staff = logged_in(staff_user)
    response, html = page_of(staff, url)
    assert response["X-Page-Cache-Audience"] == "shared"
    assert reverse("plans:staff-dashboard") in html  # the staff menu
    assert reverse("login") not in html
    assert_own_csrf(staff, html)


def test_roles_get_their_own_copies(approved_version, staff_user, council_user, resident_user):
    url = reverse("plans:plan", args=[approved_version.plan_id])
    editor = reverse("plans:staff-dashboard")
    assert editor in page_of(logged_in(staff_user), url)[1]
    assert editor not in page_of(logged_in(council_user), url)[1]
    assert editor not in page_of(logged_in(resident_user), url)[1]
    assert reverse("council:dashboard") in page_of(logged_in(council_user), url)[1]
    assert reverse("council:dashboard") not in page_of(logged_in(resident_user), url)[1]


def test_each_reader_sees_their_own_unread_notifications(approved_version):
    reader = factories.UserFactory(username="skaitytoja", role="council")
    other = factories.UserFactory(username="kitas-skaitytojas", role="council")
    notifications.notify(
        users=[reader], kind=KIND, subject="Nauja pastaba", text="Tekstas", url="/"
    )
    url = reverse("plans:plan", args=[approved_version.plan_id])
    html = page_of(logged_in(reader), url)[1]
    assert 'class="notification-badge">1' in html
    response, html = page_of(logged_in(other), url)
    assert response["X-Page-Cache"] == "hit"
    assert "notification-badge" not in html
    notifications.notification_mark_read(user=reader)
    assert "notification-badge" not in page_of(logged_in(reader), url)[1]


def test_a_new_notification_shows_at_the_readers_next_page(approved_version):
    reader = factories.UserFactory(username="skaitytoja", role="council")
    client = logged_in(reader)
    url = reverse("plans:plan", args=[approved_version.plan_id])
    page_of(client, url)
    assert "notification-badge" not in page_of(client, url)[1]  # a hit, the count kept
    notifications.notify(users=[reader], kind=KIND, subject="Nauja", text="Tekstas", url="/")
    response, html = page_of(client, url)
    assert response["X-Page-Cache"] == "hit"
    assert 'class="notification-badge">1' in html


def test_a_logged_in_page_from_the_cache_costs_one_read_and_no_query(
    approved_version, council_user, session_engine
):
    url = reverse("plans:plan", args=[approved_version.plan_id])
    client = logged_in(council_user)
    page_of(client, url)
    page_of(client, url)  # this worker now keeps the row and the count
    shared = type(caches["shared"])
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(shared, "get_many", autospec=True, side_effect=shared.get_many) as reads,
    ):
        response, html = page_of(client, url)
    assert response["X-Page-Cache"] == "hit"
    assert council_user.username in html
    if session_engine == "sessions with the counters":
        # The session and every counter in one round trip; no query at all.
        assert reads.call_count == 1 and len(queries) == 0
    else:
        # The session from the database, the account with its role in one
        # query; the counters in one read.
        assert reads.call_count == 1 and len(queries) == 2


def test_a_deactivated_account_is_signed_out_at_its_next_page(approved_version, council_user):
    url = reverse("plans:plan", args=[approved_version.plan_id])
    client = logged_in(council_user)
    page_of(client, url)
    page_of(client, url)
    council_user.is_active = False
    council_user.save()
    html = page_of(client, url)[1]
    assert council_user.username not in html
    assert reverse("council:dashboard") not in html
    assert reverse("login") in html


def test_a_role_taken_away_shows_at_the_next_page(approved_version, council_user):
    url = reverse("plans:plan", args=[approved_version.plan_id])
    client = logged_in(council_user)
    assert reverse("council:dashboard") in page_of(client, url)[1]
    page_of(client, url)
    council_user.groups.clear()
    html = page_of(client, url)[1]
    assert reverse("council:dashboard") not in html
    assert client.get(reverse("council:dashboard")).status_code in (302, 403)


def test_a_new_password_elsewhere_signs_this_session_out(approved_version, council_user):
    url = reverse("plans:plan", args=[approved_version.plan_id])
    client = logged_in(council_user)
    page_of(client, url)
    page_of(client, url)
    council_user.set_password("kitas-slaptažodis-2026")
    council_user.save()
    assert reverse("login") in page_of(client, url)[1]


def test_a_page_showing_its_reader_elsewhere_is_not_shared(rf, council_user):
    @pagecache.page_cache()
    def view(request):
        # A page that names its reader outside the header's marker.
        return pagecache.mark_cacheable(HttpResponse(f"<p>{request.user.email}</p>"))

    council_user.email = "tarybos.narys@example.lt"
    council_user.save()
    request = rf.get("/private/")
    request.user, request.COOKIES = council_user, {}
    first = view(request)
    assert b"tarybos.narys@example.lt" in first.content
    assert "X-Page-Cache" not in first

    other = factories.UserFactory(username="kitas", role="council")
    request = rf.get("/private/")
    request.user, request.COOKIES = other, {}
    assert b"tarybos.narys@example.lt" not in view(request).content


def test_a_pending_message_is_shown_to_its_reader_only(approved_version, council_user):
    url = reverse("plans:plan", args=[approved_version.plan_id])
    client = logged_in(council_user)
    page_of(client, url)  # a shared copy exists
    storage = CookieStorage(RequestFactory().get(url))
    storage.add(messages.INFO, "Jūsų žinutė")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    response, html = page_of(client, url)
    assert "Jūsų žinutė" in html
    assert "X-Page-Cache" not in response
    assert "Jūsų žinutė" not in page_of(logged_in(council_user), url)[1]


def test_a_draft_edit_shows_at_once_to_its_author_and_the_next_reader(
    draft_version, staff_user, council_user
):
    from plans import services

    url = reverse("plans:version", args=[draft_version.pk])
    staff, council = logged_in(staff_user), logged_in(council_user)
    page_of(staff, url), page_of(council, url)
    measure = Measure.objects.filter(version=draft_version).first()
    services.node_update(user=staff_user, node=measure, title="Ką tik pakeistas pavadinimas")
    assert "Ką tik pakeistas pavadinimas" in page_of(staff, url)[1]
    assert "Ką tik pakeistas pavadinimas" in page_of(council, url)[1]


def test_staff_share_the_outline_and_see_an_edit_at_once(draft_version, staff_user):
    from plans import services

    other = factories.UserFactory(username="kitas-darbuotojas", role="staff", first_name="Ona")
    url = reverse("plans:staff-outline", args=[draft_version.pk])
    first, second = logged_in(staff_user), logged_in(other)
    assert page_of(first, url)[0]["X-Page-Cache"] == "stored"
    response, html = page_of(second, url)
    assert response["X-Page-Cache"] == "hit"
    assert_own_csrf(second, html)
    assert "Ona" in html

    measure = Measure.objects.filter(version=draft_version).first()
    services.node_update(user=staff_user, node=measure, title="Ką tik pakeista priemonė")
    response, html = page_of(second, url)
    assert response["X-Page-Cache"] == "stored"
    assert "Ką tik pakeista priemonė" in html


def test_a_kept_outline_is_never_served_to_anyone_but_staff(
    draft_version, staff_user, council_user, resident_user
):
    url = reverse("plans:staff-outline", args=[draft_version.pk])
    page_of(logged_in(staff_user), url)
    for user in (council_user, resident_user):
        assert logged_in(user).get(url).status_code == 403
    assert Client().get(url).status_code in (302, 403)


def test_the_outline_of_a_version_under_consultation_is_not_kept(consultation, staff_user):
    url = reverse("plans:staff-outline", args=[consultation.version_id])
    response = page_of(logged_in(staff_user), url)[0]
    assert "X-Page-Cache" not in response


# --- Pages that change: kept for anonymous readers, retired by writes ------------------------


@pytest.fixture
def consultation(staff_user):
    version = factories.VersionFactory(status="draft", number=2)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=2)
    return open_consultation(version, staff_user)


def test_a_new_proposal_and_a_published_answer_show_at_once(
    consultation, resident_user, staff_user
):
    url = reverse("consultations:detail", args=[consultation.pk])
    page_of(Client(), url)
    assert page_of(Client(), url)[0]["X-Page-Cache"] == "hit"

    proposal = propose(resident_user, consultation, text="Siūlau pasodinti liepų alėją.")
    response, html = page_of(Client(), url)
    assert response["X-Page-Cache"] == "stored"
    assert "pasodinti liepų alėją" in html

    consultations.proposal_answer(
        user=staff_user,
        proposal=proposal,
        status="accepted",
        text="Alėja bus įtraukta į planą.",
        notify=False,
    )
    assert "Alėja bus įtraukta į planą." not in page_of(Client(), url)[1]  # prepared only
    consultations.answers_publish(user=staff_user, consultation=consultation)
    assert "Alėja bus įtraukta į planą." in page_of(Client(), url)[1]


def test_a_logged_in_resident_is_never_served_the_consultation_page_from_the_cache(
    consultation, resident_user
):
    url = reverse("consultations:detail", args=[consultation.pk])
    page_of(Client(), url)
    response, html = page_of(logged_in(resident_user), url)
    assert "X-Page-Cache" not in response
    assert resident_user.get_full_name() or resident_user.username in html


def test_the_consultation_page_is_kept_no_longer_than_until_it_closes(consultation):
    response = page_of(Client(), reverse("consultations:detail", args=[consultation.pk]))[0]
    assert response["X-Page-Cache"] == "stored"
    seconds = (consultation.ends_at - consultation.starts_at).total_seconds()
    assert pagecache._timeout(_marked(consultation)) <= seconds


def _marked(consultation):
    from consultations.views.public import _next_change

    return pagecache.mark_cacheable(HttpResponse(), until=_next_change(consultation))


# --- Single flight -----------------------------------------------------------------------------


def test_a_crowd_after_a_bump_renders_the_page_once(rf):
    renders = []
    started = threading.Event()

    @pagecache.page_cache()
    def view(request):
        renders.append(1)
        started.set()
        # Hold the render until every other request has arrived and waits.
        release.wait(5)
        return pagecache.mark_cacheable(HttpResponse("<p>Puslapis</p>"))

    def anonymous_get():
        request = rf.get("/crowd/")
        request.user = _anonymous()
        request.COOKIES = {}
        responses.append(view(request))

    pagecache.bump()
    release, responses = threading.Event(), []
    threads = [threading.Thread(target=anonymous_get) for _ in range(100)]
    for thread in threads:
        thread.start()
    started.wait(5)
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(responses) == 100
    assert {r.content for r in responses} == {b"<p>Puslapis</p>"}
    assert len(renders) == 1


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# --- Without Redis: the generations in the database ---------------------------------------


DATABASE_SHARED = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "w1"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p1"},
    "shared": {
        "BACKEND": "planportal.cache.CounterDatabaseCache",
        "LOCATION": "planportal_ratelimit",
        "KEY_PREFIX": "test-shared",
    },
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "r"},
}


def test_without_redis_a_write_in_one_worker_retires_the_page_in_another(approved_version):
    """Two workers, each with its own memory cache, share the database's table."""
    url = reverse("plans:plan", args=[approved_version.plan_id])
    with override_settings(CACHES=DATABASE_SHARED):
        # This process's memory outlives the test (another test left its copies there).
        caches["pages"].clear()
        caches["default"].clear()
        first = page_of(Client(), url)[0]
        assert first["X-Page-Cache"] == "stored"
        caches["pages"].clear()  # the other worker's memory: empty
        response = page_of(Client(), url)[0]
        assert response["X-Page-Cache"] == "hit"  # from the shared table, not rendered again
        with CaptureQueriesContext(connection) as queries:
            page_of(Client(), url)
        assert len(queries) == 1  # the generations, in one read
        pagecache.bump()
        assert page_of(Client(), url)[0]["X-Page-Cache"] == "stored"
