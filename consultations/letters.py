"""The letters consultations send: plain text in the portal's language,
rendered from templates/consultations/email/.

A letter must be one a resident can act on without the portal open: it greets
them by name, quotes what it is about and carries absolute links, built on
``PLANPORTAL_BASE_URL`` (the deploy check ``planportal.W010`` warns when it is
not set in production).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Proposal, ResponseStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Where a development server answers when no base address is configured.
DEVELOPMENT_BASE_URL = "http://localhost:8000"


def absolute(path: str) -> str:
    """``path`` on the portal's public address."""
    base = (settings.PLANPORTAL_BASE_URL or DEVELOPMENT_BASE_URL).rstrip("/")
    return f"{base}{path}"


def quote(text: str) -> str:
    """The text as a quotation in a plain-text letter: each line after "> "."""
    return "\n".join(f"> {line}".rstrip() for line in (text or "").splitlines())


def answer_letter(*, proposal: Proposal, user: User, as_author: bool) -> tuple[str, str]:
    """The (subject, body) of the letter telling ``user`` that ``proposal`` was
    answered: to its author, or to a resident who supported it.

    The greeting names the resident when their account has a name, and says
    only "Hello" otherwise (Lithuanian forms of address differ by gender,
    which the portal does not know).
    """
    context = {
        "name": user.get_full_name().strip(),
        "as_author": as_author,
        "number": proposal.public_number,
        "consultation": proposal.consultation.title,
        "code": proposal.target_code,
        "title": proposal.target_title,
        "quoted": quote(proposal.text),
        "status": ResponseStatus(proposal.response_status).label,
        "answer": proposal.response_text,
        "link": absolute(proposal.get_absolute_url()),
        "settings_link": absolute(reverse("accounts:profile") + "#answer-letters"),
        "municipality": settings.PLANPORTAL_MUNICIPALITY,
    }
    subject = render_to_string("consultations/email/answer_letter_subject.txt", context)
    body = render_to_string("consultations/email/answer_letter.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"
