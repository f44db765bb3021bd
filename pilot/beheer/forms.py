"""Forms of the beheerder screens: shape only; domain rules live in the services."""

from wtforms import DateField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from pilot.forms import PilotForm
from pilot.models import Rol
from pilot.models.user import ROL_LABELS


class GemeenteForm(PilotForm):
    pilot_start = DateField(
        "Start pilot", validators=[InputRequired("Vul de startdatum van de pilot in.")]
    )
    pilot_eind = DateField("Einde pilot", validators=[Optional()])
    tranche = IntegerField(
        "Tranche",
        validators=[
            InputRequired("Vul de tranche in."),
            NumberRange(min=1, message="De tranche is een geheel getal van 1 of hoger."),
        ],
    )
    inwoners = IntegerField(
        "Aantal inwoners",
        validators=[
            Optional(),
            NumberRange(min=0, message="Het aantal inwoners kan niet negatief zijn."),
        ],
    )


class UserForm(PilotForm):
    gebruikersnaam = StringField(
        "Gebruikersnaam",
        validators=[DataRequired("Vul een gebruikersnaam in."), Length(max=80)],
    )
    naam = StringField("Weergavenaam", validators=[Optional(), Length(max=120)])
    wachtwoord = PasswordField("Wachtwoord", validators=[DataRequired("Vul een wachtwoord in.")])
    rol = SelectField("Rol", choices=[SelectChoice(rol.value, ROL_LABELS[rol]) for rol in Rol])
    gemeente = SelectField("Gemeente (alleen voor een coördinator)", choices=[], default="")

    def set_gemeenten(self, gemeenten) -> None:
        self.gemeente.choices = [SelectChoice("", "— geen —")] + [
            SelectChoice(g.cbs_code, g.naam) for g in gemeenten
        ]
