"""The audit trail: reads of the history records of a plan version.

django-simple-history keeps a row per save (with the user, from
HistoryRequestMiddleware). A change is shown as the difference between a
history row and the previous row of the same object (diff_against). Codes are
renumbered with bulk updates and so are not part of the history: a node's
history shows what people changed, not the renumbering it caused.

Both reads run a fixed number of queries whatever the number of changes: the
names of related objects (units, sources, parents) are collected for a whole
batch of entries and loaded with one query per related model.

These functions do not check permissions; the staff views that call them do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import CharField, OuterRef, Subquery, Value
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from plans.levels import LEVELS
from plans.models import (
    FundingLine,
    Goal,
    Indicator,
    IndicatorTarget,
    Measure,
    MeasureLink,
    PlanVersion,
    Task,
    Unit,
)
from plans.numbers import figure_text
from plans.words import words_for

HISTORY_MODELS = {
    "version": PlanVersion,
    **{name: level.model for name, level in LEVELS.items()},
    "indicator": Indicator,
    "target": IndicatorTarget,
    "funding": FundingLine,
    "link": MeasureLink,
}
# A node's own fields beyond those every level shares.
_NODE_EXTRA_FIELDS = {
    "measure": ["kind", "responsible_unit", "appropriation_manager", "start_year", "end_year"]
}
TRACKED_FIELDS = {
    "version": ["label", "vision", "status", "decision_number", "decision_date"],
    **{
        name: [
            *([] if level.is_top else [level.parent_field]),
            "title",
            "description",
            "position",
            *_NODE_EXTRA_FIELDS.get(name, []),
        ]
        for name, level in LEVELS.items()
    },
    "indicator": [
        "kind",
        "name",
        "unit",
        "baseline_value",
        "baseline_year",
        "data_source",
        "direction",
        # The rest of the description card (order 1K-275).
        "code",
        "definition",
        "calculation_method",
        "frequency",
        "responsible_body",
        "remarks",
    ],
    "target": ["year", "value"],
    "funding": ["year", "source", "amount"],
    "link": ["level", "key"],
}
YEAR_FIELDS = {"start_year", "end_year", "baseline_year", "year"}
# A new draft's copied rows (plans/tree_copy.py) each get a first history
# record with this change reason (see _version_history_sources).
COPY_REASON_PREFIX = "copied from version"
RECENT_PAGE_SIZE = 50


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    user: object
    action: str
    kind: str
    subject: str
    changes: list = field(default_factory=list)
    history_id: int = 0
    # The number of the version this row was copied from when the draft was
    # made (plans/tree_copy.py), or None for a change somebody made.
    copied_from: str | None = None
    # The history model and its (field, old, new) raw values, kept until
    # _finish_entries can name related objects with one query per model.
    model: type | None = field(default=None, repr=False)
    raw_changes: list = field(default_factory=list, repr=False)


def node_history(level: str, node) -> list[HistoryEntry]:
    """The changes of a priority, goal, task or measure, newest first.

    A goal, task or measure's entries include those of its indicators and
    their target values, a measure's also those of its funding lines and
    co-executors. ``node`` needs its ``code`` (the subject of its entries).
    """
    labels = _Labels()
    entries = []
    own = list(node.history.select_related("history_user"))
    codes = {node.pk: node.code}
    entries += _entries(
        level,
        _with_previous(level, own),
        labels,
        _subject_namer(level, codes, words_for(node)),
        with_m2m=True,
    )
    if LEVELS[level].has_indicators:
        indicator_history = _history_model("indicator").objects.filter(**{f"{level}_id": node.pk})
        indicator_rows = list(indicator_history.select_related("history_user"))
        names = {}
        for row in sorted(indicator_rows, key=lambda r: r.history_id):
            names[row.id] = row.name
        entries += _entries(
            "indicator",
            _with_previous("indicator", indicator_rows),
            labels,
            _subject_namer("indicator"),
        )
        target_rows = list(
            _history_model("target")
            .objects.filter(indicator_id__in=indicator_history.values("id"))
            .select_related("history_user")
        )
        entries += _entries(
            "target", _with_previous("target", target_rows), labels, _subject_namer("target", names)
        )
    if level == "measure":
        funding_rows = list(
            _history_model("funding")
            .objects.filter(measure_id=node.pk)
            .select_related("history_user")
        )
        entries += _entries(
            "funding",
            _with_previous("funding", funding_rows),
            labels,
            _subject_namer("funding", {node.pk: node.code}),
        )
        link_rows = list(
            _history_model("link").objects.filter(measure_id=node.pk).select_related("history_user")
        )
        entries += _entries(
            "link",
            _with_previous("link", link_rows),
            labels,
            _subject_namer("link", {node.pk: node.code}),
        )
    return _finish_entries(entries, labels, words_for(node))


def version_recent_changes(version, page_number) -> tuple[Page, list[HistoryEntry]]:
    """One page of the version's changes, newest first, in a fixed number of
    queries: one UNION over the history tables for the page (and one to count
    it), then per model on the page its rows with their previous rows.

    ``page_number`` is taken as the user sent it (Paginator.get_page falls
    back to the first or last page on a bad number).
    """
    sources = _version_history_sources(version)
    parts = [
        queryset.order_by()
        .annotate(history_kind=Value(kind, output_field=CharField()))
        .values("history_kind", "history_id", "history_date")
        for kind, queryset in sources.items()
    ]
    union = parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")
    page = Paginator(union, RECENT_PAGE_SIZE).get_page(page_number)
    wanted = defaultdict(list)
    for row in page.object_list:
        wanted[row["history_kind"]].append(row["history_id"])

    labels = _Labels()
    entries = []
    pairs_by_kind = {}
    for kind, history_ids in wanted.items():
        model = _history_model(kind)
        previous_id = (
            model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        records = list(
            model.objects.filter(history_id__in=history_ids)
            .annotate(previous_id=Subquery(previous_id))
            .select_related("history_user")
        )
        previous = model.objects.in_bulk(
            [r.previous_id for r in records if r.previous_id is not None], field_name="history_id"
        )
        pairs_by_kind[kind] = [(r, previous.get(r.previous_id)) for r in records]

    # Name nodes by their code today (codes are assigned after creation, so a
    # creation record has none), funding lines by their measure, targets by
    # their indicator.
    current_codes = {}
    for kind in LEVELS:
        ids = {r.id for r, _prev in pairs_by_kind.get(kind, [])}
        if kind == "measure":
            for owned in ("funding", "link"):
                ids |= {r.measure_id for r, _prev in pairs_by_kind.get(owned, [])}
        if ids:
            current_codes[kind] = dict(
                LEVELS[kind].model.objects.filter(pk__in=ids).values_list("pk", "code")
            )
    indicator_ids = {r.indicator_id for r, _prev in pairs_by_kind.get("target", [])}
    indicator_names = (
        dict(Indicator.objects.filter(pk__in=indicator_ids).values_list("pk", "name"))
        if indicator_ids
        else {}
    )
    for kind, pairs in pairs_by_kind.items():
        if kind in LEVELS:
            namer = _subject_namer(kind, current_codes.get(kind, {}), words_for(version))
        elif kind in ("funding", "link"):
            namer = _subject_namer(kind, current_codes.get("measure", {}))
        elif kind == "target":
            namer = _subject_namer(kind, indicator_names)
        else:
            namer = _subject_namer(kind)
        entries += _entries(kind, pairs, labels, namer)
    return page, _finish_entries(entries, labels, words_for(version))


# --- Helpers ----------------------------------------------------------------------------


def _history_model(kind):
    return HISTORY_MODELS[kind].history.model


def _version_history_sources(version):
    """Per kind, the history records that belong to ``version``."""
    history = {kind: _history_model(kind).objects for kind in HISTORY_MODELS}
    measure_ids = history["measure"].filter(version_id=version.pk).values("id")
    indicator_ids = history["indicator"].filter(version_id=version.pk).values("id")
    sources = {
        "version": history["version"].filter(id=version.pk),
        **{level: history[level].filter(version_id=version.pk) for level in LEVELS},
        "indicator": history["indicator"].filter(version_id=version.pk),
        "target": history["target"].filter(indicator_id__in=indicator_ids),
        "funding": history["funding"].filter(measure_id__in=measure_ids),
        "link": history["link"].filter(measure_id__in=measure_ids),
    }
    # The records written when a draft is copied from another version are the
    # baseline of later changes, not changes themselves: the version's own
    # creation record already says where the draft came from.
    return {
        kind: queryset.exclude(history_change_reason__startswith=COPY_REASON_PREFIX)
        for kind, queryset in sources.items()
    }


def _copied_from(record) -> str | None:
    """The source version's number of a row's first record written by a copy."""
    reason = record.history_change_reason or ""
    if record.history_type != "+" or not reason.startswith(COPY_REASON_PREFIX):
        return None
    return reason.removeprefix(COPY_REASON_PREFIX).strip() or "?"


def _with_previous(kind, records):
    """Pairs (record, previous record of the same object or None); ``records``
    must hold every earlier record of each object."""
    by_object = defaultdict(list)
    for record in sorted(records, key=lambda r: r.history_id):
        by_object[record.id].append(record)
    pairs = []
    for rows in by_object.values():
        previous = None
        for record in rows:
            pairs.append((record, previous))
            previous = record
    return pairs


class _Labels:
    """Names of related objects (units, sources, parents) for a batch of
    history entries: one query per related model, whatever the batch size."""

    def __init__(self):
        self.wanted = defaultdict(set)
        self.names = {}
        self.keys = set()
        self.key_names = {}

    def want_key(self, key):
        """A goal or task of a development plan, named by a link's ``key``."""
        if key is not None:
            self.keys.add(key)

    def key_name(self, key):
        return self.key_names.get(str(key), str(key))

    def want(self, model, pk):
        if pk is not None:
            self.wanted[model].add(pk)

    def load(self):
        for model, pks in self.wanted.items():
            for obj in model.objects.filter(pk__in=pks):
                self.names[model, obj.pk] = str(obj)
        if self.keys:
            for model in (Goal, Task):
                rows = model.objects.filter(key__in=self.keys).order_by("version__number")
                for node in rows:  # the newest version's wording wins
                    self.key_names[str(node.key)] = f"{node.code} {node.title}".strip()

    def name(self, model, pk):
        return self.names.get((model, pk), f"#{pk}")


def _value_display(model_field, value, labels) -> str:
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return labels.name(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.name in YEAR_FIELDS:
        return str(value)
    if isinstance(value, Decimal):
        # A target or baseline as typed ("10,5"), an amount with its cents.
        return figure_text(value, model_field.decimal_places)
    if hasattr(value, "year") and hasattr(value, "month"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _entries(kind, pairs, labels, subjects, *, with_m2m=False) -> list[HistoryEntry]:
    """History entries of (record, previous) pairs of one model.

    ``subjects`` maps an object id to how it is named; labels are filled in
    by the caller after ``labels.load()`` (see _finish_entries).
    """
    model = HISTORY_MODELS[kind]
    tracked = TRACKED_FIELDS[kind]
    entries = []
    for record, previous in pairs:
        raw_changes = []
        if record.history_type == "+" or (record.history_type == "~" and previous is None):
            for name in tracked:
                # Tracked fields are the model's own, never a reverse relation.
                field = model._meta.get_field(name)
                value = getattr(record, field.attname)  # type: ignore[union-attr]
                if value not in (None, ""):
                    raw_changes.append((name, None, value))
            if with_m2m and kind == "measure":
                # The co-executors a measure started with (or came with, when copied).
                partners = [{"unit": row.unit_id} for row in record.co_executors.all()]
                if partners:
                    raw_changes.append(("co_executors", None, partners))
        elif record.history_type == "~":
            included = tracked + (["co_executors"] if with_m2m and kind == "measure" else [])
            delta = record.diff_against(previous, included_fields=included)
            for change in delta.changes:
                raw_changes.append((change.field, change.old, change.new))
        for name, old, new in raw_changes:
            if kind == "link" and name == "key":
                labels.want_key(old)
                labels.want_key(new)
                continue
            if name == "co_executors":
                for row in (old or []) + (new or []):
                    labels.want(Unit, row.get("unit"))
                continue
            model_field = model._meta.get_field(name)
            if model_field.is_relation:
                labels.want(model_field.related_model, old)
                labels.want(model_field.related_model, new)
        if record.history_type == "~" and not raw_changes:
            # Only the revision counter moved (e.g. the funding of a measure
            # changed, which has entries of its own): nothing to show.
            continue
        action = {"+": _("created"), "~": _("changed"), "-": _("deleted")}[record.history_type]
        copied_from = _copied_from(record)
        if copied_from is not None:
            # The draft's maker did not write these values: the copy did.
            action = _("copied from version %(number)s when the draft was made") % {
                "number": copied_from
            }
        entry = HistoryEntry(
            when=record.history_date,
            user=record.history_user,
            action=action,
            kind=kind,
            subject=subjects(record),
            history_id=record.history_id,
            model=model,
            raw_changes=raw_changes,
            copied_from=copied_from,
        )
        entries.append(entry)
    return entries


def _finish_entries(entries, labels, words):
    """Turn the raw changes into readable FieldChanges once every related
    name is loaded; newest first. ``words`` names a node's parent field
    ("programa" for a goal of an action plan)."""
    labels.load()
    for entry in entries:
        for name, old, new in entry.raw_changes:
            if entry.kind == "link" and name == "key":
                # The goal or task the link names, by its code and title.
                label = _("Goal or task")
                old_text = labels.key_name(old) if old else ""
                new_text = labels.key_name(new) if new else "—"
            elif name == "co_executors":
                label = str(Measure._meta.get_field("co_executors").verbose_name)
                first = entry.action == _("created") or entry.copied_from is not None
                old_text = ", ".join(labels.name(Unit, r["unit"]) for r in old or []) or (
                    "" if first else "—"
                )
                new_text = ", ".join(labels.name(Unit, r["unit"]) for r in new or []) or "—"
            else:
                model_field = entry.model._meta.get_field(name)
                label = words.name(name) if name in LEVELS else str(model_field.verbose_name)
                first = entry.action == _("created") or entry.copied_from is not None
                old_text = "" if old is None and first else _value_display(model_field, old, labels)
                new_text = _value_display(model_field, new, labels)
            # capfirst, not str.capitalize(): "suma, Eur" stays "Suma, Eur".
            entry.changes.append(FieldChange(capfirst(label), old_text, new_text))
    entries.sort(key=lambda e: (e.when, e.history_id), reverse=True)
    return entries


def _subject_namer(kind, labels_map=None, words=None):
    """A function naming the object of a history record of ``kind``;
    ``labels_map`` gives the codes of nodes or the names of indicators that
    the record itself does not hold; ``words`` (plans/words.py) names the
    levels as the plan's kind does."""
    words = words or words_for(None)
    level_label = {
        "version": _("Version"),
        **{name: capfirst(words.name(name)) for name in LEVELS},
    }
    labels_map = labels_map or {}

    def name(record):
        if kind == "version":
            return _("Version %(number)s: vision and status") % {"number": record.number}
        if kind in LEVELS:
            code = labels_map.get(record.id) or record.code
            return f"{level_label[kind]} {code} {record.title}".strip()
        if kind == "indicator":
            return _("Indicator “%(name)s”") % {"name": record.name}
        if kind == "target":
            indicator = labels_map.get(record.indicator_id, "")
            return _("Target value %(year)s of “%(indicator)s”") % {
                "year": record.year,
                "indicator": indicator,
            }
        owner = labels_map.get(record.measure_id, "")
        if kind == "link":
            return _("Link of %(measure)s to the development plan") % {"measure": owner}
        return _("Funding line %(year)s of %(measure)s") % {"year": record.year, "measure": owner}

    return name
