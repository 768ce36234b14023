from django.contrib import admin

from shiraka.core.admin import ReadOnlyAdmin

from .models import Commune, HealthFacilityType, Province, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_ar", "name_fr", "population_2024"]
    search_fields = ["code", "name_ar", "name_fr", "name_en"]


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_ar", "name_fr", "kind", "region", "population_2024"]
    list_filter = ["kind", "region"]
    search_fields = ["code", "name_ar", "name_fr"]


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_ar", "name_fr", "kind", "province", "population_2024"]
    list_filter = ["kind", "province__region"]
    search_fields = ["code", "name_ar", "name_fr"]
    list_select_related = ["province"]


@admin.register(HealthFacilityType)
class HealthFacilityTypeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_ar", "name_fr", "network"]
    search_fields = ["code", "name_ar", "name_fr", "name_en"]
