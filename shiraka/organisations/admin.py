from django.contrib import admin

from shiraka.core.admin import ReadOnlyAdmin

from .models import Organisation, Person


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name_ar", "name_fr", "kind", "region", "province"]
    list_filter = ["kind", "region"]
    search_fields = ["name_ar", "name_fr", "name_en", "acronym", "reference_code"]
    autocomplete_fields = ["region", "province", "commune", "parent"]
    list_select_related = ["region", "province"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["full_name_ar", "full_name_fr", "title_ar", "organisation"]
    search_fields = ["full_name_ar", "full_name_fr", "title_ar", "title_fr"]
    autocomplete_fields = ["organisation"]
