from django.contrib import admin

from shiraka.core.admin import ReadOnlyAdmin

from .models import ApiToken, Membership


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    # Roles and scopes are given on the Users pages, where who may grant what is checked.
    list_display = ["user", "organisation", "role", "region", "province", "programme"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "organisation__name_ar", "organisation__name_fr"]
    autocomplete_fields = ["organisation", "region", "province", "programme"]
    raw_id_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    # Only the digest is stored: an administrator sees who holds which token, never the token itself.
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "user__username"]
    exclude = ["digest"]
