from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.services import unconfirmed_accounts_purge


class Command(BaseCommand):
    help = "Delete registrations whose e-mail address was not confirmed in time (run daily)."

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(seconds=settings.ACCOUNTS_CONFIRMATION_MAX_AGE)
        count = unconfirmed_accounts_purge(older_than=cutoff)
        self.stdout.write(f"Deleted {count} unconfirmed account(s).")
