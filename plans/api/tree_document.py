"""The whole tree of a version as the API's JSON document, built fast and kept as bytes.

``GET /api/v1/versions/{id}/tree/`` is the API's heaviest read. The nested
DRF serializers (``serializers.VersionTreeSerializer``, still the schema's
description of the answer) cost some 75 ms for the demo plan in field
objects and model instances alone; here the same document is built from
``.values_list()`` rows as plain dictionaries, in the same fixed number of
queries, and encoded once with orjson.

An approved or superseded version never changes (the models refuse it), so
its document is kept in the cache as the encoded bytes, per version and
language, and answered as they are: an anonymous request (no session, no
``Authorization``) gets them before DRF's dispatch and without a query
(``anonymous_response``); every other request is authenticated and checked
by DRF first. A kept document carries an ETag, and a reader who sends it
back in ``If-None-Match`` gets a 304. Drafts and versions under consultation
or council review are built on every request, so an edit shows at once.

Every key holds the release's fingerprint and the page cache's generation
(``_generation``), so ``pagecache.bump()`` (a status change, a unit renamed)
retires every kept document with the cached pages.
"""

from __future__ import annotations

import decimal
import hashlib
from collections import defaultdict
from functools import cache as memoize
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework import fields as drf_fields

from planportal import pagecache
from plans.api.serializers import TreeIndicatorSerializer
from plans.models import (
    FundingLine,
    Goal,
    Indicator,
    IndicatorTarget,
    Measure,
    MeasureLink,
    PlanVersion,
    Priority,
    Task,
)
from plans.views.public import CACHEABLE_STATUSES

# The versions whose document never changes: those whose public pages are cached.
IMMUTABLE_STATUSES = CACHEABLE_STATUSES
CONTENT_TYPE = "application/json"
# Cookies that say nothing about the reader (a session cookie does).
_NEUTRAL_COOKIES = frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})

_NODE_FIELDS = ("id", "key", "code", "title", "description")


# --- Decimals as DRF's DecimalField writes them -----------------------------------


def _decimal_writer(max_digits: int, decimal_places: int):
    """``DecimalField(max_digits, decimal_places).to_representation``, without the field."""
    exponent = decimal.Decimal(1).scaleb(-decimal_places)
    context = decimal.Context(prec=max_digits)

    def write(value: decimal.Decimal | None) -> str | None:
        if value is None:
            return None
        return format(value.quantize(exponent, context=context), "f")

    return write


_value = _decimal_writer(18, 4)  # indicators' baselines and targets
_amount = _decimal_writer(14, 2)  # funding lines
_total = _decimal_writer(16, 2)  # a measure's funding total


def _text(value: Any) -> str | None:
    # DRF's CharField: None stays null, anything else becomes its str().
    return None if value is None else str(value)


def _uuid(value: Any) -> str | None:
    return None if value is None else str(value)


def _converter(field) -> Any:
    """What DRF's field would make of a row's value, for the fields the tree uses."""
    if isinstance(field, drf_fields.UUIDField):
        return _uuid
    if isinstance(field, drf_fields.DecimalField):
        return _value
    if isinstance(field, drf_fields.CharField):
        return _text
    return None  # integers: as the row has them


# An indicator's fields and their conversions, as the schema's serializer
# declares them (its targets come apart): the document cannot drift from it.
_INDICATOR_COLUMNS = tuple(
    (name, _converter(field))
    for name, field in TreeIndicatorSerializer().fields.items()
    if name != "targets"
)
_INDICATOR_FIELDS = tuple(name for name, _convert in _INDICATOR_COLUMNS)


# --- The document -----------------------------------------------------------------


def _indicators(version: PlanVersion) -> dict[tuple[str, int], list[dict]]:
    """Each owner's indicators, in order, with their targets by year."""
    targets: defaultdict[int, list[dict]] = defaultdict(list)
    for indicator_id, year, value in (
        IndicatorTarget.objects.filter(indicator__version=version)
        .order_by("year")
        .values_list("indicator_id", "year", "value")
    ):
        targets[indicator_id].append({"year": year, "value": _value(value)})
    by_owner: defaultdict[tuple[str, int], list[dict]] = defaultdict(list)
    rows = (
        Indicator.objects.filter(version=version)
        .order_by("position", "id")
        .values_list("goal_id", "task_id", "measure_id", *_INDICATOR_FIELDS)
    )
    for goal_id, task_id, measure_id, *values in rows:
        owner = (
            ("goal", goal_id)
            if goal_id is not None
            else ("task", task_id)
            if task_id is not None
            else ("measure", measure_id)
        )
        item = {
            name: value if convert is None else convert(value)
            for (name, convert), value in zip(_INDICATOR_COLUMNS, values, strict=True)
        }
        item["targets"] = targets.get(item["id"], [])
        by_owner[owner].append(item)
    return by_owner


def _node(row: tuple) -> dict:
    id_, key, code, title, description = row[:5]
    return {
        "id": id_,
        "key": _uuid(key),
        "code": _text(code),
        "title": _text(title),
        "description": _text(description),
    }


def build(version: PlanVersion) -> dict:
    """The tree document of ``version``, as ``VersionTreeSerializer`` describes it.

    Nine queries whatever the plan's size; nothing is cached here.
    """
    indicators = _indicators(version)
    no_indicators: list[dict] = []

    co_executors: defaultdict[int, list[dict]] = defaultdict(list)
    for measure_id, unit_id, unit_name in (
        Measure.co_executors.through.objects.filter(measure__version=version)
        .order_by("unit__name", "unit_id")
        .values_list("measure_id", "unit_id", "unit__name")
    ):
        co_executors[measure_id].append({"id": unit_id, "name": _text(unit_name)})

    funding: defaultdict[int, list[dict]] = defaultdict(list)
    totals: defaultdict[int, decimal.Decimal] = defaultdict(decimal.Decimal)
    for measure_id, year, source, amount in (
        FundingLine.objects.filter(measure__version=version)
        .order_by("year", "source__position", "source__code")
        .values_list("measure_id", "year", "source__code", "amount")
    ):
        funding[measure_id].append(
            {"year": year, "source": _text(source), "amount": _amount(amount)}
        )
        totals[measure_id] += amount

    links: defaultdict[int, list[str]] = defaultdict(list)
    for measure_id, key in (
        MeasureLink.objects.filter(measure__version=version)
        .order_by("position", "id")
        .values_list("measure_id", "key")
    ):
        links[measure_id].append(str(key))

    measures_of: defaultdict[int, list[dict]] = defaultdict(list)
    for row in (
        Measure.objects.filter(version=version)
        .order_by("position", "id")
        .values_list(
            *_NODE_FIELDS,
            "task_id",
            "kind",
            "responsible_unit__name",
            "responsible_unit_id",
            "appropriation_manager__name",
            "appropriation_manager_id",
            "start_year",
            "end_year",
        )
    ):
        measure = _node(row)
        (task_id, kind, unit, unit_id, manager, manager_id, start, end) = row[5:]
        id_ = measure["id"]
        measure["kind"] = _text(kind)
        measure["implements"] = links.get(id_, [])
        measure["responsible_unit"] = _text(unit)
        measure["responsible_unit_id"] = unit_id
        measure["appropriation_manager"] = _text(manager)
        measure["appropriation_manager_id"] = manager_id
        measure["co_executors"] = co_executors.get(id_, [])
        measure["start_year"] = start
        measure["end_year"] = end
        measure["indicators"] = indicators.get(("measure", id_), no_indicators)
        measure["funding"] = funding.get(id_, [])
        measure["funding_total"] = _total(totals.get(id_, decimal.Decimal(0)))
        measures_of[task_id].append(measure)

    tasks_of: defaultdict[int, list[dict]] = defaultdict(list)
    for row in (
        Task.objects.filter(version=version)
        .order_by("position", "id")
        .values_list(*_NODE_FIELDS, "goal_id")
    ):
        task = _node(row)
        task["indicators"] = indicators.get(("task", task["id"]), no_indicators)
        task["measures"] = measures_of.get(task["id"], [])
        tasks_of[row[5]].append(task)

    goals_of: defaultdict[int, list[dict]] = defaultdict(list)
    for row in (
        Goal.objects.filter(version=version)
        .order_by("position", "id")
        .values_list(*_NODE_FIELDS, "priority_id")
    ):
        goal = _node(row)
        goal["indicators"] = indicators.get(("goal", goal["id"]), no_indicators)
        goal["tasks"] = tasks_of.get(goal["id"], [])
        goals_of[row[5]].append(goal)

    priorities = []
    for row in (
        Priority.objects.filter(version=version)
        .order_by("position", "id")
        .values_list(*_NODE_FIELDS)
    ):
        priority = _node(row)
        priority["goals"] = goals_of.get(priority["id"], [])
        priorities.append(priority)

    return {
        "id": version.pk,
        "status": _text(version.status),
        "vision": _text(version.vision),
        "priorities": priorities,
    }


def encode(document: dict) -> bytes:
    return orjson.dumps(document)


# --- The cache --------------------------------------------------------------------


@memoize
def _release() -> str:
    """A fingerprint of the code that shapes the document.

    It is part of every key, so a deployment that changes the document never
    serves the previous release's bytes from a shared Redis (which outlives
    the app servers), as ``_release()`` of the public pages does for their
    templates and translations.
    """
    digest = hashlib.sha256()
    for path in (Path(__file__), Path(__file__).with_name("serializers.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _generation() -> int:
    """The page cache's generation of everything: ``pagecache.bump()`` (a
    status change, a unit renamed) retires every key holding it. Read from
    the store every worker shares, so a bump in one is seen by all."""
    return pagecache.generations(())[0]


def _identity(version: PlanVersion) -> str:
    # created_at tells apart two versions that got the same id (a database
    # restored from a backup, SQLite reusing ids in tests).
    return f"{version.created_at.isoformat()}|{version.status}"


def _document_key(version_id: int | str, identity: str, language: str, generation: int) -> str:
    raw = f"{version_id}|{identity}|{language}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:24]
    return f"plans:tree:{_release()}:{generation}:{version_id}:{digest}"


def _etag(key: str) -> str:
    # The key names exactly one content: the same key, the same bytes.
    return '"tree-' + hashlib.sha256(key.encode()).hexdigest()[:24] + '"'


def _alias_key(version_id: int | str, generation: int) -> str:
    """Where an immutable version's identity is kept, for readers who have not loaded it."""
    return f"plans:tree:{_release()}:{generation}:{version_id}:identity"


def document_bytes(version: PlanVersion) -> tuple[bytes, str | None]:
    """The encoded tree of ``version`` and its ETag.

    An immutable version's is kept once (and has an ETag); any other's is
    built now.
    """
    if version.status not in IMMUTABLE_STATUSES:
        return encode(build(version)), None
    generation = _generation()
    identity = _identity(version)
    key = _document_key(version.pk, identity, translation.get_language() or "", generation)
    alias = _alias_key(version.pk, generation)
    # Kept in this worker's memory and in the shared cache (pagecache.keep):
    # a hit then reads only the generation over the network, not the bytes.
    body = pagecache.fetch(key)
    if body is None:
        body = encode(build(version))
        pagecache.keep(key, body)
    if pagecache.fetch(alias) != identity:
        pagecache.keep(alias, identity)
    return body, _etag(key)


def json_response(body: bytes, etag: str | None, *, if_none_match: str = "") -> HttpResponse:
    """The document as JSON; 304 when the reader's copy (``If-None-Match``) is this one."""
    response: HttpResponse
    if etag is not None and etag in if_none_match:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=CONTENT_TYPE)
    if etag is not None:
        response["ETag"] = etag
    patch_vary_headers(response, ("Accept", "Cookie", "Authorization"))
    return response


def _anonymous_json(request: HttpRequest) -> bool:
    """Whether DRF would answer ``request`` anonymously and as JSON.

    No session or other personal cookie and no ``Authorization`` header (so
    no authentication class would find a user); no query string and no
    browser asking for HTML (so the browsable API is not wanted).
    """
    return (
        request.method in {"GET", "HEAD"}
        and "authorization" not in request.headers
        and not request.GET
        and "text/html" not in request.headers.get("Accept", "")
        and not (request.COOKIES.keys() - _NEUTRAL_COOKIES)
    )


def anonymous_response(request: HttpRequest, version_id: Any) -> HttpResponse | None:
    """The kept document of an immutable version for an anonymous reader, else None.

    Only immutable versions are ever kept, and they are public, so an
    anonymous reader may have them; anything else goes through DRF.
    """
    if not _anonymous_json(request):
        return None
    generation = _generation()
    identity = pagecache.fetch(_alias_key(version_id, generation))
    if identity is None:
        return None
    key = _document_key(version_id, identity, translation.get_language() or "", generation)
    body = pagecache.fetch(key)
    if body is None:
        return None
    response = json_response(
        body, _etag(key), if_none_match=request.headers.get("If-None-Match", "")
    )
    response["X-Page-Cache"] = "hit"
    return response
