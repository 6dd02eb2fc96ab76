from __future__ import annotations

from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

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
