"""Browser forms of the consultation. Validation of substance (lengths, dates,
states) lives in the services; these forms only parse what was typed."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from plans.forms import AccessibleFormMixin

from .models import Eldership, ResponseStatus

DATETIME_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def datetime_field(label, **kwargs):
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_INPUT,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        **kwargs,
    )


class ProposalForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your proposal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What should change in the plan, and why."),
    )
    eldership = forms.ModelChoiceField(
        label=_("Your eldership (optional)"),
        queryset=Eldership.objects.all(),
        required=False,
        empty_label=_("Not given"),
        help_text=_("It is used only to count proposals by eldership."),
    )
    show_name = forms.BooleanField(
        label=_("Show my name with the proposal"),
        required=False,
        help_text=_(
            "Otherwise the proposal is shown as by „Resident“. Your e-mail address is never shown."
        ),
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my proposal is published"),
        error_messages={"required": _("Please confirm that you have read the privacy notice.")},
    )
    # A honeypot: hidden from people (and from assistive technology), so only
    # a bot that fills every field fills it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, with_consent=True, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.CONSULTATIONS_PROPOSAL_MAX_LENGTH
        self.fields["text"].widget.attrs.update(
            {"maxlength": str(limit), "minlength": str(settings.CONSULTATIONS_PROPOSAL_MIN_LENGTH)}
        )
        self.fields["text"].help_text = _(
            "What should change in the plan, and why. At most %(max)d characters."
        ) % {"max": limit}
        if not with_consent:
            del self.fields["consent"]
            del self.fields["website"]


class ReportForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this proposal?"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: offensive words, advertising, someone's personal data."),
    )


class ConsultationOpenForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What residents are invited to comment on, and how their proposals will be used."
        ),
    )
    starts_at = datetime_field(_("Start"))
    ends_at = datetime_field(_("End"))


class ConsultationExtendForm(AccessibleFormMixin, forms.Form):
    ends_at = datetime_field(_("New end"))


class AnswerForm(AccessibleFormMixin, forms.Form):
    # Radio buttons with none ticked: a select would start on its first
    # choice ("Accepted"), and an answer nobody chose could be published.
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=ResponseStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the answer: accepted, partly accepted, or other.")},
    )
    text = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 5}))
    linked_version = forms.TypedChoiceField(
        label=_("Changed in version (optional)"), required=False, coerce=int, empty_value=None
    )
    linked_key = forms.CharField(
        label=_("Code of the changed node (optional)"),
        required=False,
        max_length=64,
        help_text=_(
            "For an accepted proposal: the code (for example C.3.4.4) of the node of the later "
            "version that now carries it. Leave empty for the node the proposal was about, "
            "whatever its code is now."
        ),
    )

    def __init__(self, *args, later_versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A ChoiceField; the form's fields are typed as any Field.
        self.fields["linked_version"].choices = [("", _("None"))] + [  # type: ignore[attr-defined]
            (version.pk, version.get_label()) for version in later_versions
        ]


class HideForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Public reason for hiding"),
        max_length=500,
        widget=forms.TextInput(),
        help_text=_("Shown instead of the proposal's text."),
    )
