"""The models' last line of defence: a version's record stays its own.

Services check first, under the version's lock, with clear messages; these
guards hold for every other path as well (the admin, a shell, a data fix, a
future view). Two rules:

* Only a draft changes (``assert_version_editable``): every save and delete of
  a node, indicator, target or funding line checks the version of the row *as
  stored*, not only the version the object in memory names, so that pointing
  an object at a draft does not unlock a row of an approved version.
* Nothing moves between versions: a row keeps its version, and every parent
  it points at (a goal's priority, an indicator's goal, task or measure, a
  target's indicator, a funding line's measure) belongs to that same version.
  Otherwise the approved version's pages would show a draft's text and the
  draft's tree would lose a branch (issue 11, item 1).

``QuerySet.update()`` and ``QuerySet.delete()`` skip ``save()`` and
``delete()``, and ``bulk_update`` runs through ``update()``: the guarded
querysets below refuse them on rows of a frozen version and refuse to rewrite
the fields that place a row (its version and parents) at all. A cascade from
a deleted parent is collected by Django past any queryset; a version deletes
only as a draft and a plan only while none of its versions is frozen.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from .versions import EDITABLE_STATUSES, PlanVersion, frozen_version_error, other_version_error


def guard_save(
    obj: models.Model, *, version_path: str, parents: Iterable[str], own_version: bool
) -> None:
    """Refuse saving ``obj`` unless its stored and its new place are in one draft.

    ``version_path`` leads from the row to its version (``"version"``,
    ``"indicator__version"``); ``parents`` are the foreign keys to rows that
    have a ``version`` of their own; ``own_version``: the row has a
    ``version`` field too. One query for a change that keeps the row's place
    (as many as before the guard), one more per parent that changes.
    """
    model = type(obj)
    parents = tuple(parents)
    stored = None
    if obj.pk is not None:
        stored = (
            model._base_manager.filter(pk=obj.pk)
            .values(version_path, f"{version_path}__status", *parents)
            .first()
        )
    version_id = getattr(obj, "version_id", None) if own_version else None
    status = None
    if stored is not None:
        status = stored[f"{version_path}__status"]
        if status not in EDITABLE_STATUSES:
            raise frozen_version_error(status)
        if own_version and version_id != stored[version_path]:
            raise other_version_error("version")
        version_id = stored[version_path]
    for field in parents:
        parent_id = getattr(obj, f"{field}_id")
        if parent_id is None or (stored is not None and parent_id == stored[field]):
            continue
        parent_model = model._meta.get_field(field).related_model
        row = (
            parent_model._base_manager.filter(pk=parent_id)  # type: ignore[union-attr]
            .values_list("version", "version__status")
            .first()
        )
        if row is None:
            continue  # No such parent: the database's foreign key refuses the row.
        if version_id is None:
            version_id = row[0]  # A new target or funding line: its parent's version.
        if row[0] != version_id:
            raise other_version_error(field)
        status = row[1]
    if status is None and version_id is not None:
        status = PlanVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()
    if status is not None and status not in EDITABLE_STATUSES:
        raise frozen_version_error(status)


def guard_delete(obj: models.Model, *, version_path: str) -> None:
    """Refuse deleting ``obj`` unless the row, as stored, belongs to a draft."""
    status = (
        type(obj)
        ._base_manager.filter(pk=obj.pk)
        .values_list(f"{version_path}__status", flat=True)
        .first()
    )
    if status is not None and status not in EDITABLE_STATUSES:
        raise frozen_version_error(status)


class GuardedQuerySet(models.QuerySet):
    """``update()`` and ``delete()`` that keep the two rules of this module.

    A subclass names the path to the version (``version_path``) and the fields
    that place a row (``placement_fields``), which an ``update()`` may not
    rewrite: a move is ``plans.services.node_save``'s business.
    """

    version_path = "version"
    placement_fields: frozenset[str] = frozenset({"version"})

    def update(self, **kwargs):
        for name in kwargs:
            field = self.model._meta.get_field(name)
            if field.name in self.placement_fields:
                raise other_version_error(field.name)
        self._refuse_frozen()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_frozen()
        return super().delete()

    delete.queryset_only = True  # type: ignore[attr-defined]

    def _refuse_frozen(self) -> None:
        status = (
            self.exclude(**{f"{self.version_path}__status__in": EDITABLE_STATUSES})
            .values_list(f"{self.version_path}__status", flat=True)
            .first()
        )
        if status is not None:
            raise frozen_version_error(status)


def guard_co_executors(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """``m2m_changed`` of a measure's co-executors: only a draft's measures change.

    ``measure.co_executors.add()`` (or ``unit.co_executed_measures.add()``)
    writes the link table past ``Measure.save``; connected in
    ``plans.apps.PlansConfig.ready``.
    """
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    from .tree import Measure

    if reverse:  # From the unit's side: the measures are in ``pk_set`` (or all of them).
        measures = Measure._base_manager.filter(co_executors=instance)
        if pk_set is not None and action != "pre_clear":
            measures = Measure._base_manager.filter(pk__in=pk_set)
    else:
        measures = Measure._base_manager.filter(pk=instance.pk)
    status = (
        measures.exclude(version__status__in=EDITABLE_STATUSES)
        .values_list("version__status", flat=True)
        .first()
    )
    if status is not None:
        raise frozen_version_error(status)
