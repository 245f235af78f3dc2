"""factory_boy factories for the whole portal."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from planportal.roles import COUNCIL_GROUP, STAFF_GROUP
from plans.models import (
    FundingLine,
    FundingSource,
    Goal,
    Indicator,
    IndicatorKind,
    IndicatorTarget,
    Measure,
    Plan,
    PlanVersion,
    Priority,
    Task,
    Unit,
    VersionStatus,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.lt")
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        if create and extracted in {"staff", "council"}:
            name = STAFF_GROUP if extracted == "staff" else COUNCIL_GROUP
            self.groups.add(Group.objects.get_or_create(name=name)[0])


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Skyrius {n}")


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n}")
    name = factory.LazyAttribute(lambda s: f"Šaltinis {s.code}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Strateginis plėtros planas {n}")
    municipality = "Kauno rajono savivaldybė"
    period_start = 2013
    period_end = 2020


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanVersion

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = VersionStatus.DRAFT
    vision = "Išugdyta kūrybiška, demokratinė, lygiateisė, laisva ir atvira visuomenė."
    # As plans.services.version_create_draft does: a version on its way to
    # approval is copied from the version in force (none: made empty).
    based_on = factory.LazyAttribute(
        lambda o: (
            PlanVersion.objects.in_force_for(o.plan)
            if o.status
            in (VersionStatus.DRAFT, VersionStatus.CONSULTATION, VersionStatus.COUNCIL_REVIEW)
            else None
        )
    )


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    version = factory.SubFactory(VersionFactory)
    title = factory.Sequence(lambda n: f"Prioritetas {n}")
    position = factory.Sequence(lambda n: n + 1)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    priority = factory.SubFactory(PriorityFactory)
    version = factory.SelfAttribute("priority.version")
    title = factory.Sequence(lambda n: f"Tikslas {n}")
    position = factory.Sequence(lambda n: n + 1)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    goal = factory.SubFactory(GoalFactory)
    version = factory.SelfAttribute("goal.version")
    title = factory.Sequence(lambda n: f"Uždavinys {n}")
    position = factory.Sequence(lambda n: n + 1)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    task = factory.SubFactory(TaskFactory)
    version = factory.SelfAttribute("task.version")
    title = factory.Sequence(lambda n: f"Priemonė {n}")
    position = factory.Sequence(lambda n: n + 1)
    responsible_unit = factory.SubFactory(UnitFactory)
    start_year = 2014
    end_year = 2020


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    measure = factory.SubFactory(MeasureFactory)
    version = factory.SelfAttribute("measure.version")
    kind = IndicatorKind.OUTPUT
    name = factory.Sequence(lambda n: f"Rodiklis {n}")
    unit = "vnt."
    baseline_value = Decimal("0")
    baseline_year = 2013


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2020
    value = Decimal("40")


class FundingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingLine

    measure = factory.SubFactory(MeasureFactory)
    year = 2015
    source = factory.SubFactory(FundingSourceFactory)
    amount = Decimal("10000.00")
