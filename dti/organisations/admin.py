from django.contrib import admin

from dti.audit.admin_trail import AuditedAdmin, snapshot

from .models import Level, Unit


@admin.register(Level)
class LevelAdmin(AuditedAdmin):
    list_display = ("code", "name", "order")


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "parent", "ranking_group")
    list_filter = ("level",)
    search_fields = ("code", "name")
    readonly_fields = ("path",)
    autocomplete_fields = ("parent",)

    def get_readonly_fields(self, request, obj=None):
        # The code names the unit in URLs, data files and the audit trail: fixed once created.
        return ("path", "code") if obj is not None else ("path",)

    def audit_context(self, obj):
        return {"unit_code": obj.code}

    def save_model(self, request, obj, form, change):
        from .services import _path, update_unit

        if change:
            request._dti_audit_before = snapshot(Unit.objects.get(pk=obj.pk))
            current = Unit.objects.get(pk=obj.pk)
            current.active = obj.active
            update_unit(current, name=obj.name, level=obj.level_id, parent=obj.parent, ranking_group=obj.ranking_group,
                        user=request.user)
            obj.path = current.path
        else:
            obj.path = _path(obj.code, obj.parent)
            super().save_model(request, obj, form, change)
