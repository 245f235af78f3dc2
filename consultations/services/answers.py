"""The municipality's official answers (staff): writing one, linking it to the
change in a later version, publishing it, and telling the author and the
residents who supported the proposal (a letter each, unless they turned
such letters off: ``answer_letters_set``).

Answers lock the proposal row; the residents are told through
``notifications.services.notify``.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications import services as notifications
from planportal import pagecache
from planportal.roles import require_staff
from plans.levels import LEVELS
from plans.models import PlanVersion

from .. import letters
from ..models import LINKABLE_STATUSES, AnswerLetterOptOut, Consultation, Proposal, ResponseStatus
from ..selectors import answer_recipients
from ._common import ProposalStateError, find_target

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PROPOSAL_ANSWERED = "proposal_answered"


def _link_target(
    proposal: Proposal,
    status: str,
    linked_version: PlanVersion | None,
    linked_key: uuid.UUID | str | None,
) -> tuple[PlanVersion | None, uuid.UUID | None]:
    if linked_version is None and not linked_key:
        return None, None
    if linked_version is not None and not linked_key and proposal.target_key:
        # A node keeps its key in later drafts: by default the change is in
        # the node the proposal was about.
        linked_key = proposal.target_key
    errors = {}
    if status not in LINKABLE_STATUSES:
        errors["linked_key"] = _(
            "Only an accepted or partly accepted proposal can be linked to a change."
        )
    elif linked_version is None or not linked_key:
        errors["linked_key"] = _("Choose both the later version and the node that changed.")
    else:
        origin = proposal.consultation.version
        if linked_version.plan_id != origin.plan_id or linked_version.number <= origin.number:
            errors["linked_version"] = _("Choose a later version of the same plan.")
        else:
            linked_key = _node_key(linked_version, linked_key)
            if linked_key is None or find_target(linked_version, linked_key) is None:
                errors["linked_key"] = _("That node is not in the chosen version.")
    if errors:
        raise ValidationError(errors)
    return linked_version, uuid.UUID(str(linked_key))


def _node_key(version: PlanVersion, value: uuid.UUID | str) -> uuid.UUID | None:
    """The key ``value`` names: a key as it is, or a node's code in ``version``.

    Staff know a node by its code ("C.3.4.4"), not by its key; codes are
    unique within a version (each level has its own shape of code).
    """
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        pass
    code = str(value).strip()
    for level in LEVELS.values():
        key = (
            level.model.objects.filter(version=version, code=code)
            .values_list("key", flat=True)
            .first()
        )
        if key is not None:
            return key
    return None


@transaction.atomic
def proposal_answer(
    *,
    user: User,
    proposal: Proposal,
    status: str,
    text: str,
    publish: bool = False,
    linked_version: PlanVersion | None = None,
    linked_key: uuid.UUID | str | None = None,
    notify: bool = True,
) -> Proposal:
    """Staff write (or change) the official answer to a proposal.

    Preconditions: ``user`` is staff; ``status`` is one of ``ResponseStatus``;
    ``text`` (the justification) is not empty; a link to a later version's
    node only for an accepted or partly accepted proposal. With ``publish``
    the answer becomes public at once and the author is told by e-mail;
    otherwise it stays prepared until published (``answers_publish``). An
    answer already published is changed in public too, and the author told.
    ``notify=False`` publishes without telling (the demo loader's invented
    residents have no mailbox).
    """
    require_staff(user)
    text = (text or "").strip()
    errors = {}
    if status not in ResponseStatus.values:
        errors["status"] = _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(ResponseStatus.values)
        }
    if not text:
        errors["text"] = _("Give the justification of the answer.")
    if errors:
        raise ValidationError(errors)
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("consultation__version")
        .get(pk=proposal.pk)
    )
    if proposal.withdrawn_at:
        raise ProposalStateError(
            _("This proposal was withdrawn by its author: it needs no answer.")
        )
    proposal.linked_version, proposal.linked_key = _link_target(
        proposal, status, linked_version, linked_key
    )
    proposal.response_status = status
    proposal.response_text = text
    proposal.responded_by = user
    proposal.responded_at = timezone.now()
    was_published = proposal.response_published_at is not None
    proposal.save(
        update_fields=[
            "response_status",
            "response_text",
            "responded_by",
            "responded_at",
            "linked_version",
            "linked_key",
        ]
    )
    if publish or was_published:
        _publish([proposal], notify=notify)
    return proposal


def _publish(proposals: list[Proposal], *, notify: bool = True) -> int:
    now = timezone.now()
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(response_published_at=now)
    # update() sends no signal: the answers show at once on the cached pages.
    pagecache.bump_on_commit("consultations")
    for proposal in proposals:
        proposal.response_published_at = now
    if notify:
        _send_letters(proposals)
    return len(proposals)


def _send_letters(proposals: list[Proposal]) -> None:
    """A letter to each author and each supporter of the answered proposals.

    Who hears is ``selectors.answer_recipients`` (the staff's confirmation
    page counts the same); each letter is personal (its greeting), so each is
    one ``notify`` call. The letters speak the portal's language, whoever
    published.
    """
    recipients = answer_recipients(proposals)
    with translation.override(settings.LANGUAGE_CODE):
        for proposal in proposals:
            status = ResponseStatus(proposal.response_status).label
            for user, as_author in recipients.get(proposal.pk, []):
                subject, body = letters.answer_letter(
                    proposal=proposal, user=user, as_author=as_author
                )
                notifications.notify(
                    users=[user],
                    kind=PROPOSAL_ANSWERED,
                    subject=subject,
                    text=_("The municipality's answer: %(status)s.\n\n%(text)s")
                    % {"status": status, "text": proposal.response_text},
                    url=proposal.get_absolute_url(),
                    email_text=body,
                )


@transaction.atomic
def answer_publish(*, user: User, proposal: Proposal) -> Proposal:
    """Publish one prepared answer. Preconditions: staff; the proposal has an answer."""
    require_staff(user)
    proposal = (
        Proposal.objects.select_for_update().select_related("consultation").get(pk=proposal.pk)
    )
    if not proposal.response_status:
        raise ProposalStateError(_("This proposal has no answer to publish yet."))
    if proposal.response_published_at is None:
        _publish([proposal])
    return proposal


@transaction.atomic
def answers_publish(*, user: User, consultation: Consultation) -> int:
    """Publish every prepared, unpublished answer of a consultation at once.

    Returns how many were published; each author is told by e-mail.
    """
    require_staff(user)
    prepared = list(
        Proposal.objects.select_for_update()
        .select_related("consultation")
        .filter(
            consultation=consultation, response_published_at__isnull=True, withdrawn_at__isnull=True
        )
        .exclude(response_status="")
    )
    return _publish(prepared) if prepared else 0


@transaction.atomic
def answer_letters_set(*, user: User, enabled: bool) -> bool:
    """A resident turns the letters about answers to their proposals and to the
    proposals they supported on or off (the profile's setting). Returns ``enabled``.

    Preconditions: ``user`` is logged in. Idempotent: a second "off" keeps the
    one row (its constraint settles two at once).
    """
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to change your settings."))
    if enabled:
        AnswerLetterOptOut.objects.filter(user=user).delete()
    else:
        AnswerLetterOptOut.objects.get_or_create(user=user)
    return enabled
