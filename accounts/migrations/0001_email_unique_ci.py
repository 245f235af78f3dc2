"""One account per e-mail address, whatever its case.

The constraint is on Django's own ``auth_user`` table, created through the
schema editor so that SQLite and PostgreSQL each get their own SQL (a unique
index on LOWER(email) for non-empty addresses). It settles the race of two
registrations with the same address: the second insert fails and the
registration service turns that into a clear message.
"""

from django.db import migrations, models
from django.db.models.functions import Lower

CONSTRAINT = models.UniqueConstraint(
    Lower("email"),
    condition=~models.Q(email=""),
    name="accounts_user_email_ci_unique",
)


def add_constraint(apps, schema_editor):
    schema_editor.add_constraint(apps.get_model("auth", "User"), CONSTRAINT)


def remove_constraint(apps, schema_editor):
    schema_editor.remove_constraint(apps.get_model("auth", "User"), CONSTRAINT)


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(add_constraint, remove_constraint)]
