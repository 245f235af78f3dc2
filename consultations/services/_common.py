"""What every write of the consultation shares: its refusals and its checks.

The refusals (``ConsultationClosedError``, ``AlreadyDoneError``,
``RateLimitError``, ``ProposalStateError``) and ``find_target`` are public,
named by callers as ``consultations.services.X``; the helpers with a leading
underscore are for the modules of this package only.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planportal import pagecache
from planportal.errors import Conflict, RateLimited
from planportal.roles import ANONYMOUS, role_of
from plans.levels import LEVELS
from plans.models import PlanVersion, VersionStatus

from ..models import Consultation, ConsultationState

if TYPE_CHECKING:
    from planportal.roles import AnyUser
    from plans.models import Node


# Each refusal declares its code and HTTP status once (planportal/errors.py);
# the browser views and the API both read them, so they cannot disagree. Any
# other ValidationError is a form to correct (400).


class ConsultationClosedError(Conflict):
    """The consultation does not take proposals now (before start or after end).

    ``consultation_not_started`` before the start, ``consultation_closed`` after.
    """

    code = "consultation_closed"


class AlreadyDoneError(Conflict):
    """A support or report that this user already gave (answered with 409)."""

    code = "already_done"


class RateLimitError(RateLimited):
    """Too many proposals in the last hour (answered with 429)."""

    code = "rate_limited"


class ProposalStateError(Conflict):
    """The proposal's state forbids it: withdrawn, already answered, hidden, or
    without an answer to publish (answered with 409)."""

    code = "proposal_state"


def _require_logged_in(user: AnyUser) -> None:
    if role_of(user) == ANONYMOUS:
        raise PermissionDenied(_("Log in to take part in the consultation."))


def _bump_on_commit() -> None:
    # The plan pages of a consultation version are never cached, but the
    # plan page of the version in force lists the versions and their states.
    transaction.on_commit(pagecache.bump)


def _format_moment(moment: datetime.datetime) -> str:
    from django.utils import formats

    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _expect_open(consultation: Consultation) -> None:
    state = consultation.state
    if state == ConsultationState.UPCOMING:
        raise ConsultationClosedError(
            _("The consultation opens on %(start)s: proposals are not accepted yet.")
            % {"start": _format_moment(consultation.starts_at)},
            code="consultation_not_started",
        )
    if (
        state == ConsultationState.CLOSED
        or consultation.version.status != VersionStatus.CONSULTATION
    ):
        raise ConsultationClosedError(
            _("The consultation closed on %(end)s: proposals are no longer accepted.")
            % {"end": _format_moment(consultation.ends_at)}
        )


def find_target(version: PlanVersion, key: uuid.UUID | str) -> tuple[str, Node] | None:
    """The (level, node) of ``version`` whose key is ``key``; None if none."""
    try:
        key = uuid.UUID(str(key))
    except (ValueError, TypeError, AttributeError):
        return None
    for level in LEVELS.values():
        node = level.model.objects.filter(version=version, key=key).first()
        if node is not None:
            return level.name, node
    return None
