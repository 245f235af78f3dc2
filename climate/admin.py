"""Admin of the climate data (superusers). Staff edit everything on the
/staff/climate/ pages, which go through the services; here the reference data
(factor library, national factors) can also be corrected."""

from django.contrib import admin

from .models import EmissionFactor, Inventory, NationalElectricityFactor, SeapMeasure


@admin.register(EmissionFactor)
class EmissionFactorAdmin(admin.ModelAdmin):
    list_display = ("carrier", "approach", "value", "source")
    list_filter = ("approach",)


@admin.register(NationalElectricityFactor)
class NationalElectricityFactorAdmin(admin.ModelAdmin):
    list_display = ("year", "approach", "value", "source")


@admin.register(Inventory)
class InventoryAdmin(admin.ModelAdmin):
    list_display = ("kind", "year", "population", "approach")


@admin.register(SeapMeasure)
class SeapMeasureAdmin(admin.ModelAdmin):
    list_display = ("title", "sector", "start_year", "end_year", "co2_reduction_t")
    list_filter = ("sector",)
