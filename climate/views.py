"""Browser pages of the climate part: public reads and the staff editors.

Views are thin: forms parse, services write, selectors read. Public pages
are open to everyone and show published inventories (staff see drafts there
too, marked as drafts); staff pages check the role on every request
(``staff_required``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from planportal import pagecache
from planportal.errors import status_of
from planportal.forms import add_refusal_to_form
from planportal.roles import is_staff_member, role_required

from . import calc, selectors, services
from .charts import sector_chart, trajectory_chart
from .constants import CARRIER_LABELS, CARRIERS, SECTOR_LABELS, SECTORS
from .forms import (
    CsvImportForm,
    GreenPurchaseForm,
    InventoryForm,
    LibraryForm,
    NationalFactorForm,
    NewInventoryForm,
    OtherEmissionForm,
    OverridesForm,
    ProductionForm,
    SeapMeasureForm,
    SeapProgressForm,
    TargetForm,
)
from .models import (
    GreenPurchase,
    Inventory,
    LocalProduction,
    NationalElectricityFactor,
    OtherEmission,
    SeapMeasure,
    Target,
)

staff_required = role_required(
    is_staff_member, gettext_lazy("Only administration staff can edit climate data.")
)


# --- Public pages ----------------------------------------------------------------------


@pagecache.page_cache(logged_in=False)
def index(request):
    overview = selectors.climate_overview(user=request.user)
    context = {
        **overview,
        "sector_chart": None,
        "trajectory_chart": None,
        "drafts": [i for i in overview["inventories"] if not i.is_published],
    }
    if overview["reports"]:
        context["sector_chart"] = sector_chart(overview["reports"])
    if overview["progress"]:
        context["trajectory_chart"] = trajectory_chart(overview["progress"], overview["measures"])
    # The same for every anonymous reader until climate data or the plan
    # changes (each write bumps "climate"); staff also see the drafts.
    response = render(request, "climate/index.html", context)
    return response if request.user.is_authenticated else pagecache.mark_cacheable(response)


def inventory_detail(request, inventory_id):
    inventory = selectors.visible_inventory(user=request.user, pk=inventory_id)
    report = selectors.inventory_report(inventory)
    return render(
        request,
        "climate/inventory.html",
        {
            "inventory": inventory,
            "report": report,
            "table_a": report.table("mwh"),
            "table_b": report.table("co2"),
        },
    )


def inventory_csv(request, inventory_id, excel=False):
    inventory = selectors.visible_inventory(user=request.user, pk=inventory_id)
    response = HttpResponse(
        services.table_a_csv(inventory, excel=excel), content_type="text/csv; charset=utf-8"
    )
    suffix = "-excel" if excel else ""
    response["Content-Disposition"] = (
        f'attachment; filename="table-a-{inventory.kind}-{inventory.year}{suffix}.csv"'
    )
    return response


def measure_list(request):
    overview = selectors.climate_overview(user=request.user)
    return render(
        request,
        "climate/measures.html",
        {**overview, "seap": selectors.seap_totals(overview["measures"])},
    )


# --- Staff: inventories ------------------------------------------------------------------


@staff_required
def staff_index(request):
    return _render_staff_index(request)


def _render_staff_index(request, *, form=None, target_form=None, status=200):
    target = Target.objects.first()
    if target_form is None:
        initial = (
            {"percent": target.percent, "year": target.year, "kind": target.kind}
            if target
            else {"kind": "absolute"}
        )
        target_form = TargetForm(initial=initial, prefix="target")
    return render(
        request,
        "climate/staff/index.html",
        {
            "inventories": selectors.inventory_list(user=request.user),
            "form": form or NewInventoryForm(prefix="new"),
            "target_form": target_form,
            "target": target,
        },
        status=status,
    )


@staff_required
@require_POST
def staff_inventory_create(request):
    form = NewInventoryForm(request.POST, prefix="new")
    status = 400
    if form.is_valid():
        try:
            inventory = services.inventory_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal_to_form(form, error)
            status = status_of(error)
        else:
            messages.success(request, _("The inventory was created. Enter its Table A below."))
            return redirect("climate:staff-inventory", inventory.pk)
    return _render_staff_index(request, form=form, status=status)


@staff_required
@require_POST
def staff_target(request):
    form = TargetForm(request.POST, prefix="target")
    status = 400
    if form.is_valid():
        try:
            services.target_set(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal_to_form(form, error)
            status = status_of(error)
        else:
            messages.success(request, _("The reduction target was saved."))
            return redirect("climate:staff-index")
    return _render_staff_index(request, target_form=form, status=status)


def _grid_rows(values: dict, errors: dict, totals: dict):
    """Rows of the Table A editor: each cell's text as typed and its error, and the row
    total (of what is shown)."""
    return [
        {
            "slug": s,
            "label": label,
            "total": totals[s],
            "cells": [
                {
                    "carrier": c,
                    "name": f"cell-{s}-{c}",
                    "value": values.get((s, c), ""),
                    "error": errors.get((s, c)),
                }
                for c, _l in CARRIERS
            ],
        }
        for s, label in SECTORS
    ]


def _typed_totals(cells: dict[tuple[str, str], Decimal]) -> dict:
    """Row, column and grand totals of the cells typed into a grid that was
    refused (a wrong cell counts as zero, as the grid's script counts it), so
    that the totals beside the typed values add them up, not the stored ones."""
    zero = Decimal("0")
    rows = {s: calc.dsum(cells.get((s, c), zero) for c, _l in CARRIERS) for s, _sl in SECTORS}
    columns = [
        {"slug": c, "value": calc.dsum(cells.get((s, c), zero) for s, _sl in SECTORS)}
        for c, _l in CARRIERS
    ]
    return {"rows": rows, "column_totals": columns, "total": calc.dsum(rows.values())}


def _display_value(value: Decimal) -> str:
    """A Table A cell as the grid shows it: empty for zero, a decimal comma."""
    return calc.plain(value).replace(".", ",") if value else ""


@staff_required
@require_http_methods(["GET", "POST"])
def staff_inventory(request, inventory_id):
    """The inventory's header and its Table A grid (saved as a whole)."""
    inventory = get_object_or_404(Inventory, pk=inventory_id)
    status = 200
    header_form = InventoryForm(
        prefix="inv",
        initial={
            "kind": inventory.kind,
            "year": inventory.year,
            "population": inventory.population,
            "approach": inventory.approach,
            "heat_import_co2_t": inventory.heat_import_co2_t,
            "heat_export_co2_t": inventory.heat_export_co2_t,
            "note": inventory.note,
        },
    )
    grid_values: dict[tuple[str, str], str] | None
    grid_errors, grid_values, summary = {}, None, []
    cells: dict[tuple[str, str], Decimal] = {}
    if request.method == "POST" and request.POST.get("action") == "header":
        header_form = InventoryForm(request.POST, prefix="inv")
        status = 400
        if header_form.is_valid():
            data = header_form.cleaned_data
            try:
                services.inventory_update(
                    user=request.user,
                    inventory=inventory,
                    year=data["year"],
                    kind=data["kind"],
                    population=data["population"],
                    approach=data["approach"],
                    heat_import_co2_t=data["heat_import_co2_t"] or Decimal("0"),
                    heat_export_co2_t=data["heat_export_co2_t"] or Decimal("0"),
                    note=data["note"],
                )
            except ValidationError as error:
                add_refusal_to_form(header_form, error)
                status = status_of(error)
            else:
                messages.success(request, _("The inventory was saved."))
                return redirect("climate:staff-inventory", inventory.pk)
    elif request.method == "POST" and request.POST.get("action") == "grid":
        grid_values = {}
        for s, _sl in SECTORS:
            for c, _cl in CARRIERS:
                raw = request.POST.get(f"cell-{s}-{c}", "")
                grid_values[(s, c)] = raw
                try:
                    cells[(s, c)] = services.parse_quantity(raw, decimal_comma=True)
                except ValueError as error:
                    grid_errors[(s, c)] = str(error)
                    summary.append(
                        (f"cell-{s}-{c}", f"{SECTOR_LABELS[s]} × {CARRIER_LABELS[c]}", str(error))
                    )
        if not grid_errors:
            services.consumption_replace(user=request.user, inventory=inventory, cells=cells)
            messages.success(request, _("Table A was saved."))
            return redirect("climate:staff-inventory", inventory.pk)
        status = 400
    elif request.method == "POST":
        return HttpResponse(_("Unknown action."), status=400)
    report = selectors.inventory_report(inventory)
    table_a = report.table("mwh")
    if grid_values is None:
        grid_values = {key: _display_value(v) for key, v in report.result.mwh.items()}
        grid_totals = {
            "rows": report.result.mwh_by_sector,
            "column_totals": table_a["column_totals"],
            "total": table_a["total"],
        }
    else:
        # A refused grid: what was typed stays, with its own totals.
        grid_totals = _typed_totals(cells)
    return render(
        request,
        "climate/staff/inventory.html",
        {
            "inventory": inventory,
            "report": report,
            "table_a": table_a,
            "grid_totals": grid_totals,
            "header_form": header_form,
            "grid": _grid_rows(grid_values, grid_errors, grid_totals["rows"]),
            "columns": [{"slug": c, "label": label} for c, label in CARRIERS],
            "grid_summary": summary,
            "csv_form": CsvImportForm(),
        },
        status=status,
    )


@staff_required
@require_POST
def staff_inventory_import(request, inventory_id):
    inventory = get_object_or_404(Inventory, pk=inventory_id)
    form = CsvImportForm(request.POST, request.FILES)
    errors, status = [], 400
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
    else:
        upload = form.cleaned_data["file"]
        if upload.size > 1_000_000:
            errors = [_("The file is too large (at most 1 MB).")]
        else:
            try:
                count = services.consumption_import_csv(
                    user=request.user, inventory=inventory, content=upload.read()
                )
            except ValidationError as error:
                errors, status = error.messages, status_of(error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Table A was imported: %(count)d cell with a value.",
                        "Table A was imported: %(count)d cells with values.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("climate:staff-inventory", inventory.pk)
    return render(
        request,
        "climate/staff/import_errors.html",
        {"inventory": inventory, "errors": errors},
        status=status,
    )


def _confirm_delete(request, obj, *, delete, done: str, success_url: str, cancel_url: str):
    """GET asks (climate/staff/confirm_delete.html); POST calls ``delete()``, says ``done``
    and goes on."""
    if request.method == "POST":
        delete()
        messages.success(request, done)
        return redirect(success_url)
    return render(
        request, "climate/staff/confirm_delete.html", {"object": obj, "cancel": cancel_url}
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_inventory_publish(request, inventory_id):
    """GET shows what publishing does and what the inventory still lacks (the
    carriers without a factor); POST publishes it."""
    inventory = get_object_or_404(Inventory, pk=inventory_id)
    status = 200
    if request.method == "POST":
        try:
            services.inventory_publish(user=request.user, inventory=inventory)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = status_of(error)
        else:
            messages.success(
                request,
                _("%(inventory)s was published: everyone can see it now.")
                % {"inventory": inventory.short_label},
            )
            return redirect("climate:staff-inventory", inventory.pk)
    report = selectors.inventory_report(inventory)
    return render(
        request,
        "climate/staff/publish.html",
        {"inventory": inventory, "report": report},
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_inventory_delete(request, inventory_id):
    inventory = get_object_or_404(Inventory, pk=inventory_id)
    return _confirm_delete(
        request,
        inventory,
        delete=lambda: services.inventory_delete(user=request.user, inventory=inventory),
        done=_("The inventory was deleted."),
        success_url=reverse("climate:staff-index"),
        cancel_url=reverse("climate:staff-inventory", args=[inventory.pk]),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_inventory_extras(request, inventory_id):
    """Tables C and D, green purchases, other emissions and this inventory's factors."""
    inventory = get_object_or_404(Inventory, pk=inventory_id)
    forms_: dict[str, Any] = {
        "electricity": ProductionForm(output="electricity", prefix="elec"),
        "heat": ProductionForm(output="heat", prefix="heat"),
        "green": GreenPurchaseForm(prefix="green"),
        "other": OtherEmissionForm(prefix="other"),
        "factors": None,
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        user = request.user
        done = None
        status = 400
        try:
            if action in ("electricity", "heat"):
                form = ProductionForm(
                    request.POST,
                    output=action,
                    prefix="elec" if action == "electricity" else "heat",
                )
                forms_[action] = form
                if form.is_valid():
                    d = form.cleaned_data
                    services.production_add(
                        user=user,
                        inventory=inventory,
                        output=action,
                        technology=d["technology"],
                        name=d["name"],
                        produced_mwh=d["produced_mwh"],
                        fuels=form.fuels(),
                    )
                    done = _("The production row was added.")
            elif action == "green":
                form = forms_["green"] = GreenPurchaseForm(request.POST, prefix="green")
                if form.is_valid():
                    d = form.cleaned_data
                    services.green_purchase_add(
                        user=user,
                        inventory=inventory,
                        supplier=d["supplier"],
                        mwh=d["mwh"],
                        factor=d["factor"] or Decimal("0"),
                    )
                    done = _("The purchase was added.")
            elif action == "other":
                form = forms_["other"] = OtherEmissionForm(request.POST, prefix="other")
                if form.is_valid():
                    services.other_emission_add(user=user, inventory=inventory, **form.cleaned_data)
                    done = _("The emission was added.")
            elif action == "factors":
                form = forms_["factors"] = OverridesForm(request.POST, prefix="factors")
                if form.is_valid():
                    services.factors_replace(user=user, inventory=inventory, factors=form.factors())
                    done = _("This inventory's emission factors were saved.")
            elif action.startswith("delete-"):
                kind, _sep, pk = action[len("delete-") :].partition("-")
                models: dict[str, Any] = {
                    "production": LocalProduction,
                    "green": GreenPurchase,
                    "other": OtherEmission,
                }
                if kind not in models or not pk.isdigit():
                    return HttpResponse(_("Unknown action."), status=400)
                row = get_object_or_404(models[kind], pk=int(pk), inventory=inventory)
                {
                    "production": lambda: services.production_delete(user=user, production=row),
                    "green": lambda: services.green_purchase_delete(user=user, purchase=row),
                    "other": lambda: services.other_emission_delete(user=user, row=row),
                }[kind]()
                done = _("The row was deleted.")
            else:
                return HttpResponse(_("Unknown action."), status=400)
        except ValidationError as error:
            target = forms_.get(action)
            if target is not None:
                add_refusal_to_form(target, error)
            status = status_of(error)
        if done:
            messages.success(request, done)
            return redirect("climate:staff-inventory-extras", inventory.pk)
    report = selectors.inventory_report(inventory)
    if forms_["factors"] is None:
        forms_["factors"] = OverridesForm(prefix="factors", initial=report.overrides)
    return render(
        request,
        "climate/staff/extras.html",
        {"inventory": inventory, "report": report, "forms": forms_},
        status=status,
    )


# --- Staff: factor library -------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def staff_factors(request):
    library = selectors.factor_library()
    initial = {}
    for row in library["rows"]:
        for approach in ("ipcc", "lca"):
            factor = row[approach]
            initial[f"{approach}_{row['slug']}"] = factor.value if factor else Decimal("0")
    form = LibraryForm(initial=initial, prefix="lib")
    national_form = NationalFactorForm(prefix="nat")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "library":
            form = LibraryForm(request.POST, prefix="lib")
            if form.is_valid():
                for row in library["rows"]:
                    for approach in ("ipcc", "lca"):
                        value = form.cleaned_data[f"{approach}_{row['slug']}"]
                        factor = row[approach]
                        if factor is None or factor.value != value:
                            services.library_factor_set(
                                user=request.user,
                                carrier=row["slug"],
                                approach=approach,
                                value=value,
                                source=_("Changed by the administration") if factor else "",
                            )
                messages.success(request, _("The emission factor library was saved."))
                return redirect("climate:staff-factors")
        elif action == "national":
            national_form = NationalFactorForm(request.POST, prefix="nat")
            if national_form.is_valid():
                services.national_factor_set(user=request.user, **national_form.cleaned_data)
                messages.success(request, _("The national electricity factor was saved."))
                return redirect("climate:staff-factors")
        elif action and action.startswith("delete-national-") and action[16:].isdigit():
            factor = get_object_or_404(NationalElectricityFactor, pk=int(action[16:]))
            services.national_factor_delete(user=request.user, factor=factor)
            messages.success(request, _("The national electricity factor was deleted."))
            return redirect("climate:staff-factors")
        else:
            return HttpResponse(_("Unknown action."), status=400)
        status = 400
    rows = [
        {**row, "ipcc_field": form[f"ipcc_{row['slug']}"], "lca_field": form[f"lca_{row['slug']}"]}
        for row in library["rows"]
    ]
    return render(
        request,
        "climate/staff/factors.html",
        {
            "rows": rows,
            "form": form,
            "national": library["national"],
            "national_form": national_form,
        },
        status=status,
    )


# --- Staff: SEAP measures --------------------------------------------------------------------


@staff_required
def staff_measures(request):
    measures = selectors.seap_measures()
    return render(
        request,
        "climate/staff/measures.html",
        {"measures": measures, "seap": selectors.seap_totals(measures)},
    )


def _measure_form_page(request, form, *, measure=None, status=200):
    return render(
        request,
        "climate/staff/measure_form.html",
        {"form": form, "measure": measure},
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_measure_create(request):
    form = SeapMeasureForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.seap_measure_create(user=request.user, **form.service_kwargs())
            except ValidationError as error:
                add_refusal_to_form(form, error)
                return _measure_form_page(request, form, status=status_of(error))
            messages.success(request, _("The action plan measure was added."))
            return redirect("climate:staff-measures")
        return _measure_form_page(request, form, status=400)
    return _measure_form_page(request, form)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_measure_edit(request, measure_id):
    measure = get_object_or_404(SeapMeasure, pk=measure_id)
    if request.method == "POST":
        form = SeapMeasureForm(request.POST)
        if form.is_valid():
            try:
                services.seap_measure_update(
                    user=request.user, measure=measure, **form.service_kwargs()
                )
            except ValidationError as error:
                add_refusal_to_form(form, error)
                return _measure_form_page(request, form, measure=measure, status=status_of(error))
            messages.success(request, _("The action plan measure was saved."))
            return redirect("climate:staff-measures")
        return _measure_form_page(request, form, measure=measure, status=400)
    initial = {name: getattr(measure, name) for name in services.SEAP_FIELDS}
    if measure.plan_id and measure.measure_key:
        initial["link"] = f"{measure.plan_id}:{measure.measure_key}"
    return _measure_form_page(request, SeapMeasureForm(initial=initial), measure=measure)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_measure_delete(request, measure_id):
    measure = get_object_or_404(SeapMeasure, pk=measure_id)
    return _confirm_delete(
        request,
        measure,
        delete=lambda: services.seap_measure_delete(user=request.user, measure=measure),
        done=_("The action plan measure was deleted."),
        success_url=reverse("climate:staff-measures"),
        cancel_url=reverse("climate:staff-measures"),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_measure_progress(request, measure_id):
    """What a SEAP measure achieved, year by year: the rows and a form to add or replace one."""
    measure = get_object_or_404(SeapMeasure, pk=measure_id)
    status = 200
    if request.method == "POST":
        form = SeapProgressForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.seap_progress_set(
                    user=request.user, measure=measure, **form.service_kwargs()
                )
            except ValidationError as error:
                add_refusal_to_form(form, error)
                status = status_of(error)
            else:
                messages.success(request, _("What the measure achieved was saved."))
                return redirect("climate:staff-measure-progress", measure.pk)
    else:
        form = SeapProgressForm(initial={"status": "in_progress"})
    selectors.attach_progress([measure])
    return render(
        request,
        "climate/staff/measure_progress.html",
        {"measure": measure, "form": form},
        status=status,
    )


def measure_panel(request, version, level, node_id, node_key) -> str:
    """A plan measure's climate impact, on the measure's page (climate/apps.py).

    Read outside the cached fragments, so a changed SEAP measure shows at
    once; one query, measure pages only.
    """
    if level != "measure":
        return ""
    impacts = selectors.impacts_for_measures(plan_id=version.plan_id, keys=[node_key])
    if not impacts.get(node_key):
        return ""
    return render_to_string(
        "climate/includes/measure_impact.html",
        {"version": version, "climate_impacts": impacts[node_key]},
        request=request,
    )
