"""Browser forms of the staff plan editor.

Forms only parse and check what the user typed; every write goes through
``plans.services``, which checks permissions and the version's state again.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from planportal.years import YEAR_MAX, YEAR_MIN, YEAR_VALIDATORS
from plans.kinds import MEASURE_FIELDS, Kind, PlanKind, get_kind
from plans.models import (
    DEFAULT_INDICATOR_KIND,
    Direction,
    IndicatorKind,
    MeasureKind,
    NumberingStyle,
    Plan,
    PlanVersion,
    Unit,
)
from plans.numbers import plain_number

if TYPE_CHECKING:
    from django.core.exceptions import ValidationError
    from django_stubs_ext import StrOrPromise

AT_THE_END = ""

# What AccessibleFormMixin is mixed into, as mypy sees it (at run time it is a
# plain mixin).
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class AccessibleFormMixin(_FormBase):
    """Ties each field's error and help text to its input for assistive technology.

    After validation an invalid field gets ``aria-invalid`` and an
    ``aria-describedby`` naming the paragraph that shows its error (see
    templates/plans/staff/_field.html, which renders that paragraph with the
    id used here).
    """

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            bound = self[name]
            described_by = []
            if field.help_text:
                described_by.append(f"{bound.auto_id}_helptext")
            if name in self.errors:
                described_by.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)

    def error_summary(self):
        """(anchor id, label, message) for every error, for the summary at the top."""
        items: list[tuple[str | None, StrOrPromise | None, ValidationError | StrOrPromise]] = []
        for name, errors in self.errors.items():
            if name == NON_FIELD_ERRORS or name not in self.fields:
                items.extend((None, None, message) for message in errors)
                continue
            bound = self[name]
            items.extend(
                (bound.id_for_label or bound.auto_id, bound.label, message) for message in errors
            )
        return items


def year_field(label, *, required=False, **kwargs):
    # Years are never localised: "2 020" would be wrong in both languages.
    return forms.IntegerField(
        label=label,
        required=required,
        validators=YEAR_VALIDATORS,
        widget=forms.NumberInput(attrs={"min": YEAR_MIN, "max": YEAR_MAX, "class": "input-year"}),
        **kwargs,
    )


def amount_widget(**attrs):
    # A text input, not type=number: Lithuanian users type a decimal comma,
    # which number inputs reject in many browsers.
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", **attrs})


# --- Plans and versions ------------------------------------------------------------


START_EMPTY = "empty"
START_CONTINUE = "continue"


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return gettext("%(plan)s – %(version)s (%(status)s)") % {
            "plan": obj.plan.title,
            "version": obj.get_label(),
            "status": obj.get_status_display(),
        }


class PlanCreateForm(AccessibleFormMixin, forms.Form):
    """A new plan: its kind, title, period and numbering, and how its first draft starts.

    Only parsing here: ``services.plan_create`` and
    ``services.plan_create_next_period`` check the rest (the period's order,
    the development plan, the kind of the plan continued) and their
    refusals are shown next to the fields.
    """

    kind = forms.ChoiceField(
        label=_("Kind of plan"), choices=PlanKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    municipality = forms.CharField(label=_("Municipality"), max_length=255)
    period_start = year_field(_("First year of the period"), required=True)
    period_end = year_field(
        _("Last year of the period"),
        help_text=_(
            "Leave empty for the kind's usual length: 8 years for a 2013-generation plan, "
            "10 for a development plan, 3 for a strategic action plan."
        ),
    )
    numbering = forms.ChoiceField(
        label=_("Numbering"),
        required=False,
        choices=[("", _("The kind's own")), *NumberingStyle.choices],
        widget=forms.RadioSelect,
        help_text=_(
            "The kind's own: letters (A, A.1) for a 2013-generation plan, digits (1, 1.1) "
            "for a development plan, programme codes (01, 01.01) for an action plan."
        ),
    )
    development_plan = forms.ModelChoiceField(
        label=_("Development plan it implements"),
        queryset=Plan.objects.filter(kind=PlanKind.DEVELOPMENT).order_by("-period_start", "title"),
        required=False,
        empty_label=_("None"),
        help_text=_("Only for a strategic action plan."),
    )
    start = forms.ChoiceField(
        label=_("First draft"),
        choices=[
            (START_EMPTY, _("An empty first draft")),
            (START_CONTINUE, _("As the next period of an existing plan: copy a version's tree")),
        ],
        initial=START_EMPTY,
        widget=forms.RadioSelect,
    )
    continue_from = VersionChoiceField(
        label=_("Version to copy"),
        queryset=PlanVersion.objects.select_related("plan").order_by(
            "plan__title", "plan_id", "-number"
        ),
        required=False,
        empty_label=_("Choose a version"),
        help_text=_(
            "A version of a plan of the same kind. The copied items get new keys, since "
            "the new plan is a new document; funding of years outside the new period is "
            "left out."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault(
            "municipality", settings.PLANPORTAL_MUNICIPALITY
        )
        super().__init__(*args, **kwargs)

    def kind_options(self):
        """(radio, Kind) of each kind, so that the page shows each kind's description."""
        return [(radio, get_kind(radio.data["value"])) for radio in self["kind"]]

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("start") == START_CONTINUE and not cleaned.get("continue_from"):
            self.add_error(
                "continue_from", gettext("Choose the version whose tree the new plan copies.")
            )
        return cleaned

    def service_arguments(self) -> dict:
        """The keyword arguments of ``services.plan_create`` (or ``…_next_period``)."""
        data = dict(self.cleaned_data)
        start = data.pop("start")
        source = data.pop("continue_from")
        data["numbering"] = data["numbering"] or None
        if start == START_CONTINUE:
            data["source"] = source
        return data


class VisionForm(AccessibleFormMixin, forms.Form):
    vision = forms.CharField(
        label=_("Vision"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    label = forms.CharField(
        label=_("Version label"),
        required=False,
        max_length=255,
        help_text=_("Optional, e.g. “Revision for the 2024 consultation”."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


# --- Nodes --------------------------------------------------------------------------


class NodeForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(gettext("A title is required."))
        return title

    def service_fields(self) -> dict:
        return {
            "title": self.cleaned_data["title"],
            "description": self.cleaned_data["description"],
        }


class MeasureForm(NodeForm):
    """A measure's fields, only those its plan's kind uses (``plans.kinds``).

    ``implements_choices`` are the development plan's goals and tasks (keys
    as text) an action plan's measure may name; None leaves the field out
    (the plan names no development plan).
    """

    kind = forms.ChoiceField(
        label=_("Kind of measure"), choices=MeasureKind.choices, widget=forms.RadioSelect
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=Unit.objects.all(),
        required=False,
        empty_label=_("— not set —"),
    )
    appropriation_manager = forms.ModelChoiceField(
        label=_("Appropriation manager"),
        queryset=Unit.objects.all(),
        required=False,
        empty_label=_("— not set —"),
        help_text=_("The body that manages the measure's budget appropriations."),
    )
    co_executors = forms.ModelMultipleChoiceField(
        label=_("Co-executors"),
        queryset=Unit.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    implements = forms.MultipleChoiceField(
        label=_("Implements the development plan's"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_year = year_field(_("Start year"))
    end_year = year_field(_("End year"))

    def __init__(self, *args, kind: Kind | None = None, implements_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        kind = kind or get_kind(None)
        for name in MEASURE_FIELDS:
            if name in self.fields and not kind.uses(name):
                del self.fields[name]
        if "implements" in self.fields:
            if implements_choices is None:
                del self.fields["implements"]
            else:
                # A MultipleChoiceField (declared above); ``fields`` holds Field.
                self.fields["implements"].choices = implements_choices  # type: ignore[attr-defined]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", gettext("The end year cannot be before the start year."))
        return cleaned

    def service_fields(self) -> dict:
        fields = super().service_fields()
        for name in (
            "kind",
            "responsible_unit",
            "appropriation_manager",
            "co_executors",
            "implements",
            "start_year",
            "end_year",
        ):
            if name in self.fields:
                fields[name] = self.cleaned_data[name]
        return fields


def node_form_class(level: str):
    return MeasureForm if level == "measure" else NodeForm


def position_choices(siblings):
    """ "At the end" and "before X" for each sibling, as (position, label)."""
    choices: list[tuple[str, StrOrPromise]] = [(AT_THE_END, _("At the end"))]
    for sibling in siblings:
        label = gettext("Before %(node)s") % {"node": f"{sibling.code} {sibling.title}".strip()}
        choices.append((str(sibling.position), label))
    return choices


class NodeAddForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    position = forms.TypedChoiceField(
        label=_("Position"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, siblings=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A TypedChoiceField (declared above); ``fields`` holds them as Field.
        self.fields["position"].choices = position_choices(siblings)  # type: ignore[attr-defined]

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(gettext("A title is required."))
        return title


class MoveForm(AccessibleFormMixin, forms.Form):
    """Move a node to any place among the children of a parent of its level
    (for a priority: among the priorities). One choice names both the parent
    and the position, so that the form works without JavaScript and a place
    can never be paired with the wrong parent."""

    place = forms.ChoiceField(label=_("New place"))

    def __init__(self, *args, node, groups=(), **kwargs):
        """``groups``: (parent id, heading, children in order) of each parent
        the node may go under; a priority's one group has the parent id 0."""
        super().__init__(*args, **kwargs)
        self.places: dict[str, tuple[int, int]] = {}
        choices: list = []
        for parent_id, heading, children in groups:
            others = [child for child in children if child.pk != node.pk]
            current = next(
                (index for index, child in enumerate(children) if child.pk == node.pk), None
            )
            options = []
            for position in range(1, len(others) + 2):
                value = f"{parent_id}:{position}"
                if position <= len(others):
                    sibling = others[position - 1]
                    label = gettext("Before %(node)s") % {"node": f"{sibling.code} {sibling.title}"}
                elif others:
                    last = others[-1]
                    label = gettext("At the end, after %(node)s") % {
                        "node": f"{last.code} {last.title}"
                    }
                else:
                    label = gettext("Here (nothing is under it yet)")
                if current is not None and current + 1 == position:
                    label = gettext("%(place)s (where it is now)") % {"place": label}
                    self.initial.setdefault("place", value)
                self.places[value] = (parent_id, position)
                options.append((value, label))
            choices.append((heading, options))
        self.fields["place"].choices = choices  # type: ignore[attr-defined]

    def clean_place(self) -> tuple[int, int]:
        """(parent id, 1-based position among its children, the node left out)."""
        return self.places[self.cleaned_data["place"]]


class GroupedDecimalField(forms.DecimalField):
    """A localized decimal that also takes digits grouped with spaces.

    Staff paste amounts from municipal tables written "12 500,50" (a space or
    a no-break space between thousands). The project does not group numbers
    by default (USE_THOUSAND_SEPARATOR is off so that ids and years never
    print as "1 360"), so Django would refuse such input: the spaces are
    dropped here before the usual localized parsing.
    """

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split())
        return super().to_python(value)

    def prepare_value(self, value):
        # A stored quantity comes back padded to four places (10.5000); the
        # input shows it as it was typed ("10,5"). Money keeps its cents
        # (plans/numbers.py), and what the user just typed is left alone.
        if isinstance(value, Decimal) and (self.decimal_places or 0) > 2:
            return plain_number(value, grouping=False)
        return super().prepare_value(value)


# --- Funding ------------------------------------------------------------------------


def normalise_amount(text: str) -> str:
    """An amount as staff type or paste it, as plain digits with a decimal point.

    Lithuanian tables write "1 234,56" (spaces, no-break or narrow spaces
    between thousands, a decimal comma); spreadsheets in English locales
    give "1234.56" or "1,234.56"; a copied cell may end in "€" or "Eur".
    With both a comma and a point, the last one is the decimal mark; a mark
    that appears more than once separates thousands. What is left is for
    Decimal to accept or refuse. static/js/funding_grid.js reads numbers the
    same way for its live totals.
    """
    text = "".join(text.split())
    for suffix in ("€", "eur"):
        if text.lower().endswith(suffix):
            text = text[: -len(suffix)]
    if "," in text and "." in text:
        decimal_mark = "," if text.rindex(",") > text.rindex(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    else:
        for mark in (",", "."):
            if text.count(mark) > 1:
                text = text.replace(mark, "")
        text = text.replace(",", ".")
    return text


class PastedAmountField(forms.DecimalField):
    """An amount in euro typed or pasted from a spreadsheet (``normalise_amount``)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise_amount(value)
        return super().to_python(value)


class FundingGridForm(AccessibleFormMixin, forms.Form):
    """A measure's funding as one grid: a cell per year and source.

    The cells are the years given (the measure's period, and any year that
    still holds saved funding outside it) by the sources given; an empty
    cell is no line. ``lines()`` gives what the service replaces the
    measure's lines with.
    """

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, years=(), sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.years, self.sources = list(years), list(sources)
        for year in self.years:
            for source in self.sources:
                self.fields[self.cell_name(year, source)] = PastedAmountField(
                    label=f"{year}, {source.code}",
                    required=False,
                    min_value=Decimal("0"),
                    max_digits=14,
                    decimal_places=2,
                    widget=amount_widget(),
                )

    @staticmethod
    def cell_name(year: int, source) -> str:
        return f"cell-{year}-{source.pk}"

    def lines(self) -> list[dict]:
        """The non-empty cells as funding lines (``year``, ``source``, ``amount``)."""
        return [
            {"year": year, "source": source, "amount": amount}
            for year in self.years
            for source in self.sources
            if (amount := self.cleaned_data.get(self.cell_name(year, source))) is not None
        ]

    def mark_years(self, years, message) -> list[str]:
        """Put ``message`` on every filled cell of ``years`` (a refusal by year);
        the names of the cells marked."""
        marked = []
        for year in years:
            for source in self.sources:
                name = self.cell_name(year, source)
                if name in self.fields and self.data.get(self.add_prefix(name), "").strip():
                    self.add_error(name, message)
                    marked.append(name)
        # AccessibleFormMixin ties the errors to their inputs during
        # validation; these came after it, from the service.
        self._describe_errors()
        return marked

    def _describe_errors(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"


class BaseUniqueRowsFormSet(forms.BaseFormSet):
    """A formset whose rows must not repeat ``unique_fields``."""

    unique_fields: tuple[str, ...] = ()
    duplicate_message: StrOrPromise = ""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            # ``_should_delete_form`` is Django's own test (django-stubs leaves it out).
            if not form.cleaned_data or self._should_delete_form(form):  # type: ignore[attr-defined]
                continue
            key = tuple(form.cleaned_data.get(name) for name in self.unique_fields)
            if key in seen:
                raise forms.ValidationError(self.duplicate_message % self.describe(key))
            seen.add(key)

    def kept_rows(self):
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)  # type: ignore[attr-defined]
        ]

    def describe(self, key):
        return {"year": key[0]}


# --- Indicators -----------------------------------------------------------------------


# The fields of an indicator's description card (stebėsenos rodiklio aprašymo
# kortelė, Finance Ministry order 1K-275; docs/planning-law.md §6), in the
# order the editor and the public card show them.
INDICATOR_FORM_FIELDS = (
    "code",
    "name",
    "kind",
    "unit",
    "direction",
    "definition",
    "calculation_method",
    "data_source",
    "frequency",
    "responsible_body",
    "baseline_value",
    "baseline_year",
    "remarks",
)


def _text_area(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class IndicatorForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Indicator code"),
        max_length=50,
        required=False,
        help_text=_(
            "The code the Strategic Management Information System (SVIS) gave the "
            "indicator, if it has one."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=IndicatorKind.choices)
    unit = forms.CharField(label=_("Unit of measure"), max_length=100)
    direction = forms.ChoiceField(
        label=_("Desired direction"), choices=Direction.choices, initial=Direction.INCREASE
    )
    definition = forms.CharField(
        label=_("Definition"),
        required=False,
        widget=_text_area(),
        help_text=_("What the indicator shows and what the terms in its name mean."),
    )
    calculation_method = forms.CharField(
        label=_("Calculation method"),
        required=False,
        widget=_text_area(),
        help_text=_(
            "How the value is calculated: the formula and its parts, and whether the value "
            "is cumulative or for one year."
        ),
    )
    data_source = forms.CharField(
        label=_("Data source"),
        max_length=500,
        required=False,
        help_text=_("Where the values come from: a statistics table, a register, own records."),
    )
    frequency = forms.CharField(
        label=_("Frequency of measurement"),
        max_length=200,
        required=False,
        help_text=_(
            "How often the value is measured and when a year's value becomes known, "
            "e.g. “yearly, by 1 May of the following year”."
        ),
    )
    responsible_body = forms.CharField(
        label=_("Body responsible for the data"),
        max_length=500,
        required=False,
        help_text=_("The institution or unit that collects the values and answers for them."),
    )
    baseline_value = GroupedDecimalField(
        label=_("Baseline value"),
        required=False,
        max_digits=18,
        decimal_places=4,
        localize=True,
        widget=amount_widget(),
        help_text=_(
            "The value the change is measured from: usually the last one known before "
            "the plan's period."
        ),
    )
    baseline_year = year_field(_("Baseline year"))
    remarks = forms.CharField(label=_("Remarks"), required=False, widget=_text_area())
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, level=None, kinds=None, current_kind=None, **kwargs):
        """``kinds``: the indicator kinds the plan's kind allows at ``level``
        (``Kind.indicator_kinds``), the first being the default. An indicator
        whose stored kind is no longer allowed keeps it among the choices, so
        that nothing changes unnoticed: the service then says why it refuses."""
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        if kinds is not None:
            offered = [*kinds]
            if current_kind and current_kind not in offered:
                offered.append(current_kind)
            kind_field.choices = [  # type: ignore[attr-defined]  # a ChoiceField
                (value, IndicatorKind(value).label) for value in offered
            ]
            if kinds:
                kind_field.initial = kinds[0]
        elif level in DEFAULT_INDICATOR_KIND:
            kind_field.initial = DEFAULT_INDICATOR_KIND[level]

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in INDICATOR_FORM_FIELDS}


class TargetForm(AccessibleFormMixin, forms.Form):
    year = year_field(_("Year"), required=True)
    value = GroupedDecimalField(
        label=_("Target value"),
        max_digits=18,
        decimal_places=4,
        localize=True,
        widget=amount_widget(),
    )


class BaseTargetFormSet(BaseUniqueRowsFormSet):
    unique_fields = ("year",)
    duplicate_message = _("Year %(year)s has two target values.")


# formset_factory returns a subclass of ``formset``; django-stubs types it as
# the plain BaseFormSet, without this formset's own methods.
TargetFormSet: type[BaseTargetFormSet] = forms.formset_factory(  # type: ignore[assignment]
    TargetForm, formset=BaseTargetFormSet, extra=1, can_delete=True, max_num=200
)


def formset_with_extra_row(data, prefix):
    """A copy of ``data`` that asks the formset for one more (empty) row.

    The "Add a row" button submits the form with everything typed so far;
    the page comes back with the same values and one more row, without
    saving anything. It works with and without JavaScript.
    """
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        data[key] = str(int(data.get(key, 0)) + 1)
    except ValueError:
        data[key] = "1"
    return data
