"""Inventories get a status: a new one is a draft that only staff see.

Every inventory that existed before was public, so it is published (the
column is added with "published" filling the existing rows, then its default
becomes "draft" for new ones)."""

from django.db import migrations, models
from django.db.models import F


def published_when_made(apps, schema_editor):
    Inventory = apps.get_model("climate", "Inventory")
    Inventory.objects.filter(published_at__isnull=True).update(published_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("climate", "0003_seap_progress")]

    operations = [
        migrations.AddField(
            model_name="inventory",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="published",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="inventory",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="published"),
        ),
        migrations.RunPython(published_when_made, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="inventory",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="draft",
                max_length=10,
                verbose_name="status",
            ),
        ),
    ]
