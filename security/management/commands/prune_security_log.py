from django.core.management.base import BaseCommand

from security.services import prune


class Command(BaseCommand):
    help = "Delete security-log events older than SECURITY_LOG_RETENTION_DAYS (run daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Keep this many days instead of the setting."
        )

    def handle(self, *args, days=None, **options):
        count = prune(days=days)
        self.stdout.write(f"Deleted {count} security event(s).")
