from django.contrib import admin

from .models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "include_subtree", "campaign")
    list_filter = ("role", "campaign")
    search_fields = ("user__username", "unit__code", "unit__name")
    autocomplete_fields = ("unit", "units", "user")
