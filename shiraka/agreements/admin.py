from django.contrib import admin

from shiraka.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Agreement,
    Partnership,
    Programme,
    ScheduledContribution,
    Signatory,
    SigningAttendee,
    Transfer,
)


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_ar", "name_fr", "kind", "start_year", "end_year"]
    list_filter = ["kind"]
    search_fields = ["code", "name_ar", "name_fr"]


class SignatoryInline(ReadOnlyInline):
    model = Signatory
    autocomplete_fields = ["person", "organisation"]


class PartnershipInline(ReadOnlyInline):
    model = Partnership
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "committed_amount", *Partnership.ROLE_FIELDS, "commitment_source"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "title_ar",
        "kind",
        "status",
        "signed_on",
        "total_amount",
        "region",
        "province",
    ]
    list_filter = ["status", "kind", "is_published", "region", "programme"]
    search_fields = ["reference", "title_ar", "title_fr", "object_ar", "object_fr"]
    date_hierarchy = "signed_on"
    autocomplete_fields = ["parent", "programme", "region", "province"]
    list_select_related = ["region", "province"]
    inlines = [PartnershipInline, SignatoryInline]


@admin.register(SigningAttendee)
class SigningAttendeeAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "description", "organisation"]
    search_fields = ["description", "agreement__reference"]
    autocomplete_fields = ["agreement", "organisation"]


@admin.register(Signatory)
class SignatoryAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "person", "role", "presided"]
    search_fields = ["agreement__reference", "person__full_name_ar", "person__full_name_fr", "role"]
    autocomplete_fields = ["agreement", "person", "organisation"]


@admin.register(Partnership)
class PartnershipAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "organisation", "committed_amount", "is_funder"]
    list_filter = ["is_funder", "is_project_owner", "is_delegated_owner", "organisation__kind"]
    search_fields = ["agreement__reference", "organisation__name_ar", "organisation__name_fr"]
    autocomplete_fields = ["agreement", "organisation"]
    list_select_related = ["agreement", "organisation"]


# Schedule lines and transfers are found by their agreement and partner.
PARTNER_SEARCH = [
    "partnership__agreement__reference",
    "partnership__organisation__name_fr",
    "partnership__organisation__name_ar",
]


class PartnerMoneyAdmin(ReadOnlyAdmin):
    """Schedule lines and transfers, listed with their agreement and partner."""

    list_select_related = ["partnership__agreement", "partnership__organisation"]


@admin.register(ScheduledContribution)
class ScheduledContributionAdmin(PartnerMoneyAdmin):
    list_display = ["partnership", "due_on", "amount"]
    search_fields = [*PARTNER_SEARCH, "note"]
    date_hierarchy = "due_on"
    raw_id_fields = ["partnership"]


@admin.register(Transfer)
class TransferAdmin(PartnerMoneyAdmin):
    list_display = ["partnership", "transferred_on", "amount", "reference"]
    search_fields = ["reference", *PARTNER_SEARCH]
    date_hierarchy = "transferred_on"
    raw_id_fields = ["partnership", "recorded_by"]
