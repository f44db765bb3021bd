"""HTML (Jinja, templates/reports/) to PDF/UA-1 with weasyprint; fonts are embedded."""

from flask import render_template

PDF_VARIANT = "pdf/ua-1"


def render_pdf(template: str, **context) -> bytes:
    """Render ``template`` and write it as a tagged, accessible PDF (PDF/UA-1)."""
    from weasyprint import HTML  # ~1 s to import: only when a PDF is built

    html = render_template(template, **context)
    return HTML(string=html, base_url=".").write_pdf(pdf_variant=PDF_VARIANT)
