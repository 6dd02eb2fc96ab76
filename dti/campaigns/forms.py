from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from dti.methodologies.models import FrameworkVersion
from dti.organisations.models import Level, Unit
from dti.organisations.selectors import choices_in_name_order
from dti.site.text import VALUE_MAX, text_error

from .models import Campaign

NAME_MAX = 300  # Campaign.name


def _plain_text(label, *, max_length: int, multiline: bool = False, widget=None) -> forms.CharField:
    """A text field checked by dti.site.text: NUL, control characters and length get one
    Vietnamese message each (Django's own say the first in English, the last in a second wording)."""
    field = forms.CharField(label=label, widget=widget)
    field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def check(value):
        error = text_error(value, max_length=max_length, multiline=multiline)
        if error:
            raise ValidationError(error)

    field.validators.append(check)
    field.widget.attrs.setdefault("maxlength", str(max_length))
    return field


class DateInput(forms.DateInput):
    def __init__(self, **kwargs):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}, format="%d/%m/%Y", **kwargs)


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=DateInput(),
                           error_messages={"invalid": _("Ngày không hợp lệ (dd/mm/yyyy)")})


class CampaignForm(forms.Form):
    name = _plain_text(_("Tên đợt đánh giá"), max_length=NAME_MAX)
    framework = forms.ModelChoiceField(label=_("Bộ chỉ số"), queryset=FrameworkVersion.objects.all())
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=2000, max_value=2100,
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    # Left empty: the framework's calendar for the year (when it has one).
    period_start = _date(_("Số liệu từ ngày"), required=False)
    period_end = _date(_("Số liệu đến ngày"), required=False)
    entry_deadline = _date(_("Hạn nhập liệu, gửi hồ sơ"), required=False)
    review_deadline = _date(_("Hạn thẩm định"), required=False)
    approval_date = _date(_("Ngày phê duyệt (dự kiến)"), required=False)
    publication_date = _date(_("Ngày công bố (dự kiến)"), required=False)
    lead_unit = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=Unit.objects.all(), required=False)
    previous = forms.ModelChoiceField(label=_("Đợt trước (để so sánh, tính tăng trưởng)"), queryset=Campaign.objects.all(),
                                      required=False)
    levels = forms.MultipleChoiceField(label=_("Đưa vào tất cả đơn vị thuộc các cấp"), required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].choices = [(lv.code, lv.name) for lv in Level.objects.all()]
        for name in ("period_start", "period_end", "entry_deadline", "review_deadline", "approval_date",
                     "publication_date"):
            self.fields[name].help_text = _("Để trống: theo lịch của bộ chỉ số (nếu bộ chỉ số có lịch)")


class CalendarForm(forms.Form):
    period_start = _date(_("Số liệu từ ngày"))
    period_end = _date(_("Số liệu đến ngày"))
    entry_deadline = _date(_("Hạn nhập liệu, gửi hồ sơ"))
    review_deadline = _date(_("Hạn thẩm định"))
    approval_date = _date(_("Ngày phê duyệt"), required=False)
    publication_date = _date(_("Ngày công bố"), required=False)


class ExtensionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    new_deadline = _date(_("Hạn mới"))
    reason = _plain_text(_("Lý do"), max_length=VALUE_MAX, multiline=True, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["unit"].queryset = Unit.objects.filter(submissions__campaign=campaign).order_by("path")
            choices_in_name_order(self.fields["unit"])


class AddUnitsForm(forms.Form):
    units = forms.ModelMultipleChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none(),
                                           widget=forms.SelectMultiple(attrs={"size": 12}))

    def __init__(self, *args, campaign=None, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["units"].queryset = (
                Unit.objects.filter(level_id__in=levels).exclude(submissions__campaign=campaign).order_by("path")
            )
            choices_in_name_order(self.fields["units"])
