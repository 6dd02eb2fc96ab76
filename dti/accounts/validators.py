from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.utils.translation import gettext as _


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    """Django's, with its message in Vietnamese: Django 5.2 changed the message and its
    Vietnamese catalogue has not caught up, so it would show in English."""

    def get_error_message(self):
        return _("Mật khẩu quá ngắn: cần ít nhất %(n)d ký tự.") % {"n": self.min_length}

    def get_help_text(self):
        return _("Mật khẩu cần ít nhất %(n)d ký tự.") % {"n": self.min_length}
