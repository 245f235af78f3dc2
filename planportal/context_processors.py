from django.conf import settings

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
    }


def _unit_member(request) -> bool:
    from monitoring.permissions import is_unit_member

    return is_unit_member(getattr(request, "user", None))
