"""HTML (Jinja, templates/reports/) to PDF/UA-1 with weasyprint; fonts are embedded; the
structure tree is repaired where weasyprint leaves PDF/UA defects (``tagging.py``)."""

from flask import render_template
from weasyprint import HTML

from pilot.services.reports.tagging import fix_structure

PDF_VARIANT = "pdf/ua-1"


def render_pdf(template: str, **context) -> bytes:
    """Render ``template`` and write it as a tagged, accessible PDF (PDF/UA-1)."""
    html = render_template(template, **context)
    return fix_structure(HTML(string=html, base_url=".").write_pdf(pdf_variant=PDF_VARIANT))
