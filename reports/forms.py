"""The forms of the report pages: parse what staff typed; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.forms import AccessibleFormMixin

from .narratives import NARRATIVE_MAX_LENGTH
from .services import REASON_MAX_LENGTH


class ReportCreateForm(AccessibleFormMixin, forms.Form):
    """The year of a new report, one of the plan's rounds without a report."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        # Years are never localised ("2 020" would be wrong in both languages).
        field = self.fields["year"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(y, str(y)) for y in years]


class NarrativeForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "A blank line starts a new paragraph; lines starting with “- ” make a bulleted "
            "list, “1. ” a numbered one. Text pasted from a word processor keeps its "
            "paragraphs, lists, emphasis and links. Leave it empty to remove the text."
        ),
    )


class SubmitForm(AccessibleFormMixin, forms.Form):
    """Submitting asks for nothing but the confirmation the button gives."""


class ReasonForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept with the report in its history."),
    )


class DecisionForm(AccessibleFormMixin, forms.Form):
    decision_number = forms.CharField(
        label=_("Council decision number"), max_length=50, help_text=_("For example TS-402.")
    )
    decision_date = forms.DateField(
        label=_("Council decision date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DecisionCorrectionForm(DecisionForm):
    """A decision recorded already is corrected only with a reason."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the report's history with the old and the new number and date."),
    )
