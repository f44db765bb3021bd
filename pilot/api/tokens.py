"""The token pages: a beheerder (every token) or coordinator (the own gemeente's) lists,
issues and revokes API tokens. A new token's secret is shown once, on the page that
answers the form, and never again; only its first characters stay visible."""

from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from pilot import clock
from pilot.access import requires
from pilot.api.blueprint import bp
from pilot.api.forms import TokenForm
from pilot.extensions import db
from pilot.models import Gemeente, Rol
from pilot.pagination import paginate
from pilot.services.api import tokens
from pilot.services.errors import DomainError

B, C = Rol.BEHEERDER, Rol.COORDINATOR


@bp.route("/api-tokens/")
@requires(B, C)
def list_tokens():
    """The tokens the user manages, newest first, with their state."""
    return render_template(
        "api/tokens.html",
        pagination=paginate(tokens.tokens_of(current_user)),
        status_of=tokens.status_of,
        soorten=tokens.SOORTEN,
        scopes=tokens.SCOPES,
    )


@bp.route("/api-tokens/nieuw", methods=["GET", "POST"])
@requires(B, C)
def new_token():
    """Issue a token; the answer shows its secret once."""
    form = TokenForm()
    if current_user.role is C:
        form.set_gemeenten([current_user.gemeente], [tokens.GEMEENTE])
    else:
        gemeenten = db.session.execute(db.select(Gemeente).order_by(Gemeente.naam)).scalars()
        form.set_gemeenten(gemeenten, list(tokens.SOORTEN))
    if not form.is_submitted():
        form.geldig_tot.data = clock.today() + timedelta(days=tokens.DEFAULT_DAYS)
    if form.validate_on_submit():
        data = tokens.TokenInput(
            naam=form.naam.data,
            soort=form.soort.data,
            scope=form.scope.data,
            geldig_tot=form.geldig_tot.data,
            gemeente_id=form.gemeente_id.data if form.soort.data == tokens.GEMEENTE else None,
        )
        try:
            issued = tokens.issue_token(current_user, data)
        except DomainError as error:
            db.session.rollback()
            form.attach(error)
        else:
            return render_template(
                "api/token_issued.html",
                token=issued.token,
                secret=issued.secret,
                soorten=tokens.SOORTEN,
                scopes=tokens.SCOPES,
            )
    return render_template("api/token_form.html", form=form, max_days=tokens.MAX_DAYS)


@bp.route("/api-tokens/<int:token_id>/intrekken", methods=["POST"])
@requires(B, C)
def revoke_token(token_id: int):
    """Revoke a token at once (another gemeente's token: 404)."""
    token = tokens.get_token(current_user, token_id)
    try:
        tokens.revoke_token(current_user, token)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(f"Token {token.naam} is ingetrokken.", "success")
    return redirect(url_for("api.list_tokens"))
