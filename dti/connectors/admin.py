from django.contrib import admin

from .models import Fetch, Source


class FetchInline(admin.TabularInline):
    model = Fetch
    extra = 0
    can_delete = False
    readonly_fields = ["started_at", "finished_at", "ok", "error", "rows", "changed", "skipped"]
    ordering = ["-started_at"]
    max_num = 0


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["platform", "campaign", "mode", "format", "every_minutes", "active", "last_fetch_at"]
    list_filter = ["mode", "active", "campaign"]
    inlines = [FetchInline]
