"""Reading PDFs in tests with poppler-utils (pdftotext, pdffonts) and pypdf."""

from __future__ import annotations

import io
import re
import signal
import subprocess
import tempfile
from unittest import mock

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from plans.models import Measure, VersionStatus
from tests import factories
from tests.conftest import build_plan_tree

# Every Lithuanian letter, „quotes“ and the euro sign, in text a plan could hold.
VISION = (
    "Žalia, švari ir saugi aplinka: ąžuolynai, ežerai ir įrengtos dviračių trasos čia "
    "tęsiasi per visas seniūnijas, o ūkio ir gyventojų bendruomenių iniciatyvos klesti."
)
LETTERS = "ąčęėįšųūž"


def _poppler(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        command = [tool, *args, file.name] + (["-"] if tool == "pdftotext" else [])
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext -layout), in order."""
    text = _poppler("pdftotext", pdf, "-layout", "-enc", "UTF-8")
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_text(pdf: bytes) -> str:
    """The whole text, page after page, as pdftotext reads it."""
    return _poppler("pdftotext", pdf, "-enc", "UTF-8")


def flat_text(pdf: bytes) -> str:
    """The whole text on one line: words that hyphenation split at a line end
    are joined again (WeasyPrint marks those breaks with U+2010)."""
    text = re.sub(r"\u2010\s*\n\s*", "", pdf_text(pdf))
    return " ".join(text.split())


def pdf_fonts(pdf: bytes) -> list[dict]:
    lines = _poppler("pdffonts", pdf).splitlines()[2:]
    fonts = []
    for line in lines:
        parts = line.split()
        # name type… encoding emb sub uni object ID: the last five columns are fixed.
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return fonts


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def lithuanian_version(*, status=VersionStatus.APPROVED, priorities=1, **fields):
    """A small plan with Lithuanian text everywhere, in ``status``."""
    version = factories.VersionFactory(status=VersionStatus.DRAFT, vision=VISION)
    build_plan_tree(version, priorities=priorities)
    Measure.objects.filter(version=version).order_by("id").filter(
        pk=Measure.objects.filter(version=version).order_by("id").first().pk
    ).update(
        title="Konsultuoti investuotojus „vieno langelio“ principu",
        description="Numatoma skirti 15 000 € per metus.",
    )
    if status != VersionStatus.DRAFT or fields:
        type(version).objects.filter(pk=version.pk).update(status=status, **fields)
        version.refresh_from_db()
    return version


def queued_jobs() -> list[tuple[str, list]]:
    """The jobs waiting on the database queue: (task's name, arguments)."""
    return [
        (job.task_path.rsplit(".", 1)[-1], job.args_kwargs["args"])
        for job in DBTaskResult.objects.ready().order_by("enqueued_at")
    ]


def run_worker() -> None:
    """``manage.py worker --batch``: run the queued jobs in this process, then stop.

    In the test's transaction: the worker loop's check for stale connections
    would close the test's own, so it is left out, and the signal handlers
    the loop installs are put back afterwards.
    """
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("worker", batch=True, nice=0, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
