"""Logging in and out."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    gebruikersnaam = StringField(
        "Gebruikersnaam", validators=[DataRequired("Vul uw gebruikersnaam in."), Length(max=200)]
    )
    wachtwoord = PasswordField(
        "Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in."), Length(max=1000)]
    )


class CodeForm(FlaskForm):
    code = StringField(
        "Code uit uw authenticator-app of een herstelcode",
        validators=[DataRequired("Vul de code in."), Length(max=64)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text"},
    )


class EnrolForm(FlaskForm):
    code = StringField(
        "Code uit uw authenticator-app",
        validators=[DataRequired("Vul de code van zes cijfers in."), Length(max=16)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
