from django import template

from dti.documents.blocks import Figure, Heading, Paragraph, Table

register = template.Library()

_TEMPLATES = {Heading: "documents/_heading.html", Paragraph: "documents/_paragraph.html",
              Table: "documents/_table.html", Figure: "documents/_figure.html"}


@register.filter
def block_template(block) -> str:
    return _TEMPLATES[type(block)]


@register.filter
def percent_widths(widths) -> list[str]:
    total = sum(widths) or 1
    return [f"{100 * w / total:.2f}" for w in widths]
