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
    }
