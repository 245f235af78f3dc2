"""One public number per proposal within its consultation, and the residents'
choice not to be e-mailed about answers.

Existing proposals are numbered 1, 2, 3 … in each consultation by the order
they were submitted in (``created_at``, then ``id``), withdrawn and hidden
ones included: they keep their number like every later one.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def number_existing(apps, schema_editor):
    Proposal = apps.get_model("consultations", "Proposal")
    numbers: dict[int, int] = {}
    changed = []
    for proposal in Proposal.objects.order_by("consultation_id", "created_at", "id").only(
        "pk", "consultation_id"
    ):
        numbers[proposal.consultation_id] = numbers.get(proposal.consultation_id, 0) + 1
        proposal.public_number = numbers[proposal.consultation_id]
        changed.append(proposal)
    Proposal.objects.bulk_update(changed, ["public_number"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0003_proposal_revisions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="public_number",
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name="number"),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="proposal",
            name="public_number",
            field=models.PositiveIntegerField(editable=False, verbose_name="number"),
        ),
        migrations.AddConstraint(
            model_name="proposal",
            constraint=models.UniqueConstraint(
                fields=("consultation", "public_number"), name="proposal_number_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="proposal",
            constraint=models.CheckConstraint(
                condition=models.Q(("public_number__gte", 1)), name="proposal_number_positive"
            ),
        ),
        migrations.CreateModel(
            name="AnswerLetterOptOut",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="since")),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="resident",
                    ),
                ),
            ],
            options={
                "verbose_name": "refusal of answer letters",
                "verbose_name_plural": "refusals of answer letters",
            },
        ),
    ]
