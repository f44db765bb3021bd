"""Audit trail for the beheerder: filters, pagination, and the hash-chain check."""

from flask import Blueprint, render_template, request

from pilot.access import requires
from pilot.audit import search
from pilot.audit_chain import verify
from pilot.audittrail.forms import SearchForm
from pilot.extensions import db
from pilot.models import Gemeente, Rol
from pilot.pagination import paginate
from pilot.services.gemeenten import all_gemeenten
from pilot.users.forms import gemeente_choices

bp = Blueprint("audittrail", __name__, url_prefix="/beheer/audittrail")


@bp.route("")
@requires(Rol.BEHEERDER)
def search_events():
    """Search the trail (who, what, when, gemeente, record), newest first."""
    form = SearchForm(request.args)
    gemeenten = list(db.session.execute(all_gemeenten()).scalars())
    form.gemeente.choices = gemeente_choices(gemeenten)
    filters = form.data if form.validate() else {}
    gemeente = next((g for g in gemeenten if g.cbs_code == filters.get("gemeente")), None)
    query = search(
        wie=filters.get("wie") or "",
        actie=filters.get("actie") or "",
        van=filters.get("van"),
        tot=filters.get("tot"),
        gemeente_id=gemeente.id if isinstance(gemeente, Gemeente) else None,
        entiteit=filters.get("entiteit") or "",
        entiteit_id=filters.get("entiteit_id") or "",
    )
    return render_template(
        "audittrail/search.html",
        form=form,
        pagination=paginate(query),
        controle=verify(db.session.connection()),
    )
