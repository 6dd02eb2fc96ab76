from django.contrib import admin

from .models import FrameworkVersion


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ("code", "revision", "version", "year", "frozen", "created_at")
    readonly_fields = ("code", "revision", "version", "name", "year", "document", "yaml_text", "sha256", "frozen",
                       "derived_from", "created_by")

    def has_add_permission(self, request):
        return False  # through the application: validated, audited
