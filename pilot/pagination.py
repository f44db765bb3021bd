"""One pagination helper for every list view."""

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from pilot.extensions import db

MAX_PAGE = 100_000  # beyond this a page number is nonsense; it would overflow OFFSET


def paginate(query: Select) -> Pagination:
    """Paginate a select with ``?pagina=N``; out-of-range pages give an empty page, not 404."""
    page = min(request.args.get("pagina", 1, type=int) or 1, MAX_PAGE)
    return db.paginate(
        query,
        page=max(page, 1),
        per_page=current_app.config["PILOT_PAGE_SIZE"],
        error_out=False,
    )
