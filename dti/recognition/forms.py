from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dti.campaigns.forms import _date, _plain_text
from dti.organisations.models import Unit
from dti.site.text import VALUE_MAX


class RegistrationForm(forms.Form):
    target_level = forms.TypedChoiceField(label=_("Mức độ đăng ký"), coerce=int)
    note = _plain_text(_("Ghi chú"), max_length=VALUE_MAX, multiline=True, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_level"].choices = [(lv, f"{lv} - {name}") for lv, name in levels]
        self.fields["note"].required = False


class ExtensionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    new_deadline = _date(_("Hạn đăng ký mới"))
    reason = _plain_text(_("Lý do"), max_length=VALUE_MAX, multiline=True, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["unit"].queryset = Unit.objects.filter(submissions__campaign=campaign).order_by("path")


class CouncilForm(forms.Form):
    name = _plain_text(_("Tên hội đồng"), max_length=300)
    chair: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Chủ tịch hội đồng"), queryset=None)
    secretary: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Thư ký"), queryset=None)
    members: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Thành viên"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("chair", "secretary", "members"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


class AssignForm(forms.Form):
    units = forms.ModelMultipleChoiceField(label=_("Hồ sơ của các đơn vị"), queryset=Unit.objects.none(),
                                           widget=forms.SelectMultiple(attrs={"size": 10}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["units"].queryset = units


class DecisionForm(forms.Form):
    issuer = _plain_text(_("Cơ quan ban hành"), max_length=300)
    signer = _plain_text(_("Người ký"), max_length=200)
    level = forms.ChoiceField(label=_("Cấp đơn vị được công nhận"), required=False)
    within = forms.ModelChoiceField(label=_("Chỉ các đơn vị trực thuộc"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, levels=(), campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["within"].queryset = Unit.objects.filter(submissions__campaign=campaign,
                                                                 level_id="huyen").order_by("path")
        self.fields["signer"].required = False
        self.fields["level"].choices = [("", _("Mọi cấp"))] + list(levels)


class FillDecisionForm(forms.Form):
    number = _plain_text(_("Số quyết định"), max_length=50)
    signed_on = _date(_("Ngày ký"), required=False)
    signed_pdf = forms.FileField(label=_("Bản có chữ ký (PDF)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
