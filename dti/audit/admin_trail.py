"""Every change made through the Django admin goes into the audit trail.

Done with ModelAdmin hooks rather than a signal on Django's own ``LogEntry``: the hooks see
the row as it was before the change (``LogEntry`` keeps only the names of changed fields),
they run inside the admin's transaction (the event commits or rolls back with the change),
and they see bulk deletes from the list page's action, which a per-object signal would
need to reconstruct.  One event per changed field, with old and new values as shown.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from .services import record

# Never copied into the trail.
SECRET_FIELDS = {"password"}
# Bookkeeping the admin does not set by hand.
NOISE_FIELDS = {"last_login", "updated_at", "created_at", "date_joined", "scores_version"}


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return f"{value} (#{value.pk})"
    if isinstance(value, bool):
        return "có" if value else "không"
    if hasattr(value, "strftime"):
        return value.isoformat()
    return str(value)


def snapshot(obj: models.Model) -> dict[str, str]:
    """The object's fields as text, many-to-many included (read from the database)."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS or field.name in NOISE_FIELDS or field.primary_key:
            continue
        values[field.name] = _shown(getattr(obj, field.name))
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            values[field.name] = ", ".join(sorted(_shown(o) for o in getattr(obj, field.name).all()))
    return values


class AuditedAdmin(admin.ModelAdmin):
    """Records ``admin.<model>.create|update|delete`` for every add, change and delete."""

    def audit_context(self, obj) -> dict:
        """Extra columns for the trail (campaign_id, unit_code) so the event shows where it belongs."""
        return {}

    def _action(self, obj, verb: str) -> str:
        return f"admin.{obj._meta.model_name}.{verb}"

    def save_model(self, request, obj, form, change):
        if change and not hasattr(request, "_dti_audit_before"):  # a subclass may have taken it earlier
            before = type(obj)._default_manager.filter(pk=obj.pk).first()
            request._dti_audit_before = snapshot(before) if before is not None else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # After save_model and the many-to-many fields: the object is complete here.
        super().save_related(request, form, formsets, change)
        obj = form.instance
        after = snapshot(obj)
        context = self.audit_context(obj)
        if not change:
            summary = "; ".join(f"{k}={v}" for k, v in after.items() if v)
            record(request.user, self._action(obj, "create"), obj, new=summary, **context)
            return
        before = getattr(request, "_dti_audit_before", {})
        for name, new in after.items():
            old = before.get(name, "")
            if old != new:
                record(request.user, self._action(obj, "update"), obj, field=name, old=old, new=new, **context)

    def delete_model(self, request, obj):
        self._record_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._record_delete(request, obj)
        super().delete_queryset(request, queryset)

    def _record_delete(self, request, obj):
        summary = "; ".join(f"{k}={v}" for k, v in snapshot(obj).items() if v)
        record(request.user, self._action(obj, "delete"), obj, old=summary, **self.audit_context(obj))
