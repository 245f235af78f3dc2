"""The units' members: who enters each responsible unit's data.

Staff list the units with their members and set a unit's members by user
name or e-mail address (``services.membership_set``). A unit member stays a
resident account otherwise: membership opens "my items", not the drafts.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from monitoring import services
from monitoring.forms import MembersForm
from monitoring.models import UnitMembership
from planportal.errors import status_of
from plans.models import Unit

from .common import staff_required


def _units():
    memberships = UnitMembership.objects.select_related("user").order_by("user__username")
    return Unit.objects.prefetch_related(Prefetch("memberships", queryset=memberships)).order_by(
        "name"
    )


def _render(request, *, bound=None, status=200):
    units = list(_units())
    for unit in units:
        names = "\n".join(m.user.username for m in unit.memberships.all())
        unit.form = (
            bound[1]
            if bound and bound[0] == unit.pk
            else MembersForm(initial={"members": names}, prefix=f"unit-{unit.pk}")
        )
    return render(request, "monitoring/members.html", {"units": units}, status=status)


@staff_required
@require_http_methods(["GET"])
def unit_list(request):
    return _render(request)


def resolve_users(names: list[str]) -> list:
    """The accounts named by user name or e-mail address (case-insensitive);
    ``ValidationError`` on the ``members`` field for a name that matches none
    or several."""
    users, unknown = [], []
    model = get_user_model()
    for name in names:
        found = list(model.objects.filter(Q(username__iexact=name) | Q(email__iexact=name))[:2])
        if len(found) != 1:
            unknown.append(name)
        else:
            users.append(found[0])
    if unknown:
        raise ValidationError(
            {
                "members": _("No single account has this user name or e-mail address: %(names)s.")
                % {"names": ", ".join(unknown)}
            }
        )
    return users


@staff_required
@require_POST
def unit_members(request, unit_id):
    unit = get_object_or_404(Unit, pk=unit_id)
    form = MembersForm(request.POST, prefix=f"unit-{unit.pk}")
    if not form.is_valid():
        return _render(request, bound=(unit.pk, form), status=400)
    try:
        users = resolve_users(form.names())
        services.membership_set(user=request.user, unit=unit, members=users)
    except ValidationError as error:
        form.add_refusal(error)
        return _render(request, bound=(unit.pk, form), status=status_of(error))
    messages.success(request, _("The members of “%(unit)s” are saved.") % {"unit": unit.name})
    return redirect(reverse("monitoring:members") + f"#unit-{unit.pk}")
