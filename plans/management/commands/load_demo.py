"""``manage.py load_demo``: the Kaunas District demo plans and demo accounts."""

from django.core.management.base import BaseCommand

from plans.demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the Kaunas District Municipality demo plans (the 2013–2020 plan with a draft "
        "revision, the 2021–2027 development plan and the 2025–2027 strategic action plan "
        "with its 2026–2028 update draft) and the demo accounts. Running it again adds "
        "nothing twice."
    )

    def handle(self, *args, **options):
        load_demo(say=lambda line: self.stdout.write(line))
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(
            self.style.WARNING(
                f'The demo accounts share the password "{DEMO_PASSWORD}": '
                "never load demo data on a server reachable by the public."
            )
        )
