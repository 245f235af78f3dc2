"""Remind council members who have not voted that a voting's deadline is near.

Run it from cron (e.g. hourly). Each open voting whose deadline falls within
the next ``--hours`` (default: setting ``PLANPORTAL_REMINDER_HOURS``, 24) is
reminded about once: a ``SentReminder`` row, unique per voting, records it in
the same transaction as the notifications, so a second run (or two at once)
sends nothing more, and a failed run can simply be repeated.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import timezone

from council.models import Voting
from council.notices import VOTING_DEADLINE_NEAR, notify_council_voting_deadline_near
from notifications.models import SentReminder


class Command(BaseCommand):
    help = "Send the 'voting deadline is near' reminder, once per voting."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=None,
            help="Remind about votings closing within this many hours (default: 24).",
        )

    def handle(self, *args, hours=None, **options):
        if hours is None:
            hours = getattr(settings, "PLANPORTAL_REMINDER_HOURS", 24)
        now = timezone.now()
        due = list(
            Voting.objects.filter(
                status="open", deadline__gt=now, deadline__lte=now + datetime.timedelta(hours=hours)
            )
            .select_related("version__plan", "report__plan")
            .order_by("deadline", "pk")
        )
        reminded = set(
            SentReminder.objects.filter(
                kind=VOTING_DEADLINE_NEAR, target__in=[str(voting.pk) for voting in due]
            ).values_list("target", flat=True)
        )
        sent = 0
        for voting in due:
            if str(voting.pk) in reminded:
                continue
            try:
                with transaction.atomic():
                    SentReminder.objects.create(kind=VOTING_DEADLINE_NEAR, target=str(voting.pk))
                    notifications = notify_council_voting_deadline_near(voting)
            except IntegrityError:
                # Another run reminded about this voting a moment ago.
                continue
            sent += 1
            self.stdout.write(
                f"Voting {voting.pk}: reminded {len(notifications)} council member(s)."
            )
        self.stdout.write(f"{sent} voting(s) reminded.")
