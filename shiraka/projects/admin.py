from django.contrib import admin

from shiraka.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Contract, Milestone, Payment, ProgressPhoto, ProgressUpdate, Project, ProjectFunding


class MilestoneInline(ReadOnlyInline):
    model = Milestone


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title_ar", "category", "status", "budget", "physical_progress", "province"]
    list_filter = ["status", "category", "region"]
    search_fields = ["reference", "title_ar", "title_fr", "agreement__reference"]
    autocomplete_fields = [
        "agreement",
        "facility_type",
        "region",
        "province",
        "communes",
        "owner",
        "delegated_owner",
    ]
    list_select_related = ["province"]
    inlines = [MilestoneInline]


@admin.register(ProjectFunding)
class ProjectFundingAdmin(ReadOnlyAdmin):
    list_display = ["project", "organisation", "amount"]
    search_fields = ["project__reference", "organisation__name_ar", "organisation__name_fr"]
    raw_id_fields = ["project", "organisation"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["project", "kind", "planned_on", "achieved_on"]
    list_filter = ["kind"]
    search_fields = ["project__reference", "project__title_ar", "project__title_fr", "note"]
    raw_id_fields = ["project"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    list_display = ["project", "reported_on", "physical_progress", "author"]
    search_fields = ["project__reference", "note"]
    raw_id_fields = ["project", "author"]


@admin.register(ProgressPhoto)
class ProgressPhotoAdmin(ReadOnlyAdmin):
    list_display = ["update", "caption"]
    search_fields = ["caption", "update__project__reference"]
    raw_id_fields = ["update"]


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["project", "kind", "reference", "contractor_name", "amount", "signed_on"]
    list_filter = ["kind"]
    search_fields = ["reference", "contractor_name", "project__reference"]
    raw_id_fields = ["project", "contractor"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["contract", "paid_on", "amount", "reference"]
    search_fields = ["reference", "contract__reference", "contract__project__reference"]
    raw_id_fields = ["contract"]
