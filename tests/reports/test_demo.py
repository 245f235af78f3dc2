"""The reports step of ``load_demo``: an approved 2018 report and a 2019 draft
for the 2013–2020 plan, with Lithuanian narratives that agree with the figures."""

import datetime
import re

from django.contrib.auth.models import AnonymousUser

from monitoring.models import MonitoringRound
from reports import demo as reports_demo
from reports import selectors
from reports.models import Report, ReportEvent, ReportStatus

LITHUANIAN = re.compile("[ąčęėįšųūž]")


def _reports(context):
    return {r.year: r for r in Report.objects.filter(plan=context.plan)}


def test_the_demo_has_an_approved_2018_report_and_a_2019_draft(demo):
    reports = _reports(demo)
    assert set(reports) == {2018, 2019}
    approved, draft = reports[2018], reports[2019]
    assert approved.status == ReportStatus.APPROVED
    assert (approved.decision_number, approved.decision_date) == (
        "TS-101",
        datetime.date(2019, 4, 25),
    )
    assert approved.version == demo.approved_version
    assert approved.round == MonitoringRound.objects.get(plan=demo.plan, year=2018)
    assert draft.status == ReportStatus.DRAFT and draft.snapshot is None

    # Through the council in April 2019, the events in their order.
    events = list(approved.events.values_list("kind", "created_at"))
    assert [kind for kind, _at in events] == [
        ReportEvent.Kind.CREATED,
        ReportEvent.Kind.SUBMITTED,
        ReportEvent.Kind.APPROVED,
        ReportEvent.Kind.DECISION_RECORDED,
    ]
    assert all(at.date() <= datetime.date(2019, 4, 25) for _kind, at in events)
    assert approved.submitted_at.date() == datetime.date(2019, 4, 18)
    assert approved.approved_at.date() == datetime.date(2019, 4, 25)


def test_the_approved_reports_narratives_are_lithuanian_and_quote_its_figures(demo):
    content = _reports(demo)[2018].snapshot
    summary = content["summary"]
    assert LITHUANIAN.search(summary["narrative"])
    total = summary["measure_total"]
    assert f"Plane yra {total} priemon" in summary["narrative"]
    completed = summary["implementation_counts"]["completed"]
    assert f"įvykdyta priemonių – {completed};" in summary["narrative"]
    assert summary["narrative"].startswith("<p>") and "<ul><li>" in summary["narrative"]
    for priority in content["priorities"]:
        assert LITHUANIAN.search(priority["narrative"]), priority["code"]
        measures = [m for g in priority["goals"] for m in g["measures"]]
        done = sum(m["implementation"] == "completed" for m in measures)
        assert f"įvykdyta priemonių – {done};" in priority["narrative"]
        lagging = [g for g in priority["goals"] if g["status"] in {"at_risk", "off_track"}]
        for goal in lagging:
            assert f"{goal['code']} „{goal['title']}“" in priority["narrative"]


def test_the_approved_report_has_the_climate_section_of_2018(demo):
    climate = _reports(demo)[2018].snapshot["sections"]["climate"]
    assert climate["year"] == 2018
    assert climate["emissions"]["report_year_inventory"] is True
    assert [r["year"] for r in climate["emissions"]["rows"]] == [2012, 2018]
    assert climate["seap"]["count"] > 10
    assert any(m["plan_code"] for m in climate["measures"])


def test_the_draft_has_some_narratives_and_live_figures(demo):
    draft = _reports(demo)[2019]
    content = selectors.report_content(draft, demo.staff_user)
    assert content["year"] == 2019
    assert LITHUANIAN.search(content["summary"]["narrative"])
    written = [bool(p["narrative"]) for p in content["priorities"]]
    assert written == [True, True] + [False] * (len(written) - 2)
    assert draft.narratives.count() == 3


def test_the_public_reads_the_approved_report_only(demo):
    visible = list(selectors.reports_visible_to(AnonymousUser(), demo.plan))
    assert [(r.year, r.status) for r in visible] == [(2018, ReportStatus.APPROVED)]
    assert selectors.approved_report(demo.plan, 2018) == _reports(demo)[2018]


def test_loading_the_reports_again_changes_nothing(demo):
    before = {year: (r.pk, r.change_counter) for year, r in _reports(demo).items()}
    said = []
    demo.say = said.append
    reports_demo.load(demo)
    assert {year: (r.pk, r.change_counter) for year, r in _reports(demo).items()} == before
    assert said == ["Reports: already present (or no monitoring rounds), left unchanged."]
