from django.conf import settings

from planportal.pagecache import NAME_MARK, is_shared_render
from planportal.roles import ANONYMOUS, COUNCIL, RESIDENT, STAFF, role_of


def portal(request):
    role = role_of(getattr(request, "user", None))
    return {
        "municipality": settings.PLANPORTAL_MUNICIPALITY,
        "role": role,
        "is_staff_member": role == STAFF,
        "is_council_member": role == COUNCIL,
        "is_resident": role == RESIDENT,
        "is_anonymous": role == ANONYMOUS,
        # A callable, so that the query runs only where a template asks
        # (the menu asks for residents only: staff see "my items" anyway).
        "is_unit_member": lambda: _unit_member(request),
        # The header's "Signed in as …": a marker in a page shared by all
        # readers of a role, filled in for each (planportal/pagecache.py).
        "viewer_name": lambda: _viewer_name(request),
    }


def _viewer_name(request) -> str:
    if is_shared_render(request):
        return NAME_MARK
    user = request.user
    return user.get_full_name() or user.get_username()


def _unit_member(request) -> bool:
    from monitoring.permissions import is_unit_member

    return is_unit_member(getattr(request, "user", None))
