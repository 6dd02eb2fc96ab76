from django.contrib import admin

from .models import Campaign, Extension


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "framework", "entry_deadline", "review_deadline", "results_published_at")
    readonly_fields = ("scores_version",)


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ("campaign", "unit", "new_deadline", "granted_by", "granted_at")
