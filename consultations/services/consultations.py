"""Opening a draft to public consultation and extending its end (staff)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planportal import extensions
from planportal.roles import require_staff
from plans.models import FrozenVersionError, PlanVersion, VersionStatus

from ..models import Consultation
from ._common import AlreadyDoneError, ConsultationClosedError, _bump_on_commit

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def consultation_open(
    *,
    user: User,
    version: PlanVersion,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    description: str = "",
) -> Consultation:
    """Open the public consultation of a draft.

    Preconditions: ``user`` is staff; ``version`` is a draft without a
    consultation; ``ends_at`` is after ``starts_at`` and in the future. The
    version becomes ``consultation``: public and read-only.
    """
    require_staff(user)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the consultation a title.")
    if starts_at is None:
        errors["starts_at"] = _("Give the start of the consultation.")
    if ends_at is None:
        errors["ends_at"] = _("Give the end of the consultation.")
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    elif ends_at <= timezone.now():
        errors["ends_at"] = _("The end must be in the future.")
    if errors:
        raise ValidationError(errors)
    version = PlanVersion.objects.locked(version.pk)
    if version.status != VersionStatus.DRAFT:
        raise FrozenVersionError(
            {
                "version": _(
                    "Only a draft can be put to public consultation; this version is %(status)s."
                )
                % {"status": VersionStatus(version.status).label.lower()}
            }
        )
    if Consultation.objects.filter(version=version).exists():
        raise AlreadyDoneError({"version": _("This version already had a public consultation.")})
    consultation = Consultation.objects.create(
        version=version,
        title=title,
        description=(description or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        opened_by=user,
    )
    PlanVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.CONSULTATION, updated_at=timezone.now()
    )
    version.status = VersionStatus.CONSULTATION
    # Other parts act on the new state (documents queues its PDF).
    extensions.version_status_changed(version)
    _bump_on_commit()
    return consultation


@transaction.atomic
def consultation_extend(
    *, user: User, consultation: Consultation, ends_at: datetime.datetime
) -> Consultation:
    """Move the end of a consultation later (also re-opening one that just closed).

    Preconditions: ``user`` is staff; the version is still under
    consultation (not yet sent to the council); the new end is later than the
    current one and in the future.
    """
    require_staff(user)
    consultation = (
        Consultation.objects.select_for_update().select_related("version").get(pk=consultation.pk)
    )
    if consultation.version.status != VersionStatus.CONSULTATION:
        raise ConsultationClosedError(
            {
                "ends_at": _(
                    "The version has left public consultation: its end can no longer change."
                )
            }
        )
    if ends_at is None or ends_at <= consultation.ends_at:
        raise ValidationError({"ends_at": _("The new end must be later than the current one.")})
    if ends_at <= timezone.now():
        raise ValidationError({"ends_at": _("The end must be in the future.")})
    consultation.ends_at = ends_at
    consultation.save(update_fields=["ends_at", "updated_at"])
    _bump_on_commit()
    return consultation
