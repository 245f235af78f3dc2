"""The climate and consultations sections of a yearly report: plain data built
for the report's year, frozen with the snapshot, rendered from that data alone."""

import datetime
import json
from decimal import Decimal

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from climate import report as climate_report
from climate import services as climate
from climate.models import SeapMeasure
from consultations import report as consultations_report
from consultations import services as consultations
from consultations.models import Consultation
from plans.models import Measure, VersionStatus
from reports import selectors, services
from tests import factories
from tests.climate.factories import inventory
from tests.conftest import build_plan_tree

CELLS = {("residential", "electricity"): 1000, ("residential", "natural_gas"): 2000}


def _climate_data(staff_user, plan, *, measures=1, monitoring_years=(2018, 2021)):
    """A baseline of 2012, monitoring inventories, a 20 % target by 2020 and
    ``measures`` SEAP measures, the first linked to the plan's first measure
    and delayed in 2020."""
    inventory(user=staff_user, kind="baseline", year=2012, population=1000, cells=CELLS)
    for year in monitoring_years:
        smaller = {key: value * 9 // 10 for key, value in CELLS.items()}
        inventory(user=staff_user, kind="monitoring", year=year, population=1000, cells=smaller)
    climate.target_set(user=staff_user, percent=Decimal("20"), year=2020, kind="absolute")
    measure = Measure.objects.filter(version__plan=plan).order_by("code").first()
    made = []
    for n in range(measures):
        seap = climate.seap_measure_create(
            user=staff_user,
            plan=plan if n == 0 else None,
            measure_key=measure.key if n == 0 else None,
            title=f"Pastatų renovacija {n}",
            sector="municipal_buildings",
            start_year=2015 + n,
            end_year=2022,
            co2_reduction_t=Decimal("70"),
        )
        climate.seap_progress_set(
            user=staff_user,
            measure=seap,
            year=2020,
            status="delayed" if n == 0 else "in_progress",
            co2_reduction_t="12,5",
            note="Užsitęsė rangos pirkimas." if n == 0 else "",
        )
        made.append(seap)
    return measure, made


def _frozen(content):
    return json.loads(json.dumps(content))


# --- Climate ---------------------------------------------------------------------------


def test_no_climate_section_without_climate_data(approved_version):
    assert (
        climate_report.build(plan=approved_version.plan, year=2020, version=approved_version)
        is None
    )


def test_no_climate_section_in_the_snapshot_without_climate_data(submitted_report):
    assert "climate" not in submitted_report.snapshot["sections"]


def test_the_climate_section_holds_the_years_inventories_against_the_path(
    approved_version, staff_user
):
    plan_measure, _seap = _climate_data(staff_user, approved_version.plan)
    content = climate_report.build(plan=approved_version.plan, year=2020, version=approved_version)

    assert content == _frozen(content)  # plain JSON: what the snapshot keeps
    emissions = content["emissions"]
    # The 2021 inventory came after the report's year: not in its report.
    assert [(row["kind"], row["year"]) for row in emissions["rows"]] == [
        ("baseline", 2012),
        ("monitoring", 2018),
    ]
    assert emissions["report_year_inventory"] is False
    assert emissions["rows"][-1]["latest"] is True
    baseline, latest = emissions["rows"]
    assert isinstance(baseline["total"], str) and baseline["path"] is None
    assert Decimal(latest["total"]) < Decimal(baseline["total"])
    assert latest["reduction_percent"] == "10"
    assert emissions["target"]["percent"] == "20" and emissions["target"]["year"] == 2020
    # The path ends at the target: in 2020 at most 80 % of the baseline.
    assert Decimal(emissions["path_in_year"]) == Decimal(emissions["target"]["allowed"])
    assert Decimal(emissions["target"]["allowed"]) == Decimal(baseline["total"]) * Decimal("0.8")

    assert content["seap"]["count"] == 1
    assert content["seap"]["status_counts"]["delayed"] == 1
    assert content["seap"]["achieved"] == "12.5"
    (row,) = content["measures"]
    assert row["plan_code"] == plan_measure.code
    assert (row["status"], row["note"]) == ("delayed", "Užsitęsė rangos pirkimas.")
    assert row["expected"] == "52.5"  # 2020 is the 6th of its 8 years: 6/8 of 70 t


def test_a_report_year_with_its_own_inventory_and_measures_not_yet_started(
    approved_version, staff_user
):
    _climate_data(staff_user, approved_version.plan, measures=2)
    content = climate_report.build(plan=approved_version.plan, year=2018, version=approved_version)
    assert content["emissions"]["report_year_inventory"] is True
    assert content["emissions"]["rows"][-1]["year"] == 2018
    # Both measures had started by 2018 but reported only on 2020.
    assert content["seap"]["count"] == 2
    assert content["seap"]["not_reported"] == 2 and content["seap"]["achieved"] is None
    assert [row["status"] for row in content["measures"]] == [None, None]

    content = climate_report.build(plan=approved_version.plan, year=2015, version=approved_version)
    assert [row["year"] for row in content["emissions"]["rows"]] == [2012]
    assert [m["title"] for m in content["measures"]] == ["Pastatų renovacija 0"]


def test_a_plan_with_seap_measures_but_no_inventory_gets_the_measures_only(
    approved_version, staff_user
):
    measure = Measure.objects.filter(version=approved_version).first()
    climate.seap_measure_create(
        user=staff_user,
        plan=approved_version.plan,
        measure_key=measure.key,
        title="Saulės elektrinės",
        sector="local_electricity",
        start_year=2016,
        end_year=2020,
    )
    content = climate_report.build(plan=approved_version.plan, year=2020, version=approved_version)
    assert content["emissions"] is None
    assert content["measures"][0]["plan_code"] == measure.code

    other = factories.VersionFactory(status=VersionStatus.APPROVED)
    assert climate_report.build(plan=other.plan, year=2020, version=other) is None


def test_the_climate_section_counts_its_queries_once_whatever_the_data(
    approved_version, staff_user
):
    _climate_data(staff_user, approved_version.plan, measures=1, monitoring_years=(2018,))
    with CaptureQueriesContext(connection) as small:
        climate_report.build(plan=approved_version.plan, year=2020, version=approved_version)
    for year in (2016, 2019):
        inventory(user=staff_user, kind="monitoring", year=year, population=1000, cells=CELLS)
    for n in range(4):
        seap = climate.seap_measure_create(
            user=staff_user, title=f"Kita {n}", sector="other", start_year=2014, end_year=2020
        )
        climate.seap_progress_set(user=staff_user, measure=seap, year=2020, status="completed")
    with CaptureQueriesContext(connection) as large:
        content = climate_report.build(
            plan=approved_version.plan, year=2020, version=approved_version
        )
    assert len(content["measures"]) == 5 and len(content["emissions"]["rows"]) == 4
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_per_capita_target_compares_emissions_per_inhabitant(approved_version, staff_user):
    _climate_data(staff_user, approved_version.plan)
    climate.target_set(user=staff_user, percent=Decimal("30"), year=2030, kind="per_capita")
    content = climate_report.build(plan=approved_version.plan, year=2020, version=approved_version)
    emissions = content["emissions"]
    assert emissions["basis"] == "per_capita"
    baseline, latest = emissions["rows"]
    assert Decimal(latest["path"]) < Decimal(baseline["per_capita"])
    assert content["seap"]["required"] is not None


def test_the_climate_template_renders_the_frozen_data_only(approved_version, staff_user):
    _climate_data(staff_user, approved_version.plan)
    content = _frozen(
        climate_report.build(plan=approved_version.plan, year=2020, version=approved_version)
    )
    with translation.override("en"):
        html = render_to_string("climate/report_section.html", {"section": content})
    assert "<h3>" in html and "<h2" not in html
    assert html.count("<caption") == 3 and 'scope="row">MEI 2018</th>' in html
    assert "No emission inventory was made for 2020" in html
    assert "Delayed" in html and "Užsitęsė rangos pirkimas." in html
    assert 'style="' not in html and "<script" not in html
    with translation.override("lt"):
        html = render_to_string("climate/report_section.html", {"section": content})
    # Lithuanian numbers: a decimal comma.
    assert "12,5" in html


def test_the_submitted_report_keeps_its_climate_section_as_it_was(published_round, staff_user):
    _climate_data(staff_user, published_round.plan)
    report = services.report_create(user=staff_user, plan=published_round.plan, year=2020)
    report = services.report_submit(user=staff_user, report=report)
    frozen = report.snapshot["sections"]["climate"]
    assert frozen["measures"][0]["status"] == "delayed"

    seap = SeapMeasure.objects.get(plan=published_round.plan)
    climate.seap_progress_set(
        user=staff_user, measure=seap, year=2020, status="completed", co2_reduction_t="99"
    )
    report.refresh_from_db()
    content = selectors.report_content(report)
    assert content["sections"]["climate"] == frozen
    (extra,) = [s for s in selectors.extra_sections(content) if s["key"] == "climate"]
    assert extra["template"] == "climate/report_section.html"
    assert extra["section"]["seap"]["achieved"] == "12.5"


# --- Consultations ---------------------------------------------------------------------


def _consultation(plan, staff_user, *, year, title="Plano keitimo projekto viešas aptarimas"):
    """A consultation on a new draft of ``plan``, held in March–April of ``year``
    (opened now through the service, then dated back as time passing would)."""
    version = factories.VersionFactory(plan=plan, status=VersionStatus.DRAFT, number=year)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=1, with_details=False)
    now = timezone.now()
    consultation = consultations.consultation_open(
        user=staff_user,
        version=version,
        title=title,
        description="Kviečiame teikti pasiūlymus.",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=14),
    )
    return consultation


def _date_back(consultation, year):
    start = timezone.make_aware(datetime.datetime(year, 3, 1, 9, 0))
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(days=30)
    )


def _proposals(consultation, staff_user, answers):
    """One proposal per answer: a ResponseStatus published, "prepared",
    "pending", "hidden" or "withdrawn"."""
    for n, answer in enumerate(answers):
        author = factories.UserFactory(username=f"gyventojas-{consultation.pk}-{n}")
        proposal = consultations.proposal_submit(
            user=author, consultation=consultation, text=f"Siūlau pasiūlymą nr. {n}."
        )
        if answer == "withdrawn":
            consultations.proposal_withdraw(user=author, proposal=proposal)
        elif answer == "hidden":
            consultations.proposal_hide(user=staff_user, proposal=proposal, reason="Įžeidus.")
        elif answer != "pending":
            consultations.proposal_answer(
                user=staff_user,
                proposal=proposal,
                status="accepted" if answer == "prepared" else answer,
                text="Atsakymas.",
                publish=answer != "prepared",
                notify=False,
            )


def test_no_consultations_section_without_a_consultation_that_year(approved_version, staff_user):
    plan = approved_version.plan
    assert consultations_report.build(plan=plan, year=2020, version=approved_version) is None
    consultation = _consultation(plan, staff_user, year=2019)
    _date_back(consultation, 2019)
    assert consultations_report.build(plan=plan, year=2020, version=approved_version) is None
    assert consultations_report.build(plan=plan, year=2019, version=approved_version)


def test_the_consultations_section_counts_the_years_proposals_and_answers(
    approved_version, staff_user
):
    plan = approved_version.plan
    consultation = _consultation(plan, staff_user, year=2020)
    _proposals(
        consultation,
        staff_user,
        [
            "accepted",
            "accepted",
            "partly_accepted",
            "not_accepted",
            "out_of_scope",
            "prepared",
            "pending",
            "hidden",
            "withdrawn",
        ],
    )
    _date_back(consultation, 2020)
    # Another plan's consultation of the same year is not this plan's.
    other = factories.VersionFactory(status=VersionStatus.APPROVED)
    _date_back(_consultation(other.plan, staff_user, year=2020), 2020)

    content = consultations_report.build(plan=plan, year=2020, version=approved_version)
    assert content == _frozen(content)
    (row,) = content["consultations"]
    assert (row["title"], row["starts"], row["ends"], row["state"]) == (
        "Plano keitimo projekto viešas aptarimas",
        "2020-03-01",
        "2020-03-31",
        "closed",
    )
    assert {name: row[name] for name in consultations_report.COUNTS} == {
        "proposals": 8,
        "answered": 5,
        "accepted": 2,
        "partly_accepted": 1,
        "not_accepted": 1,
        "other_answers": 1,
        "awaiting": 2,
        "hidden": 1,
    }
    assert row["outcome_path"] == f"/consultations/{consultation.pk}/outcome/"
    assert content["totals"]["proposals"] == 8


def test_a_consultation_across_the_new_year_counts_in_both_years(approved_version, staff_user):
    plan = approved_version.plan
    consultation = _consultation(plan, staff_user, year=2019)
    start = timezone.make_aware(datetime.datetime(2019, 12, 15, 9, 0))
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(days=30)
    )
    for year in (2019, 2020):
        content = consultations_report.build(plan=plan, year=year, version=approved_version)
        assert [c["id"] for c in content["consultations"]] == [consultation.pk]
    assert consultations_report.build(plan=plan, year=2021, version=approved_version) is None


def test_the_consultations_section_takes_one_query(approved_version, staff_user):
    plan = approved_version.plan
    for n in range(3):
        consultation = _consultation(plan, staff_user, year=2020 + n, title=f"Aptarimas {n}")
        _proposals(consultation, staff_user, ["accepted", "pending"])
        _date_back(consultation, 2020)
    with CaptureQueriesContext(connection) as queries:
        content = consultations_report.build(plan=plan, year=2020, version=approved_version)
    assert len(content["consultations"]) == 3
    assert content["totals"]["proposals"] == 6
    assert len(queries.captured_queries) == 1


def test_the_consultations_template_renders_the_frozen_data_only(approved_version, staff_user):
    plan = approved_version.plan
    for n in range(2):
        consultation = _consultation(plan, staff_user, year=2020 + n, title=f"Aptarimas {n}")
        _proposals(consultation, staff_user, ["accepted", "hidden"])
        _date_back(consultation, 2020)
    content = _frozen(consultations_report.build(plan=plan, year=2020, version=approved_version))
    with translation.override("en"):
        html = render_to_string("consultations/report_section.html", {"section": content})
    assert "<h3>" in html and "<caption" in html and 'scope="row">Aptarimas 0' in html
    first = content["consultations"][0]
    assert f'href="{first["outcome_path"]}"' in html
    assert "2020-03-01 – 2020-03-31" in html
    assert "<tfoot>" in html  # two consultations: a total row
    assert "2 proposals were hidden" in html
    assert 'style="' not in html


def test_the_submitted_report_keeps_its_consultations_section(published_round, staff_user):
    plan = published_round.plan
    consultation = _consultation(plan, staff_user, year=2020)
    _proposals(consultation, staff_user, ["pending"])
    _date_back(consultation, 2020)
    report = services.report_create(user=staff_user, plan=plan, year=2020)
    report = services.report_submit(user=staff_user, report=report)
    frozen = report.snapshot["sections"]["consultations"]
    assert frozen["totals"]["awaiting"] == 1

    consultations.proposal_answer(
        user=staff_user,
        proposal=consultation.proposals.get(),
        status="accepted",
        text="Atsakymas.",
        publish=True,
        notify=False,
    )
    report.refresh_from_db()
    assert selectors.report_content(report)["sections"]["consultations"] == frozen
    keys = [s["key"] for s in selectors.extra_sections(selectors.report_content(report))]
    assert "consultations" in keys
