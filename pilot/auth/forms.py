from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired


class LoginForm(FlaskForm):
    gebruikersnaam = StringField(
        "Gebruikersnaam", validators=[DataRequired("Vul uw gebruikersnaam in.")]
    )
    wachtwoord = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in.")])
