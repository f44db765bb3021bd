"""HTML (Jinja, templates/reports/) to PDF/UA-1 with weasyprint; fonts are embedded."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from flask import render_template
from weasyprint import HTML

PDF_VARIANT = "pdf/ua-1"


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one report build.

    Building a report allocates hundreds of thousands of short-lived objects (layout boxes,
    SVG nodes, result rows); each allocation burst triggers collections that walk the whole
    heap of the app, which cost about a fifth of the build time. Reference counting frees
    almost everything anyway; the few cycles go with the next collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(template: str, **context) -> bytes:
    """Render ``template`` and write it as a tagged, accessible PDF (PDF/UA-1)."""
    html = render_template(template, **context)
    return HTML(string=html, base_url=".").write_pdf(pdf_variant=PDF_VARIANT)
