"""The gemeente form of the beheerder. The rules live in the gemeenten service; the
validators reuse its limits and messages, so a field reads the same whichever tier
catches the error."""

from wtforms import DateField, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional

from pilot.forms import PilotForm
from pilot.services import gemeenten


class GemeenteForm(PilotForm):
    pilot_start = DateField("Start pilot", validators=[InputRequired(gemeenten.START_MISSING)])
    pilot_eind = DateField("Einde pilot", validators=[Optional()])
    tranche = IntegerField(
        "Tranche",
        validators=[
            InputRequired(gemeenten.TRANCHE_MISSING),
            NumberRange(min=gemeenten.MIN_TRANCHE, message=gemeenten.TRANCHE_TOO_LOW),
        ],
    )
    inwoners = IntegerField(
        "Aantal inwoners",
        validators=[
            Optional(),
            NumberRange(min=gemeenten.MIN_INWONERS, message=gemeenten.INWONERS_NEGATIVE),
        ],
    )
