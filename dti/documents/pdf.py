"""PDF from a Django template with WeasyPrint: print CSS, A4, no network access."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string

from .blocks import Block
from .meta import DocumentMeta


def render_pdf(template_name: str, context: dict) -> bytes:
    """The template rendered to PDF. Only ``data:`` URLs are fetched: no file or network access
    from a document (its text may include what users typed), so styles and images are inline."""
    from weasyprint import HTML  # imported here: loading pango costs ~0,3 s, only when a PDF is made
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, context)
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher, base_url="data:,").write_pdf()


def render_official_pdf(meta: DocumentMeta, blocks: Sequence[Block], *, landscape: bool = False) -> bytes:
    """An administrative document whose body is ``blocks`` (see blocks.py)."""
    return render_pdf("documents/official.html", {"meta": meta, "blocks": blocks, "landscape": landscape})
