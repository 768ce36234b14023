from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "region", "province", "programme"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "organisation__name_ar", "organisation__name_fr"]
    autocomplete_fields = ["organisation", "region", "province", "programme"]
    raw_id_fields = ["user"]
