from django.contrib import admin

from shiraka.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Attendance, Committee, CommitteeMember, Decision, Meeting


class CommitteeMemberInline(ReadOnlyInline):
    model = CommitteeMember
    autocomplete_fields = ["organisation", "person"]


@admin.register(Committee)
class CommitteeAdmin(ReadOnlyAdmin):
    list_display = ["name_ar", "name_fr", "kind", "province", "chair"]
    list_filter = ["kind", "region"]
    search_fields = ["name_ar", "name_fr", "chair_role"]
    autocomplete_fields = ["region", "province", "chair", "agreements"]
    inlines = [CommitteeMemberInline]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ReadOnlyAdmin):
    list_display = ["committee", "organisation", "person", "role"]
    search_fields = [
        "committee__name_ar",
        "committee__name_fr",
        "organisation__name_ar",
        "organisation__name_fr",
        "person__full_name_ar",
        "role",
    ]
    autocomplete_fields = ["committee", "organisation", "person"]


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    autocomplete_fields = ["organisation", "person"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["committee", "held_on", "place"]
    search_fields = ["committee__name_ar", "committee__name_fr", "place", "agenda", "minutes"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["committee"]
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "organisation", "person", "present"]
    search_fields = ["organisation__name_ar", "organisation__name_fr", "person__full_name_ar"]
    raw_id_fields = ["meeting", "organisation", "person"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["committee", "text", "responsible", "due_on", "status"]
    list_filter = ["status"]
    search_fields = ["text", "committee__name_ar", "committee__name_fr"]
    raw_id_fields = ["committee", "meeting", "agreement", "project", "responsible"]
