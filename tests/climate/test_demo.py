"""The climate step of ``load_demo``: Kaunas District's inventories, target and
SEAP measures linked to the demo plan, loaded once however often it runs."""

from io import StringIO

import pytest
from django.core.management import call_command

from climate import selectors
from climate.demo import DEMO_NOTE
from climate.models import Consumption, Inventory, SeapMeasure, Target

pytestmark = pytest.mark.django_db


def test_load_demo_adds_the_climate_data_once(client):
    call_command("load_demo", stdout=StringIO())
    counts = (
        Inventory.objects.count(),
        Consumption.objects.count(),
        SeapMeasure.objects.count(),
        Target.objects.count(),
    )
    call_command("load_demo", stdout=StringIO())
    assert (
        Inventory.objects.count(),
        Consumption.objects.count(),
        SeapMeasure.objects.count(),
        Target.objects.count(),
    ) == counts

    assert sorted(Inventory.objects.values_list("kind", "year")) == [
        ("baseline", 2012),
        ("monitoring", 2018),
    ]
    assert all(DEMO_NOTE in inv.note for inv in Inventory.objects.all())
    assert 13 <= SeapMeasure.objects.count() <= 20
    linked = SeapMeasure.objects.filter(measure_key__isnull=False)
    assert linked.count() >= 12

    overview = selectors.climate_overview()
    baseline, monitoring = overview["reports"]
    # A district of about 90 000 people: a few t CO2 per inhabitant, falling.
    assert 2 < baseline.result.co2_per_capita_t < 6
    assert monitoring.result.total_co2_t < baseline.result.total_co2_t

    # Every linked SEAP measure resolves to a measure of the plan in force, and
    # the plan measure's page shows its climate impact.
    measures = selectors.seap_measures()
    resolved = [m for m in measures if m.plan_measure is not None]
    assert len(resolved) == linked.count()
    m = resolved[0]
    page = client.get(
        f"/versions/{m.plan_measure.version_id}/measures/{m.plan_measure.pk}/"
    ).content.decode()
    assert "Climate impact" in page and m.title in page

    annex = selectors.pdf_annex(version=m.plan_measure.version)
    assert annex is not None and len(annex["reports"]) == 2
