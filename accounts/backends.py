"""Sign-in with a username or an e-mail address.

Residents register with their e-mail address and receive a generated
username (so that no username is ever an e-mail address that a page could
print); they sign in with whichever they remember. Staff and council keep
signing in with their usernames. The login form's field stays ``username``.
"""

from functools import cache as memoize

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection

# A safety net only: every write of an account raises the counter at once.
USER_ROW_SECONDS = 300


class UsernameOrEmailBackend(ModelBackend):
    def get_user(self, user_id):
        """The signed-in user of a request, with the groups that make a role.

        Read in the user's own query (two EXISTS), so that the role of every
        request (planportal.roles) costs no second query: a page shared by a
        role is served to a logged-in reader after the session and this one.
        Raw SQL because the ORM spent longer compiling this query on every
        request than the database spent running it.

        Where the request's session came with the page cache's counters
        (planportal/sessions.py), this worker keeps the row under the
        "accounts" counter, which every write of an account, a group or a
        membership raises (pagecache.APP_SCOPES): a page served from the page
        cache then runs no query at all, and a changed account (deactivated,
        a new password, another role) is read afresh by the next request.
        """
        User = get_user_model()
        from planportal import pagecache
        from planportal.roles import COUNCIL_GROUP, STAFF_GROUP

        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        counters = pagecache.reader_counters()
        key = None if counters is None else f"accounts:user:{user_id}:{counters['accounts']}"
        kept = None if key is None else caches["pages"].get(key)
        if kept is not None:
            values, names = kept
            user = User.from_db(User._default_manager.db, _attnames(), values)
        else:
            sql = _user_with_roles_sql()
            rows = list(User._default_manager.raw(sql, [STAFF_GROUP, COUNCIL_GROUP, user_id]))
            user = rows[0] if rows else None
            if user is None:
                return None
            names = {STAFF_GROUP} if getattr(user, "_is_staff_group", False) else set()
            if getattr(user, "_is_council_group", False):
                names.add(COUNCIL_GROUP)
            if key is not None:
                values = tuple(getattr(user, name) for name in _attnames())
                caches["pages"].set(key, (values, frozenset(names)), USER_ROW_SECONDS)
        if not self.user_can_authenticate(user):
            return None
        # What planportal.roles._group_names would read; it reads only these two.
        user._planportal_groups = frozenset(names)  # type: ignore[attr-defined]
        return user

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None or "@" not in username:
            return user
        User = get_user_model()
        # E-mail addresses are unique regardless of case (a database
        # constraint, accounts/migrations/0001), so at most one matches.
        candidate = (
            User._default_manager.filter(email__iexact=username.strip()).exclude(email="").first()
        )
        if candidate is None:
            # Hash anyway, so that the answer takes as long for an unknown
            # address as for a wrong password.
            User().set_password(password)
            return None
        if candidate.check_password(password) and self.user_can_authenticate(candidate):
            return candidate
        return None


def unconfirmed_account(login: str | None, password: str | None):
    """The registered-but-unconfirmed account ``login`` names, if ``password`` is its own."""
    if not login or not password:
        return None
    User = get_user_model()
    users = User._default_manager.filter(is_active=False, last_login__isnull=True)
    user = users.filter(username=login).first()
    if user is None and "@" in login:
        user = users.filter(email__iexact=login.strip()).exclude(email="").first()
    if user is not None and user.check_password(password):
        return user
    return None


@memoize
def _attnames() -> tuple[str, ...]:
    return tuple(field.attname for field in get_user_model()._meta.concrete_fields)


@memoize
def _user_with_roles_sql() -> str:
    User = get_user_model()
    quote = connection.ops.quote_name
    users = quote(User._meta.db_table)
    through = User.groups.through
    memberships, groups = quote(through._meta.db_table), quote(Group._meta.db_table)
    user_column = quote(through._meta.get_field("user").column)
    group_column = quote(through._meta.get_field("group").column)

    def member_of() -> str:
        return (
            f"EXISTS (SELECT 1 FROM {memberships} m JOIN {groups} g ON g.id = m.{group_column} "
            f"WHERE m.{user_column} = u.id AND g.name = %s)"
        )

    return (
        f"SELECT u.*, {member_of()} AS _is_staff_group, {member_of()} AS _is_council_group "
        f"FROM {users} u WHERE u.id = %s"
    )
