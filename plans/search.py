"""Text search over the plan's nodes that knows Lithuanian word forms.

A query is split into terms: words (a hyphenated word is two, as in
"lopšelis-darželis") and codes ("D.1.3"). A word matches a node's own title or
description when it has the same stem as a word there ("darželis"
finds "darželio", "darželių"; "atliekos" finds "atliekų"), or when it begins
that word with the Lithuanian letters folded away ("zaliuju" finds
"žaliųjų", "sąvartyn" finds "sąvartynai": people type half words and leave
out the letters). A code matches only the node with that code.

Stems come from the database where it can make them: PostgreSQL's
``lithuanian`` text search configuration (SearchVector and SearchQuery,
SearchRank as the last tie-breaker). SQLite has none, so there the words are
stemmed in Python with the same Snowball algorithm (``snowballstemmer``).
Both are asked about one level at a time, one query per level, however many
nodes the plan has.

Every node is matched on its own text only: a priority whose description
names roads is a result, its goals, tasks and measures are not, unless their
own text matches too (docs/plans/search.md).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.db import connections
from django.db.models import BooleanField, Case, QuerySet, Value, When

CONFIG = "lithuanian"
# Longer input is not a search anyone typed; it finds nothing rather than
# making the database stem a page of text.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
# Words that carry no meaning of their own. Every term must match, so "kelių
# ir gatvių" would otherwise only find texts that also contain "ir".
STOPWORDS = frozenset(
    "ir bei ar su i is prie uz per apie nuo iki kad tai o ne nei kaip kur yra "
    "del pagal tarp ant po pries be".split()
)

_WORD = re.compile(r"\w+")
# A code of the plan: letters or digits joined by dots ("D.1.3", "2.1.").
_CODE = re.compile(r"\w+(?:\.\w+)+\.?")


def fold(text: str) -> str:
    """Lower-case text without diacritics ("Žaliųjų" → "zaliuju")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("lithuanian")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of one lower-case word, folded.

    The stem is taken before folding (the endings "-ų", "-ė" are what the
    stemmer recognises) and folded afterwards, so a word typed without
    Lithuanian letters can still meet it. Cached: a plan repeats its words.
    """
    return fold(_stemmer().stemWord(word))


@dataclass(frozen=True)
class Term:
    """One thing the reader asked for: a word, or a code when ``code``."""

    text: str
    code: bool = False

    @property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def stems(self) -> frozenset[str]:
        # "darzelis" (typed without its letters) stems on its own terms.
        return frozenset({stem(self.text), stem(self.folded)})


def parse_query(q: str) -> tuple[Term, ...]:
    """The terms of a query; none for empty, punctuation-only or overlong input."""
    if not q or len(q) > MAX_QUERY_LENGTH:
        return ()
    terms: list[Term] = []
    for chunk in unicodedata.normalize("NFC", q.casefold()).split():
        chunk = chunk.strip(".,;:!?()[]\"'«»„“")
        if _CODE.fullmatch(chunk):
            terms.append(Term(chunk.rstrip("."), code=True))
            continue
        terms += [Term(word) for word in _WORD.findall(chunk) if fold(word) not in STOPWORDS]
    unique = list(dict.fromkeys(terms))
    return tuple(unique[:MAX_TERMS])


@dataclass(frozen=True)
class Hit:
    """How one node matched: which terms, where, and how well."""

    level: str
    node_id: int
    matched: int  # terms found anywhere in the node's own text
    in_title: int  # terms found in its title (or the code asked for)
    code: bool  # the query named this node's code
    rank: float = 0.0  # PostgreSQL's SearchRank; 0 on SQLite

    @property
    def sort_key(self) -> tuple:
        """Best first: the code asked for, more terms, more of them in the
        title, then the database's rank."""
        return (not self.code, -self.matched, -self.in_title, -self.rank)


def _uses_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text.casefold()))


@lru_cache(maxsize=4096)
def _folded_words(text: str) -> frozenset[str]:
    return frozenset(fold(word) for word in _words(text))


@lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(word) for word in _words(text))


def _word_in(term: Term, text: str, *, stemmed: bool) -> bool:
    if stemmed and term.stems & _stems(text):
        return True
    folded_words = _folded_words(text)
    needle = term.folded
    if needle.isdigit() or len(needle) < 3:
        return needle in folded_words
    return any(word.startswith(needle) for word in folded_words)


def _rows(queryset: QuerySet, terms: tuple[Term, ...]) -> Iterable[tuple]:
    """(id, code, title, description, title matches, description matches,
    rank) for each node; the matches are the database's, by stem, per word
    term (PostgreSQL only: on SQLite they are left to Python)."""
    fields = ("id", "code", "title", "description")
    words = [term.text for term in terms if not term.code]
    if not words or not _uses_postgres(queryset):
        for row in queryset.values_list(*fields):
            yield (*row, None, None, 0.0)
        return
    # Only here: the embedded default, SQLite, need not have PostgreSQL's driver.
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    title_vector = SearchVector("title", config=CONFIG, weight="A")
    description_vector = SearchVector("description", config=CONFIG, weight="B")
    queries = [SearchQuery(word, config=CONFIG, search_type="plain") for word in words]
    any_word = queries[0]
    for query in queries[1:]:
        any_word |= query
    annotations = {}
    for index, query in enumerate(queries):
        annotations[f"search_t{index}"] = Case(
            When(search_title=query, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        annotations[f"search_d{index}"] = Case(
            When(search_description=query, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    rows = (
        queryset.annotate(search_title=title_vector, search_description=description_vector)
        .annotate(
            **annotations,
            # SearchVector's own "+" (tsvector's "||"), not F()'s arithmetic.
            search_rank=SearchRank(title_vector + description_vector, any_word),
        )
        .values_list(*fields, *annotations, "search_rank")
    )
    count = len(queries)
    for row in rows:
        flags = row[4:-1]
        yield (*row[:4], flags[0::2][:count], flags[1::2][:count], float(row[-1] or 0.0))


def level_hits(level: str, queryset: QuerySet, terms: tuple[Term, ...]) -> list[Hit]:
    """Every node of ``queryset`` that matches at least one term (one query)."""
    if not terms:
        return []
    stemmed = not _uses_postgres(queryset)
    word_index = {term: i for i, term in enumerate(t for t in terms if not t.code)}
    hits = []
    for node_id, code, title, description, db_title, db_description, rank in _rows(queryset, terms):
        matched = in_title = 0
        named = False
        for term in terms:
            if term.code:
                if fold(code or "") == term.folded:
                    named = True
                    matched += 1
                    in_title += 1
                continue
            index = word_index[term]
            # Codes are matched as codes only: "2" must not find every B.2.1.
            if (db_title and db_title[index]) or _word_in(term, title, stemmed=stemmed):
                matched += 1
                in_title += 1
            elif (db_description and db_description[index]) or _word_in(
                term, description or "", stemmed=stemmed
            ):
                matched += 1
        if matched:
            hits.append(Hit(level, node_id, matched, in_title, named, rank))
    return hits


def wanted_hits(hits: Iterable[Hit], terms: tuple[Term, ...], *, partial: bool) -> list[Hit]:
    """The hits to show, in the order they came in (``best_hits`` ranks them).

    Every term must match. With ``partial``, when no node has them all, the
    nodes with the most of them are shown instead (the page says so), so a
    query with one word too many still finds something.
    """
    hits = list(hits)
    wanted = len(terms)
    if partial and hits and not any(hit.matched == wanted for hit in hits):
        wanted = max(hit.matched for hit in hits)
    return [hit for hit in hits if hit.matched >= wanted]


def best_hits(hits: Iterable[Hit], terms: tuple[Term, ...], *, partial: bool) -> list[Hit]:
    """The hits to show, best first (ties keep the order they came in)."""
    return sorted(wanted_hits(hits, terms, partial=partial), key=lambda hit: hit.sort_key)


def search_levels(querysets: Mapping[str, QuerySet], q: str, *, partial: bool = False) -> list[Hit]:
    """The best hits among several levels' nodes, one query per level."""
    terms = parse_query(q)
    hits = [hit for level, qs in querysets.items() for hit in level_hits(level, qs, terms)]
    return best_hits(hits, terms, partial=partial)


# --- A precomputed index (the outline's search) ---------------------------------------
#
# ``level_hits`` reads and stems every node's text on every query. The outline's
# search instead indexes each node's words and stems once (``TextIndex``; for an
# approved version kept across requests, plans/selectors_search.py), so that a
# query only stems its own words and looks them up. The rules are
# ``level_hits``'s, term by term, so both find and rank the same nodes.

# For each word term, the sets of stems of which one must be wholly in a text.
Needs = Mapping[Term, tuple[frozenset[str], ...]]
Postings = dict[str, frozenset[int]]


def _lexemes_sql(count: int) -> str:
    # to_tsvector runs the same parser and dictionaries as plainto_tsquery
    # (what SearchQuery(search_type="plain") sends), and a text matches such a
    # query exactly when it holds all of its lexemes, so the lexemes' set
    # decides the same as the database's "@@" (an empty query matches nothing).
    return "SELECT " + ", ".join(["tsvector_to_array(to_tsvector(%s::regconfig, %s))"] * count)


def query_needs(terms: tuple[Term, ...], *, using: str) -> Needs:
    """What each word term needs of a text's stems to match by stem.

    SQLite: either of the term's Snowball stems (as typed, and folded).
    PostgreSQL: every lexeme of the word (one query for all the words; none of
    the nodes' texts is stemmed again).
    """
    words = [term for term in terms if not term.code]
    if connections[using].vendor != "postgresql":
        return {term: tuple(frozenset({s}) for s in sorted(term.stems)) for term in words}
    if not words:
        return {}
    params: list[str] = []
    for term in words:
        params += [CONFIG, term.text]
    with connections[using].cursor() as cursor:
        cursor.execute(_lexemes_sql(len(words)), params)
        row = cursor.fetchone()
    pairs = zip(words, row, strict=True)
    return {term: (frozenset(lexemes),) if lexemes else () for term, lexemes in pairs}


@dataclass(frozen=True, slots=True)
class IndexedField:
    """One field (the titles, or the descriptions) of every node of an index:
    which nodes hold each stem, which hold each folded word, and the folded
    words sorted, so that a prefix finds its words by bisection rather than by
    reading every node's words."""

    stems: Postings
    words: Postings
    vocabulary: tuple[str, ...]

    @classmethod
    def build(cls, texts: Iterable[tuple[str | None, Iterable[str] | None]]) -> IndexedField:
        """From each node's (text, stems): PostgreSQL's lexemes, or None for
        Snowball's (SQLite)."""
        stems: dict[str, set[int]] = {}
        words: dict[str, set[int]] = {}
        for position, (text, lexemes) in enumerate(texts):
            text = text or ""
            for stem_ in _stems(text) if lexemes is None else frozenset(lexemes):
                stems.setdefault(stem_, set()).add(position)
            for word in _folded_words(text):
                words.setdefault(word, set()).add(position)
        return cls(
            stems={key: frozenset(value) for key, value in stems.items()},
            words={key: frozenset(value) for key, value in words.items()},
            vocabulary=tuple(sorted(words)),
        )

    def matching(self, term: Term, needs: tuple[frozenset[str], ...]) -> set[int]:
        """The nodes whose text ``term`` matches (``_word_in``'s rule)."""
        found: set[int] = set()
        for need in needs:
            nodes: frozenset[int] | None = None
            for stem_ in need:
                holders = self.stems.get(stem_, frozenset())
                nodes = holders if nodes is None else nodes & holders
            found |= nodes or frozenset()
        needle = term.folded
        if needle.isdigit() or len(needle) < 3:
            found |= self.words.get(needle, frozenset())
            return found
        start = bisect.bisect_left(self.vocabulary, needle)
        for word in self.vocabulary[start:]:
            if not word.startswith(needle):
                break
            found |= self.words[word]
        return found


@dataclass(frozen=True, slots=True)
class TextIndex:
    """The codes, titles and descriptions of a list of nodes, indexed once.

    Nodes are named by their position in the list the index was built from.
    """

    codes: Postings
    titles: IndexedField
    descriptions: IndexedField

    @classmethod
    def build(cls, nodes: Sequence[tuple[str | None, str, str | None, tuple | None]]) -> TextIndex:
        """From each node's (code, title, description, lexemes): ``lexemes`` is
        PostgreSQL's (title's, description's), or None for Snowball's."""
        codes: dict[str, set[int]] = {}
        for position, (code, *_rest) in enumerate(nodes):
            codes.setdefault(fold(code or ""), set()).add(position)
        return cls(
            codes={key: frozenset(value) for key, value in codes.items()},
            titles=IndexedField.build(
                (title, lexemes[0] if lexemes else None) for _c, title, _d, lexemes in nodes
            ),
            descriptions=IndexedField.build(
                (text, lexemes[1] if lexemes else None) for _c, _t, text, lexemes in nodes
            ),
        )

    def matches(self, terms: tuple[Term, ...], needs: Needs) -> list[tuple[int, int, int, bool]]:
        """(position, matched, in_title, code) of every node that matches at
        least one term, in the list's order, counted as ``level_hits`` does."""
        in_title: list[set[int]] = []
        anywhere: list[set[int]] = []
        for term in terms:
            if term.code:
                # Codes are matched as codes only: "2" must not find every B.2.1.
                named = set(self.codes.get(term.folded, frozenset()))
                in_title.append(named)
                anywhere.append(named)
                continue
            title = self.titles.matching(term, needs[term])
            in_title.append(title)
            anywhere.append(title | self.descriptions.matching(term, needs[term]))
        codes = [named for term, named in zip(terms, in_title, strict=True) if term.code]
        candidates = set().union(*anywhere)
        return [
            (
                position,
                sum(position in nodes for nodes in anywhere),
                sum(position in nodes for nodes in in_title),
                any(position in named for named in codes),
            )
            for position in sorted(candidates)
        ]


def indexed_lexemes(queryset: QuerySet) -> dict[int, tuple[list[str], list[str]]]:
    """PostgreSQL's lexemes of each node's title and description (one query)."""
    from django.contrib.postgres.fields import ArrayField
    from django.contrib.postgres.search import SearchVector
    from django.db.models import Func, TextField

    def lexemes(field: str) -> Func:
        return Func(
            SearchVector(field, config=CONFIG),
            function="tsvector_to_array",
            output_field=ArrayField(TextField()),
        )

    rows = queryset.annotate(
        search_title=lexemes("title"), search_description=lexemes("description")
    ).values_list("id", "search_title", "search_description")
    return {node_id: (title, description) for node_id, title, description in rows}


def indexed_ranks(querysets: Mapping[str, QuerySet], terms: tuple[Term, ...]) -> dict:
    """PostgreSQL's SearchRank of the hits shown, {(level, id): rank}: the same
    expression as ``_rows``, computed for those rows only (one query per level
    with hits). Empty on SQLite or without words (the rank is then 0)."""
    words = [term.text for term in terms if not term.code]
    ranks: dict[tuple[str, int], float] = {}
    if not words or not querysets or not any(_uses_postgres(qs) for qs in querysets.values()):
        return ranks
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    title_vector = SearchVector("title", config=CONFIG, weight="A")
    description_vector = SearchVector("description", config=CONFIG, weight="B")
    queries = [SearchQuery(word, config=CONFIG, search_type="plain") for word in words]
    any_word = queries[0]
    for query in queries[1:]:
        any_word |= query
    for level, queryset in querysets.items():
        rows = queryset.annotate(
            search_rank=SearchRank(title_vector + description_vector, any_word)
        ).values_list("id", "search_rank")
        for node_id, rank in rows:
            ranks[level, node_id] = float(rank or 0.0)
    return ranks
