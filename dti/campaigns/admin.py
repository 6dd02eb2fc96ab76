from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from dti.audit.admin_trail import AuditedAdmin, snapshot
from dti.methodologies.services import freeze

from . import services
from .models import FRAMEWORK_LOCKED_MESSAGE, Campaign, CampaignStep, Extension
from .selectors import framework_locked


class CampaignAdminForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = "__all__"

    def clean_framework(self):
        framework = self.cleaned_data["framework"]
        if self.instance.pk and framework.pk != self.initial.get("framework") and framework_locked(self.instance.pk):
            raise ValidationError(FRAMEWORK_LOCKED_MESSAGE)
        return framework


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    form = CampaignAdminForm
    list_display = ("name", "year", "framework", "entry_deadline", "review_deadline", "results_published_at")
    readonly_fields = ("scores_version",)

    def audit_context(self, obj):
        return {"campaign_id": obj.pk}

    def save_model(self, request, obj, form, change):
        if change and "framework" in form.changed_data:
            # Through the service: it re-checks under the campaign's row lock, freezes the new
            # version and invalidates cached scores.  The form check above cannot see a unit
            # saving its first value after the page was validated; this one does.
            current = Campaign.objects.get(pk=obj.pk)
            request._dti_audit_before = snapshot(current)
            try:
                services.change_framework(current, obj.framework, user=request.user)
            except ValidationError as exc:
                obj.framework = current.framework
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
        super().save_model(request, obj, form, change)
        if not change:
            freeze(obj.framework, user=request.user)  # as create_campaign does: a used version is fixed


@admin.register(Extension)
class ExtensionAdmin(AuditedAdmin):
    list_display = ("campaign", "unit", "new_deadline", "granted_by", "granted_at")

    def audit_context(self, obj):
        return {"campaign_id": obj.campaign_id, "unit_code": obj.unit.code if obj.unit_id else ""}


@admin.register(CampaignStep)
class CampaignStepAdmin(AuditedAdmin):
    """A step's date moved for one campaign (the framework's calendar gave the default)."""

    list_display = ("campaign", "name", "due")
    list_filter = ("step",)

    def audit_context(self, obj):
        return {"campaign_id": obj.campaign_id}
