"""The user form of the beheerder: shape only; the rules live in the users service."""

from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from pilot.forms import PilotForm
from pilot.models import Rol
from pilot.models.user import ROL_LABELS
from pilot.services.users import USERNAME_MISSING


class UserForm(PilotForm):
    gebruikersnaam = StringField(
        "Gebruikersnaam",
        validators=[DataRequired(USERNAME_MISSING), Length(max=80)],
    )
    naam = StringField("Weergavenaam", validators=[Optional(), Length(max=120)])
    wachtwoord = PasswordField(
        "Tijdelijk wachtwoord",
        validators=[DataRequired("Vul een wachtwoord in."), Length(max=1000)],
        render_kw={"autocomplete": "new-password"},
    )
    rol = SelectField("Rol", choices=[SelectChoice(rol.value, ROL_LABELS[rol]) for rol in Rol])
    gemeente = SelectField("Gemeente (alleen voor een coördinator)", choices=[], default="")

    def set_gemeenten(self, gemeenten) -> None:
        self.gemeente.choices = gemeente_choices(gemeenten)


def gemeente_choices(gemeenten) -> list[SelectChoice]:
    return [SelectChoice("", "— geen —")] + [SelectChoice(g.cbs_code, g.naam) for g in gemeenten]


class EditUserForm(PilotForm):
    naam = StringField("Weergavenaam", validators=[Optional(), Length(max=120)])
    rol = SelectField("Rol", choices=[SelectChoice(rol.value, ROL_LABELS[rol]) for rol in Rol])
    gemeente = SelectField("Gemeente (alleen voor een coördinator)", choices=[], default="")


class ResetPasswordForm(PilotForm):
    wachtwoord = PasswordField(
        "Tijdelijk wachtwoord",
        validators=[DataRequired("Vul een tijdelijk wachtwoord in."), Length(max=1000)],
        render_kw={"autocomplete": "new-password"},
    )
