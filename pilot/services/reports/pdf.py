"""HTML (Jinja, templates/reports/) to PDF/UA-1 with weasyprint; fonts are embedded."""

from flask import render_template
from weasyprint import HTML

PDF_VARIANT = "pdf/ua-1"


def render_pdf(template: str, **context) -> bytes:
    """Render ``template`` and write it as a tagged, accessible PDF (PDF/UA-1)."""
    html = render_template(template, **context)
    return HTML(string=html, base_url=".").write_pdf(pdf_variant=PDF_VARIANT)
