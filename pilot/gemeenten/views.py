"""Gemeenten: the beheerder's list, add, edit (with the period guard), deactivate and
activate; a gemeente's own start page; the pilot status notice for its coordinator."""

from flask import flash, has_request_context, redirect, render_template, request, url_for
from flask_login import current_user

from pilot import clock
from pilot.access import requires, visible_gemeente
from pilot.extensions import db
from pilot.gemeenten import boundary_views  # noqa: F401  (its routes are on the same blueprint)
from pilot.gemeenten.blueprint import bp
from pilot.gemeenten.forms import GemeenteForm, NewGemeenteForm
from pilot.models import Gemeente, Rol
from pilot.services import gemeenten as service
from pilot.services.errors import DomainError
from pilot.services.pilot_period import pilot_status

__all__ = ["bp"]


@bp.app_context_processor
def pilot_notice() -> dict:
    """A coordinator whose gemeente does not take part today sees why on every page."""
    if not has_request_context() or not current_user.is_authenticated:
        return {}  # e.g. a PDF rendered by the CLI
    if current_user.role is not Rol.COORDINATOR:
        return {}
    status = pilot_status(current_user.gemeente, clock.today())
    return {"pilot_melding": status.melding}


@bp.route("/beheer/gemeenten")
@requires(Rol.BEHEERDER)
def list_gemeenten():
    """The pilot gemeenten with their period, status today and boundary."""
    rows = db.session.execute(service.all_gemeenten()).scalars().all()
    today = clock.today()
    statuses = {g.id: pilot_status(g, today) for g in rows}
    return render_template(
        "gemeenten/list.html",
        gemeenten=rows,
        statuses=statuses,
        actief_nu=sum(status.actief for status in statuses.values()),
        cbs_jaar=service.cbs_list_year(),
    )


@bp.route("/beheer/gemeenten/nieuw", methods=["GET", "POST"])
@requires(Rol.BEHEERDER)
def new_gemeente():
    """Add a gemeente chosen from the CBS list of the loaded boundary year."""
    form = NewGemeenteForm()
    form.set_candidates(service.cbs_list_candidates())
    if form.validate_on_submit():
        try:
            gemeente = service.add_gemeente(form.to_input())
        except DomainError as error:
            db.session.rollback()
            form.attach(error)
        else:
            flash(f"{gemeente.naam} ({gemeente.cbs_code}) doet mee in tranche "
                  f"{gemeente.tranche}.", "success")  # fmt: skip
            return redirect(url_for("gemeenten.list_gemeenten"))
    return render_template(
        "gemeenten/new.html",
        form=form,
        cbs_jaar=service.cbs_list_year(),
        tranches=_tranches(),
    )


@bp.route("/beheer/gemeenten/<cbs_code>/bewerken", methods=["GET", "POST"])
@requires(Rol.BEHEERDER)
def edit_gemeente(cbs_code: str):
    """Change a gemeente's pilot period, tranche and population; the period guard asks
    for confirmation when records would fall outside the new period."""
    gemeente = service.get_gemeente(cbs_code)
    form = GemeenteForm(obj=gemeente)
    outside = None
    if form.validate_on_submit():
        data = form.to_input()
        confirmed = form.bevestigd.data == _confirmation(data)
        try:
            service.update_gemeente(gemeente, data, bevestigd=confirmed)
        except service.PeriodConfirmationNeeded as needed:
            outside = needed.outside
            form.bevestigd.data = _confirmation(data)
        except DomainError as error:
            db.session.rollback()
            form.attach(error)
        else:
            flash(f"De gegevens van {gemeente.naam} zijn opgeslagen.", "success")
            return redirect(url_for("gemeenten.list_gemeenten"))
    return render_template(
        "gemeenten/form.html",
        gemeente=gemeente,
        form=form,
        outside=outside,
        status=pilot_status(gemeente, clock.today()),
        tranches=_tranches(),
    )


@bp.route("/beheer/gemeenten/<cbs_code>/deactiveren", methods=["GET", "POST"])
@requires(Rol.BEHEERDER)
def deactivate_gemeente(cbs_code: str):
    """Ask for confirmation, then deactivate: no new records, nothing deleted."""
    gemeente = service.get_gemeente(cbs_code)
    if request.method == "POST" and request.form.get("bevestigd") == "ja" and gemeente.actief:
        service.deactivate_gemeente(gemeente)
        flash(f"{gemeente.naam} is gedeactiveerd; er worden geen nieuwe gegevens "
              "meer vastgelegd.", "success")  # fmt: skip
        return redirect(url_for("gemeenten.list_gemeenten"))
    return render_template("gemeenten/deactivate.html", gemeente=gemeente)


@bp.route("/beheer/gemeenten/<cbs_code>/activeren", methods=["POST"])
@requires(Rol.BEHEERDER)
def activate_gemeente(cbs_code: str):
    """Let a deactivated gemeente record again."""
    gemeente = service.get_gemeente(cbs_code)
    service.activate_gemeente(gemeente)
    flash(f"{gemeente.naam} is weer actief in de pilot.", "success")
    return redirect(url_for("gemeenten.edit_gemeente", cbs_code=cbs_code))


@bp.route("/gemeente/<cbs_code>/")
@requires(Rol.COORDINATOR, Rol.BEHEERDER, Rol.EVALUATOR)
def show_gemeente(cbs_code: str):
    """The gemeente's start page."""
    gemeente = visible_gemeente(cbs_code)
    return render_template(
        "gemeenten/show.html", gemeente=gemeente, status=pilot_status(gemeente, clock.today())
    )


def _confirmation(data: service.GemeenteInput) -> str:
    """What the user confirmed: this exact period (a different one is asked again)."""
    return f"{data.pilot_start}|{data.pilot_eind}"


def _tranches() -> list[int]:
    return sorted(set(db.session.execute(db.select(Gemeente.tranche)).scalars()))
