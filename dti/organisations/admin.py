from django.contrib import admin

from .models import Level, Unit


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "order")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "ranking_group")
    list_filter = ("level",)
    search_fields = ("code", "name")
    readonly_fields = ("path",)
    autocomplete_fields = ("parent",)

    def save_model(self, request, obj, form, change):
        from .services import _path

        obj.path = _path(obj.code, obj.parent)
        super().save_model(request, obj, form, change)
