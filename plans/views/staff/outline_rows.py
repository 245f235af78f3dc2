"""The staff outline's tree as HTML, from rows kept in the cache.

Rendering a row of the outline (``_node_line.html``: seven links and forms,
their URLs, translated labels, the measure's figures) cost about 2 ms, and
the page and every in-place edit (whose answer is the whole outline, since
codes renumber) rendered every row again: about 110 ms for the demo's
draft. Most rows are the same from one render to the next, so each row's
HTML is kept, and so is the whole tree's.

A row is keyed by *everything it shows*: its level, id, code, key, title,
number of children, first and last among its siblings, and a measure's unit,
years, funding and indicator count, with the version's editability, the kind
of plan (its level words), the language, the URL prefix and a fingerprint of
the templates, translations and this code (``_release``). No key names a
"last modified" marker that some write could forget to bump: a row whose
content changes gets a new key, so an edit shows at once, to its author and
to everyone else, and a key can never point at stale HTML.

The cache holds two entries per version and language: the rows used by the
last render (``{row key: html}``, so it never grows beyond the plan) and
the whole tree with the digest of its row keys. A page whose tree did not
change is one cache read; an edit renders the rows it changed (a title: one;
a move: the rows renumbered) and joins the rest.

The rows hold nothing personal. Their forms' CSRF token is a placeholder,
replaced by the reader's own token on the way out; the row that has the
focus after an edit (``data-autofocus``, an open menu) is rendered for that
answer alone and never kept.
"""

from __future__ import annotations

import hashlib
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from plans.words import words_for

ROW_TEMPLATE = "plans/staff/_node_line.html"
# Stands for the reader's CSRF token in kept rows; letters only, so that the
# csrf_token tag writes it unchanged.
CSRF_PLACEHOLDER = "planportalOutlineCsrfTokenPlaceholder"
LEVEL_ORDER = ("priority", "goal", "task", "measure")


@memoize
def _release() -> str:
    """A fingerprint of what a row's HTML is made of besides the data.

    Part of every key, so that a deployment that changes the templates, the
    translations or this code never serves rows of the previous release from
    a shared cache (Redis outlives the app servers).
    """
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    files = [Path(__file__), base / "plans" / "words.py", base / "plans" / "kinds.py"]
    files += sorted((base / "templates" / "plans" / "staff").glob("*.html"))
    for root in settings.LOCALE_PATHS:
        files += sorted(Path(root).rglob("*.mo"))
    for path in files:
        if path.is_file():
            digest.update(str(path).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _entry_key(version, name: str) -> str:
    # created_at tells apart two versions that got the same id (a restored
    # backup, SQLite reusing ids in tests).
    return (
        f"plans:staff-outline:{_release()}:{version.pk}:{version.created_at.timestamp()}:"
        f"{translation.get_language()}:{name}"
    )


def _row_key(level: str, node, first: bool, last: bool, common: tuple) -> str:
    shown: tuple = (level, node.pk, node.code, str(node.key), node.title, len(node.children))
    if level == "measure":
        unit = node.responsible_unit
        shown += (
            unit.name if unit is not None else None,
            node.start_year,
            node.end_year,
            node.funding_count,
            str(node.funding_total),
            node.indicator_count,
        )
    raw = repr((shown, first, last, common))
    return hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def outline_tree_html(
    request, version, tree, *, editable: bool, focus_node=None, focus_control: str = "line"
) -> SafeString:
    """The outline's ``<ol>`` of every row and the "Go to an item" list, as HTML."""
    words = words_for(version.plan)
    common = (editable, words.kind.name, get_script_prefix(), _release())
    keys: dict[tuple[int, int], str] = {}  # (depth, id): the row's key

    def walk(nodes, depth):
        for index, node in enumerate(nodes):
            last = index == len(nodes) - 1
            keys[depth, node.pk] = _row_key(LEVEL_ORDER[depth], node, index == 0, last, common)
            if depth < 3:
                walk(node.children, depth + 1)

    walk(tree.priorities, 0)
    tree_key = hashlib.blake2b("".join(keys.values()).encode(), digest_size=16).hexdigest()
    focus = focus_node if focus_node is not None and focus_node.pk else None

    html = None
    if focus is None:
        kept = cache.get(_entry_key(version, "tree"))
        if kept is not None and kept[0] == tree_key:
            html = kept[1]
    if html is None:
        html = _assemble(version, tree, keys, words, editable, focus, focus_control)
        if focus is None:
            cache.set(_entry_key(version, "tree"), (tree_key, html), settings.PAGE_CACHE_SECONDS)
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))


def _assemble(version, tree, keys, words, editable, focus, focus_control) -> str:
    """The tree's HTML from the kept rows, rendering those that changed.

    The same nesting as the outline had as a template: each node an ``<li>``
    with its row, and its children's ``<ol>`` when it has any.
    """
    rows_key = _entry_key(version, "rows")
    kept = cache.get(rows_key) or {}
    template = get_template(ROW_TEMPLATE)
    context = {
        "words": words,
        "editable": editable,
        "csrf_token": CSRF_PLACEHOLDER,
        "focus_control": focus_control,
    }

    urls: dict[str, _NodeUrls] = {}  # reversed only when a row of the level is rendered

    def render(level, node, first, last, focus_node=None):
        if level not in urls:
            urls[level] = _NodeUrls(level)
        values = {"node": node, "level": level, "first": first, "last": last}
        values["urls"] = urls[level].of(node.pk)
        return template.render({**context, **values, "focus_node": focus_node})

    rows: dict[str, str] = {}
    parts: list[str] = []

    def emit(nodes, depth):
        level = LEVEL_ORDER[depth]
        for index, node in enumerate(nodes):
            first, last = index == 0, index == len(nodes) - 1
            key = keys[depth, node.pk]
            row = rows.get(key) or kept.get(key) or render(level, node, first, last)
            rows[key] = row
            if focus is not None and focus == node:
                row = render(level, node, first, last, focus_node=node)
            parts.append(f'<li class="node-{level}">{row}')
            if depth < 3 and node.children:
                parts.append(f'<ol id="children-{level}-{node.pk}">')
                emit(node.children, depth + 1)
                parts.append("</ol>")
            parts.append("</li>")

    parts.append('<ol class="outline staff-outline">')
    emit(tree.priorities, 0)
    parts.append("</ol>")
    parts.append(_datalist(tree))
    # Only the rows of this render are kept: the entry never outgrows the plan.
    if rows.keys() != kept.keys():
        cache.set(rows_key, rows, settings.PAGE_CACHE_SECONDS)
    return "".join(parts)


class _NodeUrls:
    """The links of a level's rows, reversed once per render rather than
    fourteen times per row (a third of a row's time went to ``{% url %}``)."""

    # Stands for the node's id in the reversed URLs; no other part of them
    # holds these digits.
    SENTINEL = "9876543210"
    NAMES = {
        "edit": "plans:staff-node-edit",
        "add": "plans:staff-node-add",
        "move": "plans:staff-node-move",
        "delete": "plans:staff-node-delete",
        "history": "plans:staff-node-history",
    }

    def __init__(self, level: str):
        pk = int(self.SENTINEL)
        self.patterns = {name: reverse(url, args=[level, pk]) for name, url in self.NAMES.items()}
        if level == "measure":
            self.patterns["funding"] = reverse("plans:staff-measure-funding", args=[pk])

    def of(self, pk) -> dict[str, str]:
        return {
            name: pattern.replace(self.SENTINEL, str(pk)) for name, pattern in self.patterns.items()
        }


def _datalist(tree) -> str:
    # What "Go to an item" suggests: the top two levels, current after every
    # change since the list is part of the outline's fragment.
    options = [
        format_html('<option value="{}">{} {}</option>', node.code, node.code, node.title)
        for priority in tree.priorities
        for node in (priority, *priority.children)
    ]
    return f'<datalist id="outline-codes">{"".join(options)}</datalist>'
