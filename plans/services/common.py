"""What every write to a plan checks first: the staff role, the version's
lock and state, and the revision the user saw.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planportal import roles
from planportal.errors import Conflict
from plans.models import (
    Indicator,
    Node,
    PlanVersion,
)

if TYPE_CHECKING:
    # What a stale-revision check compares: anything with a ``revision``.
    Revised: TypeAlias = PlanVersion | Node | Indicator


# ``node_save`` and its shorthands return a node of the model they were given.
NodeT = TypeVar("NodeT", bound=Node)


class ConflictError(Conflict):
    """Someone else saved the object after this user opened it.

    ``current`` is the object as it is now, so the user can compare it with
    what they typed (which the caller keeps) and decide.
    """

    code = "stale_revision"

    def __init__(self, current: Revised) -> None:
        super().__init__(_("Someone else changed this item after you opened it."))
        self.current = current

    def details(self) -> dict:
        return {"current_revision": getattr(self.current, "revision", None)}


# The one staff guard (planportal.roles), worded for the plan editor.
require_staff = partial(
    roles.require_staff, message=gettext_lazy("Only administration staff can change plans.")
)


def lock_editable_version(version_id: int) -> PlanVersion:
    """Lock the version row (and its plan's) for the rest of the transaction
    and check that it is a draft."""
    version = PlanVersion.objects.locked(version_id)
    version.ensure_editable()
    return version


def expect_revision(current: Revised, expected_revision: int | None) -> None:
    """Refuse a change based on an older state of ``current`` (None: no check)."""
    if expected_revision is not None and current.revision != expected_revision:
        raise ConflictError(current)
