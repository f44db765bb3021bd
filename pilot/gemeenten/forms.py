"""The gemeente form of the beheerder: shape only; the rules live in the gemeenten service."""

from wtforms import DateField, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional

from pilot.forms import PilotForm


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
