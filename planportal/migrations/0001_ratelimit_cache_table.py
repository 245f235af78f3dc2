"""The table of the ``ratelimit`` cache (planportal/cache.py).

Created by ``migrate`` on every database, whatever CACHES says today, so that
a deployment that drops REDIS_URL later finds it there; it is the table
``createcachetable`` would make.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "planportal_ratelimit"


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    operations = [migrations.RunPython(create_table, drop_table)]
