"""Every write to a plan goes through here.

Services are keyword-only, run in one transaction and check two things before
anything else: that the user is administration staff, and that the version is
a draft. Browser views, API viewsets and the demo loader all call them, so the
rules cannot disagree between paths.
"""

from __future__ import annotations

import string
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from planportal.errors import Conflict
from planportal.roles import is_staff_member
from plans.models import (
    DEFAULT_INDICATOR_KIND,
    EDITABLE_STATUSES,
    FrozenVersionError,
    FundingLine,
    Goal,
    Indicator,
    IndicatorTarget,
    Measure,
    NumberingStyle,
    Plan,
    PlanVersion,
    Priority,
    Task,
    VersionStatus,
)


class ConflictError(Conflict):
    """Someone else saved the object after this user opened it.

    ``current`` is the object as it is now, so the user can compare it with
    what they typed (which the caller keeps) and decide.
    """

    code = "stale_revision"

    def __init__(self, current):
        super().__init__(_("Someone else changed this item after you opened it."))
        self.current = current

    def details(self) -> dict:
        return {"current_revision": getattr(self.current, "revision", None)}


def require_staff(user) -> None:
    if not is_staff_member(user):
        raise PermissionDenied(_("Only administration staff can change plans."))


def _lock_editable_version(version_id) -> PlanVersion:
    """Lock the version row for the rest of the transaction and check it is a draft.

    Locking it means that a version being submitted or approved at the same
    moment waits for this edit to finish (or this edit waits for it, and then
    sees the new status and stops).
    """
    version = PlanVersion.objects.select_for_update().select_related("plan").get(pk=version_id)
    if version.status not in EDITABLE_STATUSES:
        raise FrozenVersionError(
            _("This version is %(status)s: it cannot be changed. Create a new draft instead.")
            % {"status": VersionStatus(version.status).label.lower()}
        )
    return version


# --- Numbering ------------------------------------------------------------------


def priority_label(index: int, style: str) -> str:
    """1 → "A" (or "1"), 26 → "Z", 27 → "AA"."""
    if style == NumberingStyle.DIGITS:
        return str(index)
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return letters


def version_renumber(version: PlanVersion) -> None:
    """Give every node of the version its code and a dense position (1, 2, 3 …).

    Codes are positional: a priority's letter (or digit) and each level's
    ordinal under its parent. Only rows whose code or position changed are
    written, so an edit of one measure's title writes nothing here.
    """
    style = version.plan.numbering
    priorities = list(Priority.objects.filter(version=version).order_by("position", "id"))
    goals = list(Goal.objects.filter(version=version).order_by("position", "id"))
    tasks = list(Task.objects.filter(version=version).order_by("position", "id"))
    measures = list(Measure.objects.filter(version=version).order_by("position", "id"))

    def group(children, parent_attr):
        grouped = {}
        for child in children:
            grouped.setdefault(getattr(child, parent_attr), []).append(child)
        return grouped

    goals_of = group(goals, "priority_id")
    tasks_of = group(tasks, "goal_id")
    measures_of = group(measures, "task_id")
    changed = {Priority: [], Goal: [], Task: [], Measure: []}

    def assign(node, code, position):
        if node.code != code or node.position != position:
            node.code, node.position = code, position
            changed[type(node)].append(node)

    for p_index, priority in enumerate(priorities, start=1):
        p_code = priority_label(p_index, style)
        assign(priority, p_code, p_index)
        for g_index, goal in enumerate(goals_of.get(priority.id, []), start=1):
            g_code = f"{p_code}.{g_index}"
            assign(goal, g_code, g_index)
            for t_index, task in enumerate(tasks_of.get(goal.id, []), start=1):
                t_code = f"{g_code}.{t_index}"
                assign(task, t_code, t_index)
                for m_index, measure in enumerate(measures_of.get(task.id, []), start=1):
                    assign(measure, f"{t_code}.{m_index}", m_index)

    for model, nodes in changed.items():
        if nodes:
            # bulk_update skips save() (and so the per-row frozen guard); the
            # caller holds the version lock and has checked it is a draft.
            model.objects.bulk_update(nodes, ["code", "position"], batch_size=500)


# --- Versions ------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    user,
    title: str,
    municipality: str,
    period_start: int,
    period_end: int,
    numbering: str = NumberingStyle.LETTERS,
    vision: str = "",
) -> Plan:
    """Create a plan with its first, empty draft (version 1)."""
    require_staff(user)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    plan = Plan.objects.create(
        title=title,
        municipality=municipality,
        period_start=period_start,
        period_end=period_end,
        numbering=numbering,
    )
    PlanVersion.objects.create(plan=plan, number=1, vision=vision, created_by=user)
    return plan


@transaction.atomic
def version_create_draft(*, user, plan: Plan, source: PlanVersion | None = None) -> PlanVersion:
    """A new draft: a deep copy of ``source`` (by default the version in force).

    Every node, indicator, target and funding line is copied; nodes and
    indicators keep their ``key`` so that versions can be compared. With no
    version in force and no source, the draft is empty.
    """
    require_staff(user)
    # Lock the plan so that two drafts created at once get different numbers.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if source is None:
        source = plan.versions.filter(status=VersionStatus.APPROVED).first()
    elif source.plan_id != plan.pk:
        raise ValidationError(_("The source version belongs to another plan."))
    number = (plan.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    draft = PlanVersion.objects.create(
        plan=plan,
        number=number,
        status=VersionStatus.DRAFT,
        vision=source.vision if source else "",
        based_on=source,
        created_by=user,
    )
    if source is not None:
        _copy_tree(source, draft, user)
    return draft


def _copy_tree(source: PlanVersion, target: PlanVersion, user=None) -> None:
    """Copy every row of ``source``'s tree into ``target`` in a few bulk inserts.

    Each copied row also gets its first history record ("copied from version
    N"), so that the audit trail of the new draft shows the previous value of
    the first change made to it.
    """
    reason = f"copied from version {source.number}"  # plans/history.py filters on this

    def clone(obj, **overrides):
        obj.pk = obj.id = None
        obj._state.adding = True
        for name, value in overrides.items():
            setattr(obj, name, value)
        return obj

    def copy(model, rows, **overrides_of):
        old_ids = [row.id for row in rows]
        objs = [clone(row, **{k: f(row) for k, f in overrides_of.items()}) for row in rows]
        created = bulk_create_with_history(
            objs, model, default_user=user, default_change_reason=reason
        )
        return dict(zip(old_ids, (obj.id for obj in created)))

    def rows(model, **filters):
        return list(model.objects.filter(**filters).order_by("id"))

    same = {"version": lambda row: target, "revision": lambda row: 1}
    priority_map = copy(Priority, rows(Priority, version=source), **same)
    goal_map = copy(
        Goal, rows(Goal, version=source), priority_id=lambda g: priority_map[g.priority_id], **same
    )
    task_map = copy(Task, rows(Task, version=source), goal_id=lambda t: goal_map[t.goal_id], **same)
    measures = list(
        Measure.objects.filter(version=source).prefetch_related("co_executors").order_by("id")
    )
    co_executors = {m.id: [u.id for u in m.co_executors.all()] for m in measures}
    measure_map = copy(Measure, measures, task_id=lambda m: task_map[m.task_id], **same)
    through = Measure.co_executors.through
    through.objects.bulk_create(
        [
            through(measure_id=measure_map[old], unit_id=unit_id)
            for old, units in co_executors.items()
            for unit_id in units
        ]
    )
    indicator_map = copy(
        Indicator,
        rows(Indicator, version=source),
        goal_id=lambda i: goal_map.get(i.goal_id),
        task_id=lambda i: task_map.get(i.task_id),
        measure_id=lambda i: measure_map.get(i.measure_id),
        **same,
    )
    copy(
        IndicatorTarget,
        rows(IndicatorTarget, indicator__version=source),
        indicator_id=lambda t: indicator_map[t.indicator_id],
    )
    copy(
        FundingLine,
        rows(FundingLine, measure__version=source),
        measure_id=lambda f: measure_map[f.measure_id],
    )


@transaction.atomic
def version_update(
    *, user, version: PlanVersion, revision: int, vision: str, label: str = ""
) -> PlanVersion:
    require_staff(user)
    locked = _lock_editable_version(version.pk)
    if locked.revision != revision:
        raise ConflictError(locked)
    locked.vision = vision
    locked.label = label
    # A plain increment is safe under the row lock taken above; an F()
    # expression would reach simple_history's insert of the historical row,
    # which cannot store an expression.
    locked.revision = locked.revision + 1
    locked._change_reason = "vision"
    locked.save()
    locked.refresh_from_db()
    return locked


@transaction.atomic
def version_delete(*, user, version: PlanVersion) -> None:
    require_staff(user)
    locked = _lock_editable_version(version.pk)
    locked.delete()


# --- Nodes ----------------------------------------------------------------------

NODE_FIELDS = {
    "priority": {"title", "description"},
    "goal": {"title", "description"},
    "task": {"title", "description"},
    "measure": {"title", "description", "kind", "responsible_unit", "start_year", "end_year"},
}


def level_of(node) -> str:
    return type(node).__name__.lower()


def _siblings(level: str, parent):
    if level == "priority":
        return Priority.objects.filter(version=parent)
    model = {"goal": Goal, "task": Task, "measure": Measure}[level]
    parent_field = {"goal": "priority", "task": "goal", "measure": "task"}[level]
    return model.objects.filter(**{parent_field: parent})


def _validate_measure(fields: dict, plan: Plan) -> None:
    errors = {}
    start, end = fields.get("start_year"), fields.get("end_year")
    if start and end and end < start:
        errors["end_year"] = _("The end year cannot be before the start year.")
    for name in ("start_year", "end_year"):
        year = fields.get(name)
        if year and not (plan.period_start - 10 <= year <= plan.period_end + 10):
            errors[name] = _("The year must be near the plan's period (%(start)s–%(end)s).") % {
                "start": plan.period_start,
                "end": plan.period_end,
            }
    if errors:
        raise ValidationError(errors)


def _clean_title(fields: dict) -> None:
    if "title" in fields:
        title = (fields["title"] or "").strip()
        if not title:
            raise ValidationError({"title": _("A title is required.")})
        fields["title"] = title


@transaction.atomic
def node_create(
    *, user, level: str, parent, position: int | None = None, co_executors=None, **fields
):
    """Add a node under ``parent`` (a version for a priority) and renumber.

    The node goes after its siblings unless ``position`` (1-based) is given.
    """
    require_staff(user)
    version_id = parent.pk if level == "priority" else parent.version_id
    version = _lock_editable_version(version_id)
    unknown = set(fields) - NODE_FIELDS[level]
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    _clean_title(fields)
    if "title" not in fields:
        raise ValidationError({"title": _("A title is required.")})
    if level == "measure":
        _validate_measure(fields, version.plan)
    siblings = _siblings(level, parent)
    count = siblings.count()
    if position is None or position > count:
        position = count + 1
    else:
        position = max(position, 1)
        siblings.filter(position__gte=position).update(position=F("position") + 1)
    model = {"priority": Priority, "goal": Goal, "task": Task, "measure": Measure}[level]
    parent_kwargs = (
        {"version": version}
        if level == "priority"
        else {
            {"goal": "priority", "task": "goal", "measure": "task"}[level]: parent,
            "version": version,
        }
    )
    node = model(position=position, **parent_kwargs, **fields)
    node.full_clean(exclude=["code", "key", "version", "priority", "goal", "task"])
    node.save()
    if co_executors is not None and level == "measure":
        node.co_executors.set(co_executors)
    version_renumber(version)
    node.refresh_from_db()
    return node


@transaction.atomic
def node_update(*, user, node, revision: int | None = None, co_executors=None, **fields):
    """Change a node's fields.

    ``revision`` is the revision the user's form or request was based on; when
    someone else saved in between, ``ConflictError`` carries the current state
    and nothing is written. API clients may omit it (last write wins there,
    as in any REST API without If-Match).
    """
    require_staff(user)
    level = level_of(node)
    version = _lock_editable_version(node.version_id)
    unknown = set(fields) - NODE_FIELDS[level]
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    current = type(node).objects.select_for_update().get(pk=node.pk)
    if revision is not None and current.revision != revision:
        raise ConflictError(current)
    _clean_title(fields)
    if level == "measure":
        merged = {
            "start_year": fields.get("start_year", current.start_year),
            "end_year": fields.get("end_year", current.end_year),
        }
        _validate_measure(merged, version.plan)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=["code", "key", "version", "priority", "goal", "task"])
    current.revision = current.revision + 1
    current.save()
    if co_executors is not None and level == "measure":
        current.co_executors.set(co_executors)
    return current


@transaction.atomic
def node_delete(*, user, node) -> None:
    """Delete a node with everything under it, and renumber its siblings."""
    require_staff(user)
    version = _lock_editable_version(node.version_id)
    type(node).objects.filter(pk=node.pk).delete()
    version_renumber(version)


@transaction.atomic
def node_move(*, user, node, position: int, parent=None):
    """Put ``node`` at ``position`` (1-based) among its siblings, optionally
    under another parent of the same version, and renumber."""
    require_staff(user)
    level = level_of(node)
    version = _lock_editable_version(node.version_id)
    node = type(node).objects.select_for_update().get(pk=node.pk)
    if parent is not None and level != "priority":
        parent_field = {"goal": "priority", "task": "goal", "measure": "task"}[level]
        if parent.version_id != version.pk:
            raise ValidationError(_("A node can only move within its own version."))
        setattr(node, parent_field, parent)
    else:
        parent = version if level == "priority" else node.parent
    siblings = list(_siblings(level, parent).exclude(pk=node.pk).order_by("position", "id"))
    position = min(max(position, 1), len(siblings) + 1)
    siblings.insert(position - 1, node)
    for index, sibling in enumerate(siblings, start=1):
        sibling.position = index
    node.revision += 1
    node.save()
    type(node).objects.bulk_update([s for s in siblings if s.pk != node.pk], ["position"])
    version_renumber(version)
    node.refresh_from_db()
    return node


# --- Indicators and funding ------------------------------------------------------


def _indicator_owner_kwargs(owner) -> dict:
    level = level_of(owner)
    if level not in DEFAULT_INDICATOR_KIND:
        raise ValidationError(_("Only goals, tasks and measures have indicators."))
    return {level: owner}


def _clean_targets(targets) -> list[tuple[int, Decimal]]:
    cleaned = {}
    for item in targets or []:
        year, value = int(item["year"]), Decimal(str(item["value"]))
        if year in cleaned:
            raise ValidationError({"targets": _("Year %(year)s appears twice.") % {"year": year}})
        if not 1990 <= year <= 2100:
            raise ValidationError({"targets": _("%(year)s is not a valid year.") % {"year": year}})
        cleaned[year] = value
    return sorted(cleaned.items())


@transaction.atomic
def indicator_save(
    *, user, owner=None, indicator: Indicator | None = None, revision=None, targets=None, **fields
):
    """Create an indicator on ``owner`` or change ``indicator``; ``targets``
    (a list of ``{"year", "value"}``) replaces the yearly targets when given."""
    require_staff(user)
    version_id = indicator.version_id if indicator else owner.version_id
    _lock_editable_version(version_id)
    cleaned_targets = _clean_targets(targets) if targets is not None else None
    if indicator is None:
        kwargs = _indicator_owner_kwargs(owner)
        fields.setdefault("kind", DEFAULT_INDICATOR_KIND[level_of(owner)])
        position = Indicator.objects.filter(**kwargs).count() + 1
        indicator = Indicator(version_id=version_id, position=position, **kwargs, **fields)
    else:
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if revision is not None and indicator.revision != revision:
            raise ConflictError(indicator)
        for name, value in fields.items():
            setattr(indicator, name, value)
        indicator.revision += 1
    indicator.full_clean(exclude=["key", "version", "goal", "task", "measure"])
    indicator.save()
    if cleaned_targets is not None:
        existing = {t.year: t for t in IndicatorTarget.objects.filter(indicator=indicator)}
        for year, value in cleaned_targets:
            target = existing.pop(year, None)
            if target is None:
                IndicatorTarget(indicator=indicator, year=year, value=value).save()
            elif target.value != value:
                target.value = value
                target.save()
        for stale in existing.values():
            stale.delete()
    return indicator


@transaction.atomic
def indicator_delete(*, user, indicator: Indicator) -> None:
    require_staff(user)
    _lock_editable_version(indicator.version_id)
    Indicator.objects.filter(pk=indicator.pk).delete()


@transaction.atomic
def measure_set_funding(
    *, user, measure: Measure, lines, revision: int | None = None
) -> list[FundingLine]:
    """Replace a measure's funding lines with ``lines`` (``year``, ``source``, ``amount``).

    Lines of the same year and source are refused rather than summed, since
    the user probably meant to type another year or source.
    """
    require_staff(user)
    version = _lock_editable_version(measure.version_id)
    current = Measure.objects.select_for_update().get(pk=measure.pk)
    if revision is not None and current.revision != revision:
        raise ConflictError(current)
    seen = set()
    cleaned = []
    for line in lines:
        year, source, amount = int(line["year"]), line["source"], Decimal(str(line["amount"]))
        source_id = getattr(source, "pk", source)
        if (year, source_id) in seen:
            raise ValidationError(
                {"funding": _("Year %(year)s has the same source twice.") % {"year": year}}
            )
        if amount < 0:
            raise ValidationError({"funding": _("An amount cannot be negative.")})
        if not (version.plan.period_start - 10 <= year <= version.plan.period_end + 10):
            raise ValidationError(
                {"funding": _("%(year)s is outside the plan's period.") % {"year": year}}
            )
        seen.add((year, source_id))
        cleaned.append(FundingLine(measure=current, year=year, source_id=source_id, amount=amount))
    # Line by line rather than delete-and-insert, so that the audit trail
    # records which amount changed from what to what.
    existing = {(f.year, f.source_id): f for f in FundingLine.objects.filter(measure=current)}
    for line in cleaned:
        old = existing.pop((line.year, line.source_id), None)
        if old is None:
            line.save()
        elif old.amount != line.amount:
            old.amount = line.amount
            old.save()
    for stale in existing.values():
        stale.delete()
    current.revision += 1
    current.save()
    return cleaned


def new_key() -> uuid.UUID:
    return uuid.uuid4()
