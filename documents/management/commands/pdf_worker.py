"""``manage.py pdf_worker``: render queued plan PDFs (with ``PDF_WORKER=rq``)."""

from django.core.management.base import BaseCommand
from django.db import connections

from documents.tasks import pdf_queue


class Command(BaseCommand):
    help = "Render the plan PDFs that the web servers queue on Redis (PDF_WORKER=rq)."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Stop when the queue is empty.")

    def handle(self, *args, burst=False, **options):
        from rq import Worker

        queue = pdf_queue()
        # rq forks a child per job; a database connection opened here would be
        # shared by parent and child, so none is kept open in the parent.
        connections.close_all()
        self.stdout.write(f"Rendering PDFs from the Redis queue {queue.name!r}.")
        Worker([queue], connection=queue.connection).work(burst=burst)
