"""Mail staff, once per person, every council comment they have not been mailed yet.

Run it from cron (e.g. every morning: README, "Scheduled job"; docs/council.md). Council members'
comments are in staff's notifications at once; the e-mail waits for this
command, which sends each person one message with all of them and marks
them, so a second run sends nothing more and a failed run can simply be
repeated.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.services import digest_send
from review.notices import REVIEW_COMMENT


class Command(BaseCommand):
    help = "E-mail staff one digest of the council's new review comments."

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            sent = digest_send(
                kinds=[REVIEW_COMMENT],
                subject=_("New council comments on the plan"),
                intro=_(
                    "Council members commented on versions of the plan. Each comment is below "
                    "with a link to its thread; your notifications in the portal list them too."
                ),
            )
        self.stdout.write(f"{sent} digest e-mail(s) sent.")
