"""The browser forms of monitoring: they parse input; the services decide.

Every form keeps what was typed when the service refuses it (the view binds
the form again to the same POST), and its errors are shown next to the field.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from plans.forms import AccessibleFormMixin

from .models import ImplementationStatus


class MonitoringForm(AccessibleFormMixin, forms.Form):
    """A form whose refusals by a service are shown next to their fields."""

    def add_refusal(self, error: ValidationError) -> None:
        """Show a service's ``error``: each message at its field when the form
        has it, else at the top (the form keeps what was typed)."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error.error_list)
        # Tie the new errors to their inputs, as after validation.
        for name in self.errors:
            if name != NON_FIELD_ERRORS and name in self.fields:
                bound = self[name]
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described = attrs.get("aria-describedby", "").split()
                if f"{bound.auto_id}_error" not in described:
                    described.append(f"{bound.auto_id}_error")
                attrs["aria-describedby"] = " ".join(described)


class RoundOpenForm(MonitoringForm):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    due = forms.DateField(
        label=_("Due date"),
        help_text=_("The date by which the units enter their values (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ConfirmForm(MonitoringForm):
    confirm = forms.BooleanField(label=_("Yes, publish the round"), required=True)


class RevisionField(forms.IntegerField):
    """The revision the form was read at (hidden): a stale form is reported."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, **kwargs)


class ActualForm(MonitoringForm):
    value = forms.CharField(label=_("Actual value"), max_length=40)
    measured_on = forms.DateField(
        label=_("Date of the value"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    source_note = forms.CharField(label=_("Source of the value"), max_length=500, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_revision = RevisionField()


class ImplementationForm(MonitoringForm):
    """A measure's status and note, and the money spent per funding source
    (one field per source, ``spent_<code>``; empty: nothing spent from it)."""

    status = forms.ChoiceField(label=_("Status"), choices=ImplementationStatus.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        help_text=_("Required when the measure is delayed or cancelled: say why."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_revision = RevisionField()

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = list(sources)
        for source in self.sources:
            self.fields[f"spent_{source.code}"] = forms.CharField(
                label=_("Spent from “%(source)s”, EUR") % {"source": source.name},
                required=False,
                max_length=30,
            )

    def spent(self) -> list[dict]:
        return [
            {"source": s.code, "amount": self.cleaned_data[f"spent_{s.code}"]}
            for s in self.sources
            if (self.cleaned_data.get(f"spent_{s.code}") or "").strip()
        ]


class CommentForm(MonitoringForm):
    text = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_question = forms.BooleanField(
        label=_("This is a question the unit must answer"), required=False
    )


class MembersForm(MonitoringForm):
    members = forms.CharField(
        label=_("Members"),
        required=False,
        help_text=_("User names or e-mail addresses, one per line or separated by commas."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def names(self) -> list[str]:
        raw = self.cleaned_data.get("members") or ""
        return [part.strip() for part in raw.replace(",", "\n").splitlines() if part.strip()]


class MilestoneForm(MonitoringForm):
    """A new milestone of a measure (``prefix="milestone"``)."""

    title = forms.CharField(label=_("Milestone"), max_length=500)
    due = forms.DateField(
        label=_("Planned date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MilestoneDoneForm(MonitoringForm):
    """When an existing milestone was done (empty: not yet); ``prefix`` ``m<id>``."""

    done_on = forms.DateField(
        label=_("Done on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
