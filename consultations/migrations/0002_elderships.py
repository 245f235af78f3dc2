"""Kaunas District Municipality's 25 elderships (seniūnijos), as data.

The list is the municipality's own (krs.lt, "Seniūnijos"), in its
alphabetical order. Another municipality replaces the rows in the admin.
Running the migration again adds nothing twice; reversing it removes only the
rows no proposal names.
"""

from django.db import migrations

KAUNAS_DISTRICT_ELDERSHIPS = [
    "Akademijos",
    "Alšėnų",
    "Babtų",
    "Batniavos",
    "Čekiškės",
    "Domeikavos",
    "Ežerėlio",
    "Garliavos",
    "Garliavos apylinkių",
    "Kačerginės",
    "Karmėlavos",
    "Kulautuvos",
    "Lapių",
    "Linksmakalnio",
    "Neveronių",
    "Raudondvario",
    "Ringaudų",
    "Rokų",
    "Samylų",
    "Taurakiemio",
    "Užliedžių",
    "Vandžiogalos",
    "Vilkijos",
    "Vilkijos apylinkių",
    "Zapyškio",
]


def names():
    return [f"{name} seniūnija" for name in KAUNAS_DISTRICT_ELDERSHIPS]


def add_elderships(apps, schema_editor):
    Eldership = apps.get_model("consultations", "Eldership")
    for position, name in enumerate(names(), start=1):
        Eldership.objects.get_or_create(name=name, defaults={"position": position})


def remove_elderships(apps, schema_editor):
    Eldership = apps.get_model("consultations", "Eldership")
    Eldership.objects.filter(name__in=names(), proposals__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(add_elderships, remove_elderships)]
