from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy

from dti.site.text import text_error

# Longer passwords are no safer and cost hashing time on every sign-in attempt.
PASSWORD_MAX = 128


def _plain_password(value: str) -> None:
    # Checked as typed (a password is never trimmed or normalised): NUL, control characters, length.
    error = text_error(value, max_length=PASSWORD_MAX, multiline=False)
    if error:
        raise ValidationError(error)


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's form (old password, new one twice, the password validators) with our text checks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # Our check says the same about NUL, in Vietnamese, beside the field.
            field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
            field.validators.append(_plain_password)


class OwnSetPasswordForm(SetPasswordForm):
    """The set-password link's form (new password twice, the validators) with the same text checks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
            field.validators.append(_plain_password)


# --------------------------------------------------------------------------- people management

class PersonForm(forms.Form):
    """A person's identity; the checks are the service's (``check_person_fields``), shown beside each field."""

    full_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=200, strip=False)
    email = forms.CharField(label=gettext_lazy("Thư điện tử"), required=False, max_length=300, strip=False)
    username = forms.CharField(label=gettext_lazy("Tên đăng nhập"), max_length=200, strip=False,
                               help_text=gettext_lazy("Chữ không dấu, số và . _ @ + - (ví dụ bientap.so-tttt)"))

    def __init__(self, *args, with_username: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_username:
            del self.fields["username"]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class RoleForm(forms.Form):
    """A role over a unit the administrator manages; the unit may be empty only where the role allows it."""

    role = forms.ChoiceField(label=gettext_lazy("Vai trò"))
    unit = UnitChoiceField(label=gettext_lazy("Đơn vị"), queryset=None, required=False,
                           empty_label=gettext_lazy("— mọi đơn vị —"))
    include_subtree = forms.BooleanField(label=gettext_lazy("gồm các đơn vị trực thuộc"), required=False)
    campaign: forms.ModelChoiceField = forms.ModelChoiceField(label=gettext_lazy("Đợt đánh giá (chỉ cho cán bộ thẩm định)"), queryset=None,
                                      required=False, empty_label=gettext_lazy("— mọi đợt —"))

    def __init__(self, *args, access, **kwargs):
        from dti.campaigns.selectors import campaigns_visible

        from .selectors import grantable_roles, manageable_units

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = grantable_roles(access)
        self.fields["unit"].queryset = manageable_units(access)
        self.fields["campaign"].queryset = campaigns_visible(access)
        if not access.is_global_admin:
            self.fields["unit"].required = True
            self.fields["unit"].empty_label = None


class PeopleImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp danh sách người dùng (.xlsx hoặc .csv)"))
