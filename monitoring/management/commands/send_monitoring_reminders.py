"""Remind unit members that a monitoring round's due date nears and their
unit's items are still missing.

Run it daily from cron. For each open round due in one of
``MONITORING_REMINDER_DAYS`` days (default 7 and 1), each member of a unit
with missing items gets one e-mail (and in-app notification) that day: a
``SentReminder`` row per round, member and day, written in the same
transaction as the notification, makes a second run (or two at once) send
nothing more, and a failed run can simply be repeated.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from monitoring.models import MonitoringRound, RoundStatus
from monitoring.notices import ROUND_DUE_NEAR, notify_due_near, unit_members
from monitoring.selectors import round_items
from notifications.models import SentReminder


class Command(BaseCommand):
    help = "E-mail the members of units with missing monitoring items before the due date."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Act as if today were this date (YYYY-MM-DD), e.g. to repeat a missed day.",
        )

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        days = getattr(settings, "MONITORING_REMINDER_DAYS", [7, 1])
        dues = [today + datetime.timedelta(days=n) for n in days]
        rounds = MonitoringRound.objects.filter(
            status=RoundStatus.OPEN, due__in=dues
        ).select_related("plan")
        sent = 0
        for round_ in rounds.order_by("due", "pk"):
            missing: dict[int, int] = {}
            for item in round_items(round_):
                if item.missing:
                    for unit_id in item.units:
                        missing[unit_id] = missing.get(unit_id, 0) + 1
            per_member: dict = {}
            for unit_id, count in missing.items():
                for member in unit_members([unit_id]):
                    user, total = per_member.get(member.pk, (member, 0))
                    per_member[member.pk] = (user, total + count)
            url = reverse("monitoring:my-items") + f"?round={round_.pk}"
            for user, count in per_member.values():
                target = f"{round_.pk}:{user.pk}:{today.isoformat()}"
                if SentReminder.objects.filter(kind=ROUND_DUE_NEAR, target=target).exists():
                    continue
                try:
                    with transaction.atomic():
                        SentReminder.objects.create(kind=ROUND_DUE_NEAR, target=target)
                        notify_due_near(round_, user=user, missing=count, url=url)
                except IntegrityError:
                    continue  # another run reminded this member a moment ago
                sent += 1
            self.stdout.write(f"Round {round_.pk}: {len(per_member)} member(s) with missing items.")
        self.stdout.write(f"{sent} reminder(s) sent.")
