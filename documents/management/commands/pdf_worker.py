"""``manage.py pdf_worker``: the earlier name of ``manage.py worker``, kept for existing set-ups."""

from planportal.management.commands.worker import Command as WorkerCommand


class Command(WorkerCommand):
    help = "The earlier name of `manage.py worker`: runs the background jobs, PDFs included."
