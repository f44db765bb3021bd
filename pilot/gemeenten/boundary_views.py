"""Loading gemeentegrenzen from the web: upload a file or fetch the PDOK year, see the
preview per gemeente, confirm. The rules are in ``pilot.services.boundaries``."""

from contextlib import closing

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from pilot.access import requires
from pilot.extensions import db
from pilot.gemeenten.blueprint import bp
from pilot.gemeenten.forms import PdokForm, UploadBoundariesForm
from pilot.models import Rol
from pilot.services import boundaries
from pilot.services.errors import DomainError


@bp.route("/beheer/gemeenten/grenzen", methods=["GET", "POST"])
@requires(Rol.BEHEERDER)
def load_boundaries():
    """Upload a boundary file or fetch a PDOK year; a usable file leads to its preview."""
    upload, pdok = UploadBoundariesForm(prefix="upload"), PdokForm(prefix="pdok")
    try:
        if pdok.jaar.name in _submitted() and pdok.validate_on_submit():
            token = boundaries.store_pdok_year(current_user.id, pdok.jaar.data)
            return redirect(url_for("gemeenten.preview_boundaries", token=token))
        if upload.bestand.name in _submitted() and upload.validate_on_submit():
            file = upload.bestand.data
            if not file or not file.filename:
                raise DomainError("Kies een bestand.", field="bestand")
            with closing(file):
                token = boundaries.store_upload(
                    current_user.id, file.filename, file.save, upload.jaar.data
                )
            return redirect(url_for("gemeenten.preview_boundaries", token=token))
    except DomainError as error:
        (pdok if pdok.jaar.name in _submitted() else upload).attach(error)
    return render_template("gemeenten/boundaries.html", upload=upload, pdok=pdok)


@bp.route("/beheer/gemeenten/grenzen/<token>")
@requires(Rol.BEHEERDER)
def preview_boundaries(token: str):
    """Per gemeente: area change and incidents outside the new boundary; nothing written."""
    stored = boundaries.stored_source(token, current_user.id)
    try:
        loaded = stored.read()
    except DomainError as error:
        stored.discard()
        flash(" ".join(m for ms in error.errors.values() for m in ms), "error")
        return redirect(url_for("gemeenten.load_boundaries"))
    return render_template(
        "gemeenten/boundaries_preview.html", stored=stored, preview=boundaries.preview(loaded)
    )


@bp.route("/beheer/gemeenten/grenzen/<token>/bevestigen", methods=["POST"])
@requires(Rol.BEHEERDER)
def confirm_boundaries(token: str):
    """Store the boundaries and the CBS list of the file's year (audited)."""
    stored = boundaries.stored_source(token, current_user.id)
    try:
        updated = boundaries.apply(stored.read(), stored.bron)
    except DomainError as error:
        db.session.rollback()
        flash(" ".join(m for ms in error.errors.values() for m in ms), "error")
        return redirect(url_for("gemeenten.preview_boundaries", token=token))
    stored.discard()
    names = ", ".join(sorted(g.naam for g in updated)) or "geen pilotgemeenten"
    flash(f"Grenzen geladen ({names}); de CBS-lijst is bijgewerkt.", "success")
    return redirect(url_for("gemeenten.list_gemeenten"))


def _submitted() -> set[str]:
    return set(request.form) | set(request.files)
