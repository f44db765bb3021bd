"""Retention for the beheerder: choose a quarter boundary, see what goes, then purge.

Nothing is deleted before the confirmation page, which shows per gemeente what the purge
removes, has been submitted. The rules live in ``pilot.services.retention``.
"""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pilot import clock
from pilot.access import requires
from pilot.extensions import db
from pilot.models import Gemeente, Rol
from pilot.retention.forms import ALLE, PurgeForm
from pilot.services.errors import DomainError
from pilot.services.gemeenten import all_gemeenten
from pilot.services.jobs.runner import incident_count, submit, uses_worker
from pilot.services.retention import purge as retention
from pilot.services.retention.frozen import purged_before
from pilot.services.retention.messages import purge_message

bp = Blueprint("retention", __name__, url_prefix="/beheer/bewaartermijn")


def _form(*args, **kwargs) -> tuple[PurgeForm, list[Gemeente]]:
    gemeenten = list(db.session.execute(all_gemeenten()).scalars())
    form = PurgeForm(*args, **kwargs)
    form.set_choices(retention.boundaries(gemeenten, clock.today()), gemeenten)
    return form, gemeenten


def _scope(form: PurgeForm, gemeenten: list[Gemeente]) -> tuple[date, list[Gemeente]]:
    chosen = [g for g in gemeenten if form.gemeente.data in (ALLE, g.cbs_code)]
    return date.fromisoformat(form.voor.data), chosen


@bp.route("/")
@requires(Rol.BEHEERDER)
def show_retention():
    """Per gemeente the date before which incidents were purged; the choice of a purge."""
    form, gemeenten = _form(meta={"csrf": False})
    status = [(g, purged_before(db.session, g.id)) for g in gemeenten]
    return render_template("retention/index.html", form=form, status=status)


@bp.route("/bevestigen")
@requires(Rol.BEHEERDER)
def confirm_purge():
    """What a purge would remove, per gemeente; nothing has been deleted yet."""
    form, gemeenten = _form(request.args, meta={"csrf": False})
    if not form.validate():
        flash("Kies een kwartaalgrens en een gemeente uit de lijst.", "error")
        return redirect(url_for(".show_retention"))
    voor, chosen = _scope(form, gemeenten)
    plan = retention.plan_purge(chosen, voor, clock.today())
    return render_template("retention/confirm.html", plan=plan, gemeente=form.gemeente.data)


@bp.route("/verwijderen", methods=["POST"])
@requires(Rol.BEHEERDER)
def purge_data():
    """Carry out a confirmed purge and report what was removed (counts only)."""
    form, gemeenten = _form()
    if not form.validate_on_submit():
        abort(400)
    voor, chosen = _scope(form, gemeenten)
    if uses_worker("PILOT_JOB_PURGE_INCIDENTS", incident_count([g.id for g in chosen])):
        job = submit(
            "opschonen", f"Opschonen van vóór {voor:%d-%m-%Y}", current_user.id, None,
            voor=voor.isoformat(), gemeenten=[g.cbs_code for g in chosen],
        )  # fmt: skip
        return redirect(url_for("jobs.show_job", job_id=job.id))
    try:
        plan = retention.purge(chosen, voor, clock.today())
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for(".show_retention"))
    flash(purge_message(plan, voor), "success")
    return redirect(url_for(".show_retention"))
