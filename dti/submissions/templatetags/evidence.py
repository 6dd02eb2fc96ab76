from django import template

from dti.submissions.signatures import signature_lines as _lines

register = template.Library()


@register.filter
def signature_lines(evidence, signed_asked=False):
    """[(css class, sentence)] about a file's digital signatures (see submissions/signatures.py)."""
    return _lines(evidence, signed_asked=bool(signed_asked))
