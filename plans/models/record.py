"""Reference data that a frozen version's record shows, and the rule that keeps it.

What an approved (or any frozen) version shows of the reference data, its
measures' responsible units and co-executors, its funding lines' sources,
its plan's title, municipality and period, is part of its record: the pages
and the PDFs stored at approval must agree, and both must say what the
council approved. So the fields of a unit, a source or a plan that a frozen
version shows do not change, and a plan with a frozen version is not
deleted. A department that is renamed becomes a new unit, which the next
draft's measures point at (docs/security/guards.md). Fields a version does
not show (a unit's kind, a source's position in the budget's columns) stay
free.

This module imports no other model module, so that ``versions`` (plans) and
``reference`` (units, sources) can both build on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _

from planportal.errors import Conflict


class FrozenReferenceError(Conflict):
    """A change of reference data that a frozen version's record shows."""

    code = "frozen_version"


def frozen_reference_error(what) -> FrozenReferenceError:
    return FrozenReferenceError(
        _(
            "“%(what)s” is part of the record of a version that is no longer a draft "
            "(under review, approved or superseded): it cannot be changed. "
            "Create a new one for the next draft instead."
        )
        % {"what": what}
    )


def changed_fields(obj: models.Model, names: Iterable[str]) -> list[str]:
    """Which of ``names`` differ between ``obj`` and its stored row (none for a new one)."""
    if obj.pk is None:
        return []
    names = sorted(names)
    stored = type(obj)._base_manager.filter(pk=obj.pk).values(*names).first()
    if stored is None:
        return []
    return [name for name in names if stored[name] != getattr(obj, name)]


class ReferenceQuerySet(models.QuerySet["RecordedReference"]):
    """``update()`` and ``delete()`` past ``save()`` and ``delete()`` keep the rule too."""

    def update(self, **kwargs):
        if self.model.RECORD_FIELDS & kwargs.keys():
            for obj in self:
                if obj.in_frozen_record():
                    raise frozen_reference_error(obj)
        return super().update(**kwargs)

    def delete(self):
        for obj in self:
            obj.check_deletable()
        return super().delete()

    delete.queryset_only = True  # type: ignore[attr-defined]


class RecordedReference(models.Model):
    """Reference data whose ``RECORD_FIELDS`` a frozen version's record shows."""

    RECORD_FIELDS: frozenset[str] = frozenset()

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The last line of defence (a shell, a data fix, any form).
        self.check_record()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.check_deletable()
        return super().delete(*args, **kwargs)

    def clean(self):
        # The admin's form shows the refusal as the form's error.
        super().clean()
        self.check_record()

    def in_frozen_record(self) -> bool:
        """Whether a version that is not a draft shows this row."""
        raise NotImplementedError

    def check_record(self) -> None:
        """Refuse changing a field that a frozen version shows."""
        if changed_fields(self, self.RECORD_FIELDS) and self.in_frozen_record():
            raise frozen_reference_error(self)

    def check_deletable(self) -> None:
        """Refuse deleting a row that a frozen version shows.

        A unit that is a measure's responsible unit, and a source of a
        funding line, are protected by their foreign keys already; a
        co-executor's link and a plan's versions would go with the row.
        """
        if self.in_frozen_record():
            raise frozen_reference_error(self)
