"""Reads of the climate data, in a fixed number of queries.

The action plan is public; an inventory is public once staff publish it, and
until then only staff see it (``inventory_list(user=…)``,
``visible_inventory``). What goes into documents that leave the portal (the
plan PDF's annex, a yearly report) holds published inventories only, whoever
asks for it. Writes are in services/. ``inventory_reports`` loads any number of
inventories with all their rows in nine queries and computes Table B with
climate/calc.py, so a page's query count never depends on how much an
inventory holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from planportal.roles import AnyUser, is_staff_member
from plans.models import Measure, PlanVersion

from . import calc
from .constants import CARRIER_LABELS, CARRIERS, SECTORS, ZERO_FACTOR_CARRIERS
from .models import (
    Consumption,
    EmissionFactor,
    FactorOverride,
    GreenPurchase,
    Inventory,
    InventoryStatus,
    LocalProduction,
    NationalElectricityFactor,
    OtherEmission,
    ProductionFuel,
    SeapMeasure,
    SeapProgress,
    Target,
)

ZERO = Decimal("0")


@dataclass
class Report:
    inventory: Inventory
    result: calc.Result
    # carrier → "override", "national", "library" or "computed"
    factor_sources: dict[str, str]
    overrides: dict[str, Decimal]
    productions: list[LocalProduction] = field(default_factory=list)
    purchases: list[GreenPurchase] = field(default_factory=list)
    other_emissions: list[OtherEmission] = field(default_factory=list)

    @property
    def electricity_productions(self) -> list[LocalProduction]:
        return [p for p in self.productions if p.output == LocalProduction.Output.ELECTRICITY]

    @property
    def heat_productions(self) -> list[LocalProduction]:
        return [p for p in self.productions if p.output == LocalProduction.Output.HEAT]

    @property
    def table_mwh(self) -> dict:
        return self.table("mwh")

    @property
    def table_co2(self) -> dict:
        return self.table("co2")

    @property
    def production_tables(self) -> list[tuple[str, list[LocalProduction]]]:
        return [("electricity", self.electricity_productions), ("heat", self.heat_productions)]

    def table(self, which: str) -> dict:
        """Table A (``mwh``) or B (``co2``) laid out for a template."""
        r = self.result
        cells = r.mwh if which == "mwh" else r.co2
        by_sector = r.mwh_by_sector if which == "mwh" else r.co2_by_sector
        by_carrier = r.mwh_by_carrier if which == "mwh" else r.co2_by_carrier
        return {
            "columns": [{"slug": c, "label": label} for c, label in CARRIERS],
            "rows": [
                {
                    "slug": s,
                    "label": label,
                    "cells": [cells[(s, c)] for c, _l in CARRIERS],
                    "total": by_sector[s],
                }
                for s, label in SECTORS
            ],
            "column_totals": [{"slug": c, "value": by_carrier[c]} for c, _l in CARRIERS],
            "total": r.total_mwh if which == "mwh" else r.energy_co2_t,
        }

    def sector_totals(self) -> list[dict]:
        """Each sector's Table A and Table B totals side by side."""
        r = self.result
        return [
            {"slug": s, "label": label, "mwh": r.mwh_by_sector[s], "co2": r.co2_by_sector[s]}
            for s, label in SECTORS
        ]

    @property
    def warnings(self) -> list[dict]:
        """Carriers consumed without an emission factor: each is counted as 0 t
        CO2, so the total is too low, and every page that shows the inventory
        says so (``code`` "missing_factor", the carrier, its MWh).

        A zero the inventory chose (its own factor) or computed (Table D of
        biomass boilers) is not a missing factor, nor is a renewable carrier's
        zero under the standard approach (``ZERO_FACTOR_CARRIERS``).
        """
        r = self.result
        allowed = ZERO_FACTOR_CARRIERS.get(self.inventory.approach, frozenset())
        return [
            {
                "code": "missing_factor",
                "carrier": carrier,
                "label": CARRIER_LABELS[carrier],
                "mwh": r.mwh_by_carrier[carrier],
            }
            for carrier, _label in CARRIERS
            if r.mwh_by_carrier[carrier] > ZERO
            and r.factors[carrier] == ZERO
            and self.factor_sources[carrier] in ("library", "national")
            and carrier not in allowed
        ]

    def factor_rows(self) -> list[dict]:
        return [
            {
                "slug": c,
                "label": label,
                "value": self.result.factors[c],
                "source": self.factor_sources[c],
            }
            for c, label in CARRIERS
        ]


def inventory_list(*, user: AnyUser | None = None) -> list[Inventory]:
    """The inventories ``user`` may see, baseline first, then the monitoring
    inventories by year: staff see drafts too, everyone else (and a caller
    without a user, such as the PDF) the published ones only."""
    qs = Inventory.objects.all()
    if not is_staff_member(user):
        qs = qs.filter(status=InventoryStatus.PUBLISHED)
    return sorted(qs, key=lambda i: (not i.is_baseline, i.year))


def visible_inventory(*, user: AnyUser | None, pk: object) -> Inventory:
    """One inventory ``user`` may see, else 404: a draft is not found for the
    public, so that its existence says nothing either."""
    qs = Inventory.objects.all()
    if not is_staff_member(user):
        qs = qs.filter(status=InventoryStatus.PUBLISHED)
    return get_object_or_404(qs, pk=pk)


def inventory_reports(inventories: list[Inventory]) -> dict[int, Report]:
    """Table B of every inventory given, in nine queries whatever they hold."""
    if not inventories:
        return {}
    ids = [i.pk for i in inventories]
    consumption: defaultdict[int, dict[tuple[str, str], Decimal]] = defaultdict(dict)
    for row in Consumption.objects.filter(inventory_id__in=ids):
        consumption[row.inventory_id][(row.sector, row.carrier)] = row.mwh
    overrides: defaultdict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in FactorOverride.objects.filter(inventory_id__in=ids):
        overrides[row.inventory_id][row.carrier] = row.value
    # Fuels in a query of their own (not a prefetch, which is skipped when
    # there are no plants): the count stays the same whatever the data.
    fuels = defaultdict(list)
    for row in ProductionFuel.objects.filter(production__inventory_id__in=ids).order_by("pk"):
        fuels[row.production_id].append(row)
    productions = defaultdict(list)
    for row in LocalProduction.objects.filter(inventory_id__in=ids):
        row.fuel_list = fuels[row.pk]
        productions[row.inventory_id].append(row)
    purchases = defaultdict(list)
    for row in GreenPurchase.objects.filter(inventory_id__in=ids):
        purchases[row.inventory_id].append(row)
    others = defaultdict(list)
    for row in OtherEmission.objects.filter(inventory_id__in=ids):
        others[row.inventory_id].append(row)
    library = {(f.approach, f.carrier): f.value for f in EmissionFactor.objects.all()}
    national = {
        (f.approach, f.year): f.value
        for f in NationalElectricityFactor.objects.filter(year__in={i.year for i in inventories})
    }

    reports = {}
    for inventory in inventories:
        own = overrides[inventory.pk]
        base, sources = {}, {}
        for carrier, _label in CARRIERS:
            if carrier in own:
                base[carrier], sources[carrier] = own[carrier], "override"
            elif carrier == "electricity" and (inventory.approach, inventory.year) in national:
                base[carrier], sources[carrier] = (
                    national[(inventory.approach, inventory.year)],
                    "national",
                )
            else:
                base[carrier], sources[carrier] = (
                    library.get((inventory.approach, carrier), ZERO),
                    "library",
                )
        plants = productions[inventory.pk]
        data = calc.InventoryInput(
            population=inventory.population,
            consumption=consumption[inventory.pk],
            base_factors=base,
            heat_factor_fixed="heat" in own,
            productions=tuple(
                calc.Production(
                    output=p.output,
                    produced_mwh=p.produced_mwh,
                    fuels={f.carrier: f.mwh for f in p.fuel_list},
                )
                for p in plants
            ),
            purchases=tuple(
                calc.Purchase(mwh=p.mwh, factor=p.factor) for p in purchases[inventory.pk]
            ),
            heat_import_co2_t=inventory.heat_import_co2_t,
            heat_export_co2_t=inventory.heat_export_co2_t,
            other_emissions_t=tuple(o.co2_t for o in others[inventory.pk]),
        )
        result = calc.compute(data)
        if result.electricity.lpe + result.electricity.gep > ZERO:
            sources["electricity"] = "computed"
        if result.heat.computed:
            sources["heat"] = "computed"
        # calc gives one figure per production, in the order given.
        for plant, co2 in zip(plants, result.production_co2, strict=True):
            plant.co2_t = co2
        reports[inventory.pk] = Report(
            inventory=inventory,
            result=result,
            factor_sources=sources,
            overrides=own,
            productions=plants,
            purchases=purchases[inventory.pk],
            other_emissions=others[inventory.pk],
        )
    return reports


def inventory_report(inventory: Inventory) -> Report:
    return inventory_reports([inventory])[inventory.pk]


def factor_library() -> dict:
    """The library for the staff page: factors by carrier, national factors by year."""
    library = {(f.carrier, f.approach): f for f in EmissionFactor.objects.all()}
    rows = [
        {
            "slug": c,
            "label": label,
            "ipcc": library.get((c, "ipcc")),
            "lca": library.get((c, "lca")),
        }
        for c, label in CARRIERS
    ]
    national = list(NationalElectricityFactor.objects.order_by("year", "approach"))
    return {"rows": rows, "national": national}


# --- Target, progress and the action plan ----------------------------------------------


def _plan_measures_for(measures: list[SeapMeasure], version: PlanVersion | None = None) -> None:
    """Attach ``plan_measure`` (the linked Measure of the version shown, or
    None) to every SEAP measure: the given version, else each plan's version
    in force. Two queries at most."""
    linked = [m for m in measures if m.plan_id and m.measure_key]
    for m in measures:
        m.plan_measure = None
    if not linked:
        return
    if version is not None:
        versions: dict[int | None, PlanVersion] = {version.plan_id: version}
    else:
        versions = {
            v.plan_id: v
            for v in PlanVersion.objects.in_force().filter(plan_id__in={m.plan_id for m in linked})
        }
    found: dict[tuple[int, UUID | None], Measure] = {
        (m.version_id, m.key): m
        for m in Measure.objects.filter(
            version__in=list(versions.values()), key__in={m.measure_key for m in linked}
        )
    }
    for m in linked:
        shown = versions.get(m.plan_id)
        if shown is not None:
            m.plan_measure = found.get((shown.pk, m.measure_key))
            if m.plan_measure is not None:
                m.plan_measure.version = shown


def seap_measures(
    *, plan_id: int | None = None, version: PlanVersion | None = None
) -> list[SeapMeasure]:
    qs = SeapMeasure.objects.select_related("plan")
    if plan_id is not None:
        qs = qs.filter(plan_id=plan_id)
    measures = list(qs)
    _plan_measures_for(measures, version)
    # The rows by the measures' own filter, not their ids: one query even
    # when there is no measure, so a page's count never depends on the data.
    progress = SeapProgress.objects.all()
    if plan_id is not None:
        progress = progress.filter(seap_measure__plan_id=plan_id)
    attach_progress(measures, rows=progress)
    return measures


def attach_progress(
    measures: list[SeapMeasure], *, rows: QuerySet[SeapProgress] | None = None
) -> None:
    """Attach ``progress_rows`` (what each measure achieved, by year) and
    ``latest_progress`` (the last of them, or None). One query (none for no
    measures unless ``rows``, a queryset of the rows to attach, is given)."""
    if rows is None:
        rows = SeapProgress.objects.filter(seap_measure__in=[m.pk for m in measures])
    by_measure: defaultdict[int, list[SeapProgress]] = defaultdict(list)
    for row in rows.order_by("year"):
        by_measure[row.seap_measure_id].append(row)
    for m in measures:
        m.progress_rows = by_measure[m.pk]
        m.latest_progress = m.progress_rows[-1] if m.progress_rows else None


def achieved_by_year(measures: list[SeapMeasure]) -> dict[int, dict[str, Decimal]]:
    """The action plan's achieved saving, production and reduction by year
    (measures with ``progress_rows`` attached; a year no measure reported is absent)."""
    years: dict[int, dict[str, Decimal]] = {}
    for m in measures:
        for row in getattr(m, "progress_rows", []):
            totals = years.setdefault(
                row.year, {"saving": ZERO, "renewable": ZERO, "reduction": ZERO}
            )
            totals["saving"] += row.energy_saving_mwh
            totals["renewable"] += row.renewable_mwh
            totals["reduction"] += row.co2_reduction_t
    return dict(sorted(years.items()))


def seap_totals(measures: list[SeapMeasure]) -> dict:
    """The planned yearly effects, and what the measures achieved in the
    latest year each reported (``achieved_*``, None when none reported)."""
    latest = [p for m in measures if (p := getattr(m, "latest_progress", None)) is not None]
    return {
        "count": len(measures),
        "cost": calc.dsum(m.estimated_cost or ZERO for m in measures),
        "saving": calc.dsum(m.energy_saving_mwh for m in measures),
        "renewable": calc.dsum(m.renewable_mwh for m in measures),
        "reduction": calc.dsum(m.co2_reduction_t for m in measures),
        "reported": len(latest),
        "achieved_saving": calc.dsum(p.energy_saving_mwh for p in latest) if latest else None,
        "achieved_renewable": calc.dsum(p.renewable_mwh for p in latest) if latest else None,
        "achieved_reduction": calc.dsum(p.co2_reduction_t for p in latest) if latest else None,
    }


def impacts_for_measures(
    *, plan_id: int, keys: Iterable[UUID | None]
) -> dict[UUID, list[SeapMeasure]]:
    """The SEAP measures linked to each plan-measure key (one query)."""
    result: defaultdict[UUID, list[SeapMeasure]] = defaultdict(list)
    keys = [k for k in keys if k]
    if not keys:
        return {}
    for m in SeapMeasure.objects.filter(plan_id=plan_id, measure_key__in=keys):
        # measure_key__in=keys matches no row without a key.
        result[m.measure_key].append(m)  # type: ignore[index]
    return dict(result)


def progress(
    reports: dict[int, Report], target: Target | None, measures: list[SeapMeasure]
) -> dict | None:
    """Each monitoring inventory against the target's linear trajectory, and
    the action plan's expected reduction against what the target requires."""
    ordered = sorted(
        reports.values(), key=lambda r: (not r.inventory.is_baseline, r.inventory.year)
    )
    baseline = next((r for r in ordered if r.inventory.is_baseline), None)
    if baseline is None:
        return None
    b_inv, b_total = baseline.inventory, baseline.result.total_co2_t
    spec = (
        calc.TargetSpec(
            percent=target.percent,
            year=target.year,
            per_capita=target.kind == Target.Kind.PER_CAPITA,
        )
        if target
        else None
    )
    rows = []
    for report in ordered:
        inv, total = report.inventory, report.result.total_co2_t
        row: dict[str, Any] = {
            "report": report,
            "inventory": inv,
            "total": total,
            "per_capita": report.result.co2_per_capita_t,
        }
        if spec and b_total:
            if spec.per_capita:
                base_value, value = baseline.result.co2_per_capita_t, report.result.co2_per_capita_t
            else:
                base_value, value = b_total, total
            target_end = base_value * (Decimal(100) - spec.percent) / Decimal(100)
            row["trajectory"] = calc.trajectory(
                baseline_year=b_inv.year,
                baseline_total=base_value,
                target_year=spec.year,
                target_total=target_end,
                year=inv.year,
            )
            row["reduction_percent"] = (
                (base_value - value) / base_value * Decimal(100) if base_value else ZERO
            )
            row["on_track"] = value <= row["trajectory"]
        rows.append(row)
    result = {
        "baseline": baseline,
        "rows": rows,
        "target": target,
        "monitoring": [r for r in rows if not r["inventory"].is_baseline],
    }
    totals = seap_totals(measures)
    result["seap"] = totals
    target_total: Decimal | None = None
    if spec:
        latest = ordered[-1]
        target_total = calc.target_value(
            baseline_total=b_total,
            baseline_population=b_inv.population,
            target=spec,
            population=latest.inventory.population,
        )
        required = b_total - target_total
        result.update(
            target_total=target_total,
            target_per_capita=(target_total / latest.inventory.population),
            required_reduction=required,
            latest=latest,
            remaining_gap=latest.result.total_co2_t - target_total,
            covered_percent=(totals["reduction"] / required * Decimal(100))
            if required > 0
            else None,
            shortfall=required - totals["reduction"],
            surplus=totals["reduction"] - required,
        )
    result["achieved"] = _achieved_rows(
        measures,
        baseline=baseline,
        target=target,
        target_total=target_total,
    )
    return result


def _achieved_rows(
    measures: list[SeapMeasure],
    *,
    baseline: Report,
    target: Target | None,
    target_total: Decimal | None,
) -> list[dict]:
    """Each reported year: the reduction the measures achieved, what they were
    expected to achieve by then and what the path to the target (the same as
    the trajectory chart's) requires by then, t CO2."""
    b_inv, b_total = baseline.inventory, baseline.result.total_co2_t
    rows = []
    for year, achieved in achieved_by_year(measures).items():
        expected = calc.dsum(
            calc.measure_reduction_in(
                start_year=m.start_year, end_year=m.end_year, reduction=m.co2_reduction_t, year=year
            )
            for m in measures
        )
        required = None
        if target is not None and target_total is not None:
            required = b_total - calc.trajectory(
                baseline_year=b_inv.year,
                baseline_total=b_total,
                target_year=target.year,
                target_total=target_total,
                year=year,
            )
        rows.append(
            {
                "year": year,
                "achieved": achieved["reduction"],
                "saving": achieved["saving"],
                "renewable": achieved["renewable"],
                "expected": expected,
                "required": required,
                "share_of_required": (achieved["reduction"] / required * Decimal(100))
                if required
                else None,
            }
        )
    return rows


def climate_overview(*, user: AnyUser | None = None) -> dict:
    """Everything the climate page shows ``user`` (drafts for staff only)."""
    inventories = inventory_list(user=user)
    reports = inventory_reports(inventories)
    target = Target.objects.first()
    measures = seap_measures()
    report_list = [reports[i.pk] for i in inventories]
    return {
        "inventories": inventories,
        "reports": report_list,
        "warnings": [(r, w) for r in report_list for w in r.warnings],
        "target": target,
        "measures": measures,
        "progress": progress(reports, target, measures),
    }


def pdf_annex(*, version: PlanVersion) -> dict | None:
    """The climate annex of a plan version's PDF, or None without climate data.

    Climate data are the municipality's; the annex is given to a plan when
    there is a published inventory or a SEAP measure linked to that plan (a
    draft inventory never reaches a PDF, which anyone may download). SEAP
    measures show the code of the linked plan measure in ``version``.
    Constant number of queries.
    """
    from .charts import sector_chart, trajectory_chart

    inventories = inventory_list()
    measures = seap_measures(version=version)
    mine = [m for m in measures if m.plan_id == version.plan_id]
    if not inventories and not mine:
        return None
    reports = inventory_reports(inventories)
    target = Target.objects.first()
    report_list = [reports[i.pk] for i in inventories]
    prog = progress(reports, target, measures)
    return {
        "version": version,
        "reports": report_list,
        "target": target,
        "measures": measures,
        "seap": seap_totals(measures),
        "progress": prog,
        "sector_chart": sector_chart(report_list, id_prefix="annex-sectors", pdf=True),
        "trajectory_chart": trajectory_chart(prog, measures, id_prefix="annex-trajectory", pdf=True)
        if prog
        else None,
    }
