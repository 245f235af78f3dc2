import datetime

import pytest
from django.test import Client
from django.utils import timezone

from consultations import services
from consultations.models import Consultation, Eldership
from plans.models import Measure, VersionStatus
from tests import factories
from tests.conftest import build_plan_tree


def open_consultation(
    version, user, *, starts=-1, ends=14, title="Plano projekto viešas aptarimas"
):
    """Open a consultation on ``version`` starting/ending ``starts``/``ends`` days from now.

    A start in the past or an end already over cannot be made through the
    service (it refuses an end in the past), so those are set afterwards in the
    database, as time passing would.
    """
    now = timezone.now()
    consultation = services.consultation_open(
        user=user,
        version=version,
        title=title,
        description="Kviečiame teikti pasiūlymus.",
        starts_at=now + datetime.timedelta(days=min(starts, -1)),
        ends_at=now + datetime.timedelta(days=max(ends, 1)),
    )
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=now + datetime.timedelta(days=starts), ends_at=now + datetime.timedelta(days=ends)
    )
    consultation.refresh_from_db()
    return consultation


@pytest.fixture
def consultation_version(db):
    version = factories.VersionFactory(status=VersionStatus.DRAFT, number=2)
    return build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=2)


@pytest.fixture
def consultation(consultation_version, staff_user):
    return open_consultation(consultation_version, staff_user)


@pytest.fixture
def measure(consultation):
    return Measure.objects.filter(version=consultation.version).order_by("code").first()


@pytest.fixture
def other_resident(db):
    return factories.UserFactory(username="kita-gyventoja", first_name="Ona", last_name="Onaitienė")


@pytest.fixture
def other_client(other_resident):
    client = Client()
    client.force_login(other_resident)
    return client


@pytest.fixture
def eldership(db):
    return Eldership.objects.get(name="Garliavos seniūnija")


def propose(user, consultation, text="Siūlau įrengti dviračių taką iki mokyklos.", **kwargs):
    return services.proposal_submit(user=user, consultation=consultation, text=text, **kwargs)
