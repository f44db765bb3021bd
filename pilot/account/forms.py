"""The own-account forms: shape only; the rules live in the users and mfa services."""

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from pilot.forms import PilotForm


class PasswordForm(PilotForm):
    huidig = PasswordField(
        "Huidig wachtwoord",
        validators=[DataRequired("Vul uw huidige wachtwoord in."), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
    nieuw = PasswordField(
        "Nieuw wachtwoord",
        validators=[DataRequired("Vul een nieuw wachtwoord in."), Length(max=1000)],
        render_kw={"autocomplete": "new-password"},
    )
    herhaling = PasswordField(
        "Nieuw wachtwoord (nogmaals)",
        validators=[
            DataRequired("Vul het nieuwe wachtwoord nogmaals in."),
            EqualTo("nieuw", "De twee nieuwe wachtwoorden zijn niet gelijk."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class CodeConfirmForm(PilotForm):
    code = StringField(
        "Code uit uw authenticator-app",
        validators=[DataRequired("Vul de code van zes cijfers in."), Length(max=16)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ReplaceMfaForm(PilotForm):
    wachtwoord = PasswordField(
        "Wachtwoord",
        validators=[DataRequired("Vul uw wachtwoord in."), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
