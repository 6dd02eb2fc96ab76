from django.contrib import admin

from dti.audit.admin_trail import AuditedAdmin

from .models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("user", "role", "unit", "include_subtree", "campaign")
    list_filter = ("role", "campaign")
    search_fields = ("user__username", "unit__code", "unit__name")
    autocomplete_fields = ("unit", "units", "user")

    def audit_context(self, obj):
        return {"campaign_id": obj.campaign_id, "unit_code": obj.unit.code if obj.unit_id else ""}
