"""A database made before the council, review, notifications and documents
apps left ``plans`` migrates forward with every row in place.

The test migrates this run's database back to the last state of the old
layout (plans 0004, when those models still lived in plans), writes a row of
each moved model through that old state, migrates forward again and reads
the rows through today's models. The moves are state-only, so nothing may be
lost or copied; content types (and the permissions hanging on them) follow
the models to their new app.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from council.models import Ballot, VersionEvent, Voting
from documents.models import PlanDocument
from notifications.models import Notification, SentReminder
from review.models import ReviewComment, ReviewThread

# The last migrations of the old layout: plans up to 0004, every other app at
# the migration it had then.
BEFORE_THE_SPLIT = [
    ("plans", "0004_plan_documents"),
    ("consultations", "0002_elderships"),
    ("climate", "0002_default_factors"),
    ("accounts", "0002_email_change"),
]
MOVED = {
    "council": ["versionevent", "voting", "ballot"],
    "review": ["reviewthread", "reviewcomment"],
    "notifications": ["notification", "sentreminder"],
    "documents": ["plandocument"],
}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _leaf_nodes():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _write_old_rows(old_apps) -> dict:
    User = old_apps.get_model("auth", "User")
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    Permission = old_apps.get_model("auth", "Permission")
    Plan = old_apps.get_model("plans", "Plan")
    PlanVersion = old_apps.get_model("plans", "PlanVersion")
    member = User.objects.create(username="ona", email="ona@example.lt")
    plan = Plan.objects.create(
        title="Strateginis plėtros planas",
        municipality="Kauno r.",
        period_start=2013,
        period_end=2020,
    )
    version = PlanVersion.objects.create(plan=plan, number=1, status="council_review")
    event = old_apps.get_model("plans", "VersionEvent").objects.create(
        version=version, kind="submitted", reason="Teikiama tarybai", user=member
    )
    voting = old_apps.get_model("plans", "Voting").objects.create(
        version=version, deadline=timezone.now() + datetime.timedelta(days=2), opened_by=member
    )
    ballot = old_apps.get_model("plans", "Ballot").objects.create(
        voting=voting, voter=member, choice="for"
    )
    thread = old_apps.get_model("plans", "ReviewThread").objects.create(
        version=version,
        level="priority",
        node_id=1,
        node_key="7a0c1a52-35b7-4b55-9f43-3c3e7e9b8a10",
    )
    comment = old_apps.get_model("plans", "ReviewComment").objects.create(
        thread=thread, author=member, text="Siūlau patikslinti rodiklį."
    )
    notification = old_apps.get_model("plans", "Notification").objects.create(
        recipient=member, kind="voting_opened", subject="Atidarytas balsavimas"
    )
    reminder = old_apps.get_model("plans", "SentReminder").objects.create(
        kind="voting_deadline_near", target=str(voting.pk)
    )
    document = old_apps.get_model("plans", "PlanDocument").objects.create(
        version=version,
        language="lt",
        variant="ua",
        version_status="council_review",
        content_hash="a" * 64,
    )
    # Content types as an installation of the old layout had them, with a
    # permission given to a user.
    voting_type = ContentType.objects.get_or_create(app_label="plans", model="voting")[0]
    permission = Permission.objects.get_or_create(
        content_type=voting_type, codename="change_voting", defaults={"name": "Can change voting"}
    )[0]
    member.user_permissions.add(permission)
    return {
        "member": member.pk,
        "event": event.pk,
        "voting": voting.pk,
        "ballot": ballot.pk,
        "thread": thread.pk,
        "comment": comment.pk,
        "notification": notification.pk,
        "reminder": reminder.pk,
        "document": document.pk,
        "permission": permission.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_old_layout_migrates_forward_with_every_row():
    leaves = _leaf_nodes()
    try:
        old_apps = _migrate(BEFORE_THE_SPLIT)
        ids = _write_old_rows(old_apps)
        _migrate(leaves)
    finally:
        # Whatever happened, leave the database as the other tests expect it.
        _migrate(leaves)

    assert VersionEvent.objects.get(pk=ids["event"]).reason == "Teikiama tarybai"
    voting = Voting.objects.get(pk=ids["voting"])
    assert voting.is_open and voting.opened_by_id == ids["member"]
    assert Ballot.objects.get(pk=ids["ballot"]).voting_id == voting.pk
    assert ReviewThread.objects.get(pk=ids["thread"]).comments.get().pk == ids["comment"]
    assert ReviewComment.objects.get(pk=ids["comment"]).text == "Siūlau patikslinti rodiklį."
    assert Notification.objects.get(pk=ids["notification"]).subject == "Atidarytas balsavimas"
    assert SentReminder.objects.get(pk=ids["reminder"]).target == str(voting.pk)
    assert PlanDocument.objects.get(pk=ids["document"]).content_hash == "a" * 64

    # The content types moved with their models; the permission kept its row
    # and its holder, and no stale "plans" type is left for a moved model.
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    permission = Permission.objects.select_related("content_type").get(pk=ids["permission"])
    assert permission.content_type.app_label == "council"
    assert permission.user_set.filter(pk=ids["member"]).exists()
    for app, models in MOVED.items():
        assert not ContentType.objects.filter(app_label="plans", model__in=models).exists(), app


@pytest.mark.django_db(transaction=True)
def test_the_moves_can_be_undone_to_the_old_layout():
    """Migrating back to plans 0004 (a rollback of a deployment) keeps the tables."""
    leaves = _leaf_nodes()
    try:
        old_apps = _migrate(BEFORE_THE_SPLIT)
        assert old_apps.get_model("plans", "Voting")._meta.db_table == "plans_voting"
        assert "plans_voting" in connection.introspection.table_names()
    finally:
        _migrate(leaves)
    assert Voting._meta.db_table == "plans_voting"
