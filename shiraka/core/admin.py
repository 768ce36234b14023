"""The Django admin is a window on the data, not a door into it: domain records are read only there,
because its forms skip every rule of the services (DESIGN.md §3). Records are changed in the app, where
each write goes through a service with its checks, its version and its history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


class NoWrites:
    """No add, change or delete, for a model admin and its inlines alike."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, SimpleHistoryAdmin):
    """Lists, search, detail and history; no add, change, delete, bulk action or history revert."""

    def get_actions(self, request):
        return {}


class ReadOnlyInline(NoWrites, admin.TabularInline):
    extra = 0
    can_delete = False
