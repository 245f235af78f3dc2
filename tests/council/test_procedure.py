"""The council's own procedure (PLANPORTAL_PROCEDURE): a consultation before council review."""

import datetime

import pytest
from django.utils import timezone, translation

from consultations.models import Consultation
from council import services as council_services
from council.services import TransitionError
from plans.kinds import PlanKind
from plans.models import VersionStatus
from plans.procedure import for_kind, procedure
from tests import factories
from tests.api.conftest import ApiClient
from tests.consultations.conftest import open_consultation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def draft_of(kind):
    plan = factories.PlanFactory(kind=kind, period_start=2025, period_end=2027)
    return factories.VersionFactory(plan=plan, status=VersionStatus.DRAFT, number=1)


def test_the_defaults_follow_the_kinds():
    assert procedure("consultation_before_council") == {
        "spp_2013": False,
        "development": True,
        "action": True,
    }


def test_settings_may_name_only_the_kinds_they_change(settings):
    settings.PLANPORTAL_PROCEDURE = {"consultation_before_council": {"action": False}}
    assert for_kind("consultation_before_council", PlanKind.ACTION) is False
    assert for_kind("consultation_before_council", PlanKind.DEVELOPMENT) is True


@pytest.mark.parametrize("kind", [PlanKind.DEVELOPMENT, PlanKind.ACTION])
def test_a_version_without_a_consultation_is_refused(staff_user, kind):
    draft = draft_of(kind)
    with pytest.raises(TransitionError) as refused:
        council_services.version_submit(user=staff_user, version=draft)
    assert refused.value.code == "consultation_required"
    assert refused.value.status == 409
    assert "public consultation" in str(refused.value)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_the_2013_kind_goes_to_the_council_without_a_consultation(staff_user):
    draft = draft_of(PlanKind.SPP_2013)
    version = council_services.version_submit(user=staff_user, version=draft)
    assert version.status == VersionStatus.COUNCIL_REVIEW


def test_a_version_goes_once_its_consultation_was_held(staff_user):
    draft = draft_of(PlanKind.ACTION)
    consultation = open_consultation(draft, staff_user)
    with pytest.raises(TransitionError) as refused:
        council_services.version_submit(user=staff_user, version=draft)
    assert refused.value.code == "consultation_not_over"  # still open: wait for its end
    Consultation.objects.filter(pk=consultation.pk).update(
        ends_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    version = council_services.version_submit(user=staff_user, version=draft)
    assert version.status == VersionStatus.COUNCIL_REVIEW


def test_a_council_that_needs_no_consultation_says_so_in_settings(settings, staff_user):
    settings.PLANPORTAL_PROCEDURE = {"consultation_before_council": {"development": False}}
    draft = draft_of(PlanKind.DEVELOPMENT)
    version = council_services.version_submit(user=staff_user, version=draft)
    assert version.status == VersionStatus.COUNCIL_REVIEW


def test_the_api_answers_the_refusal_with_409_and_its_code(staff_client):
    draft = draft_of(PlanKind.DEVELOPMENT)
    response = ApiClient(staff_client).post(f"/api/v1/versions/{draft.pk}/submit/")
    assert response.status_code == 409
    assert response.json()["code"] == "consultation_required"
