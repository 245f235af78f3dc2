import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.test import Client
from django.utils import translation

from plans.models import VersionStatus
from plans.services import version_renumber

from . import factories


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the portal's default language (Lithuanian) and
    leaves no language active behind it, whatever it or a request activated.
    Modules that read English messages activate English on top of this."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache.

    The cache outlives a test's rolled-back transaction: a whole page kept by
    the anonymous page cache (planportal/pagecache.py, keyed by the URL) would
    be served to a later test whose rows got the same ids (SQLite reuses them
    after a rollback), and abuse counters would carry over. The generation
    bump that retires cached pages runs on commit, which a test never reaches.
    """
    cache.clear()
    caches["ratelimit"].clear()
    caches["shared"].clear()
    yield
    cache.clear()
    caches["ratelimit"].clear()
    caches["shared"].clear()


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The demo plan's rows, loaded once per session (tests/demo_data.py)."""
    from .demo_data import take_snapshot

    with django_db_blocker.unblock():
        return take_snapshot()


@pytest.fixture
def demo(demo_snapshot, db):
    """The demo plan (``load_demo``) in this test's transaction; its ``DemoContext``.

    For tests that read the demo; a test of ``load_demo`` itself may still run it
    (on top of this, to check that a second run changes nothing)."""
    from .demo_data import restore

    return restore(demo_snapshot)


@pytest.fixture(autouse=True)
def _demo_first(request):
    # The demo is restored before the test's other fixtures write anything, as
    # the snapshot expects the database as the migrations left it.
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo")


@pytest.fixture
def staff_user(db):
    return factories.UserFactory(username="staff-member", role="staff")


@pytest.fixture
def council_user(db):
    return factories.UserFactory(username="council-member", role="council")


@pytest.fixture
def resident_user(db):
    return factories.UserFactory(username="resident-user")


@pytest.fixture
def staff_client(staff_user):
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def council_client(council_user):
    client = Client()
    client.force_login(council_user)
    return client


@pytest.fixture
def resident_client(resident_user):
    client = Client()
    client.force_login(resident_user)
    return client


def build_plan_tree(version, *, priorities=2, goals=2, tasks=2, measures=2, with_details=True):
    """A regular tree of the given shape under ``version``, numbered."""
    sources = [
        factories.FundingSourceFactory(code="SB", name="Savivaldybės biudžetas"),
        factories.FundingSourceFactory(code="ES", name="Europos Sąjungos lėšos"),
    ]
    unit = factories.UnitFactory(name="Statybos skyrius")
    co_unit = factories.UnitFactory(name="Seniūnijos")
    for _ in range(priorities):
        priority = factories.PriorityFactory(version=version)
        for _ in range(goals):
            goal = factories.GoalFactory(priority=priority, version=version)
            if with_details:
                ind = factories.IndicatorFactory(
                    measure=None, goal=goal, version=version, kind="effect"
                )
                factories.IndicatorTargetFactory(indicator=ind, year=2020)
            for _ in range(tasks):
                task = factories.TaskFactory(goal=goal, version=version)
                for _ in range(measures):
                    measure = factories.MeasureFactory(
                        task=task, version=version, responsible_unit=unit
                    )
                    if with_details:
                        measure.co_executors.add(co_unit)
                        ind = factories.IndicatorFactory(measure=measure, version=version)
                        factories.IndicatorTargetFactory(indicator=ind, year=2017, value=10)
                        factories.IndicatorTargetFactory(indicator=ind, year=2020, value=20)
                        for source in sources:
                            factories.FundingLineFactory(measure=measure, source=source, year=2016)
    version_renumber(version)
    return version


@pytest.fixture
def draft_version(db):
    version = factories.VersionFactory(status=VersionStatus.DRAFT, number=2)
    return build_plan_tree(version)


@pytest.fixture
def approved_version(db):
    version = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(version)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    return version
