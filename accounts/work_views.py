"""The work page: what waits for a staff member, a council member or a unit member.

Where staff and council land after signing in (LOGIN_REDIRECT_URL). Each
part of the portal says what it asks of the reader through a ``WorkItems``
hook (planportal/extensions.py): accounts imports none of them. A resident
whom no part asks anything of has no work page and goes where they always
landed, the home page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from planportal.extensions import work_sections
from planportal.roles import role_of


@never_cache
@login_required
@require_GET
def work(request):
    sections = work_sections(request.user)
    if not sections:
        return redirect("home")
    return render(
        request,
        "accounts/work.html",
        {
            "sections": sections,
            "waiting": sum(section.count for section in sections),
            "role": role_of(request.user),
        },
    )
