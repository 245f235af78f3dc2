from django.conf import settings

from notifications.selectors import unread_count
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
        # Counted only when a template shows it (base.html, for signed-in
        # users): one query, none for anonymous readers.
        "unread_notifications": _Once(unread_count, request.user) if role != ANONYMOUS else 0,
    }


class _Once:
    """A value computed the first time a template asks for it, then kept."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __call__(self):
        if not hasattr(self, "value"):
            self.value = self.func(*self.args)
        return self.value
