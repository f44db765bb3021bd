"""HTML (Jinja, templates/reports/) to PDF/UA-1 with weasyprint; fonts are embedded; the
structure tree is repaired where weasyprint leaves PDF/UA defects (``tagging.py``)."""

from flask import render_template

PDF_VARIANT = "pdf/ua-1"


def render_pdf(template: str, **context) -> bytes:
    """Render ``template`` and write it as a tagged, accessible PDF (PDF/UA-1)."""
    from weasyprint import HTML  # ~1 s to import: only when a PDF is built

    from pilot.services.jobs.progress import step
    from pilot.services.reports.tagging import fix_structure  # pikepdf

    html = render_template(template, **context)
    step("pagina's opmaken")
    document = HTML(string=html, base_url=".").render(pdf_variant=PDF_VARIANT)
    pages = len(document.pages)
    step("pagina's opgemaakt, PDF schrijven", pages, pages, "pagina's")
    return fix_structure(document.write_pdf(pdf_variant=PDF_VARIANT))
