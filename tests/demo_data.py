"""The demo plan for tests that only read it: loaded once per test session,
restored into each test's own transaction in a few milliseconds.

``load_demo`` writes about 6 000 rows through the services (each node
renumbers its version, each line keeps its audit history), which takes
seconds. ``take_snapshot`` runs it once, inside a transaction that it rolls
back, and keeps the rows it added or changed, table by table, exactly as the
database returned them. ``restore`` writes those rows back with plain INSERTs
(and DELETEs for any row the load changed), inside the running test's
transaction, so the test sees what ``load_demo`` would have produced there,
and the test's rollback removes it again.

Why the rows, not a database template or ``dumpdata``: a template
(``CREATE DATABASE … TEMPLATE`` on PostgreSQL, a file copy on SQLite) needs a
database per test and a new connection, and the SQLite test database is in
memory; ``loaddata`` of the same rows goes through the models and takes
about as long as loading the demo. Raw rows are exact on both databases.

Soundness rests on two things, both checked at restore time:

* Primary keys: on PostgreSQL sequences never go back, so the snapshot's ids
  are never handed out again in the session; on SQLite (whose AUTOINCREMENT
  counters roll back with the transaction) the snapshot is taken with the
  counters raised to ``SQLITE_ID_OFFSET``, far above any id a test reaches.
* The starting point: the demo is restored on a database whose tables hold
  as many rows as when the snapshot was taken (the migrations' data: groups,
  elderships, emission factors). The ``demo`` fixture is set up before the
  test's other fixtures (tests/conftest.py), so this holds; where it does not
  (a test wrote first, or a transactional test flushed the migrations' rows),
  ``restore`` runs the real ``load_demo`` instead and warns.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction

SQLITE_ID_OFFSET = 10_000_000


@dataclass
class Snapshot:
    counts: dict[str, int]  # rows per table before the demo was loaded
    inserted: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)
    deleted: dict[str, tuple[str, list]] = field(default_factory=dict)  # table: (pk, keys)
    context: dict = field(default_factory=dict)  # primary keys of the DemoContext's objects

    @property
    def rows(self) -> int:
        return sum(len(rows) for _columns, rows in self.inserted.values())


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _pk_columns() -> dict[str, str]:
    return {
        model._meta.db_table: model._meta.pk.column
        for model in apps.get_models(include_auto_created=True)
    }


def _counts(tables: list[str]) -> dict[str, int]:
    qn = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM {qn(table)}" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def _rows(table: str, pk: str) -> tuple[list[str], dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        columns = [column[0] for column in cursor.description]
        index = columns.index(pk)
        return columns, {row[index]: row for row in cursor.fetchall()}


def _raise_sqlite_counters() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'"
        )
        tables = [name for (name,) in cursor.fetchall()]
        cursor.execute("SELECT name, seq FROM sqlite_sequence")
        current = dict(cursor.fetchall())
        cursor.execute("DELETE FROM sqlite_sequence")
        cursor.executemany(
            "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
            [(name, max(current.get(name, 0), SQLITE_ID_OFFSET)) for name in tables],
        )


def take_snapshot() -> Snapshot:
    """Load the demo, keep its rows, and roll the load back."""
    from plans.demo import loader

    tables, pks = _tables(), _pk_columns()
    with transaction.atomic():
        before = {table: _rows(table, pks[table]) for table in tables}
        snapshot = Snapshot(counts={table: len(rows) for table, (_c, rows) in before.items()})
        if connection.vendor == "sqlite":
            _raise_sqlite_counters()
        context = loader.load_demo(say=lambda line: None)
        for table in tables:
            columns, rows = _rows(table, pks[table])
            old = before[table][1]
            changed = [row for key, row in rows.items() if old.get(key) != row]
            gone = [key for key, row in old.items() if rows.get(key) != row]
            if changed:
                snapshot.inserted[table] = (columns, changed)
            if gone:
                snapshot.deleted[table] = (pks[table], gone)
        snapshot.context = {
            "users": {name: user.pk for name, user in context.users.items()},
            "units": {name: unit.pk for name, unit in context.units.items()},
            "sources": {code: source.pk for code, source in context.sources.items()},
            "plan": context.plan.pk,
            "approved_version": context.approved_version.pk,
            "draft_version": context.draft_version.pk,
            "development_version": context.development_version.pk,
            "action_version": context.action_version.pk,
        }
        transaction.set_rollback(True)
    return snapshot


def _write(snapshot: Snapshot) -> None:
    qn = connection.ops.quote_name
    # Foreign keys are deferred to the end of the transaction (Django creates
    # them DEFERRABLE INITIALLY DEFERRED on both databases), so tables can be
    # written in any order.
    limit = min(connection.features.max_query_params or 2000, 2000)
    with connection.cursor() as cursor:
        for table, (pk, keys) in snapshot.deleted.items():
            for start in range(0, len(keys), limit):
                chunk = keys[start : start + limit]
                cursor.execute(
                    f"DELETE FROM {qn(table)} WHERE {qn(pk)} IN ({', '.join(['%s'] * len(chunk))})",
                    chunk,
                )
        for table, (columns, rows) in snapshot.inserted.items():
            per = max(1, limit // len(columns))
            row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
            head = f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES "
            for start in range(0, len(rows), per):
                chunk = rows[start : start + per]
                cursor.execute(
                    head + ", ".join([row_sql] * len(chunk)), [v for row in chunk for v in row]
                )


def _context(keys: dict):
    """The ``DemoContext`` of the restored rows, its objects read from the database.

    (The context ``load_demo`` returns holds the instances as its steps left
    them: its ``draft_version.status`` still says "draft" in memory while the
    consultation step has moved the row to "consultation". Tests compare these
    objects by primary key, which is the same either way.)
    """
    from plans.demo.loader import DemoContext
    from plans.models import FundingSource, PlanVersion, Unit

    def ordered(model, by_name):
        found = model.objects.in_bulk(by_name.values())
        return {name: found[pk] for name, pk in by_name.items()}

    context = DemoContext(say=lambda line: None)
    context.users = ordered(get_user_model(), keys["users"])
    context.units = ordered(Unit, keys["units"])
    context.sources = ordered(FundingSource, keys["sources"])
    names = ["approved_version", "draft_version", "development_version", "action_version"]
    versions = PlanVersion.objects.select_related("plan").in_bulk([keys[n] for n in names])
    context.approved_version = versions[keys["approved_version"]]
    context.draft_version = versions[keys["draft_version"]]
    context.plan = context.approved_version.plan
    context.development_version = versions[keys["development_version"]]
    context.development_plan = context.development_version.plan
    context.action_version = versions[keys["action_version"]]
    context.action_plan = context.action_version.plan
    return context


def restore(snapshot: Snapshot):
    """The demo in the current transaction; returns its ``DemoContext``."""
    from plans.demo import loader

    counts = _counts(list(snapshot.counts))
    problem = None
    if counts != snapshot.counts:
        differ = sorted(t for t in counts if counts[t] != snapshot.counts[t])
        problem = f"the database is not as the snapshot found it ({', '.join(differ[:5])})"
    else:
        try:
            with transaction.atomic():
                _write(snapshot)
        except IntegrityError as error:
            problem = f"its rows do not fit ({error})"
    if problem is None:
        return _context(snapshot.context)
    warnings.warn(
        f"The demo snapshot was not restored: {problem}; loading the demo instead "
        "(request the demo fixture first, before fixtures that write).",
        stacklevel=2,
    )
    return loader.load_demo(say=lambda line: None)
