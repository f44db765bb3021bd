"""The gemeente forms of the beheerder. The rules live in the gemeenten services; the
validators reuse their limits and messages, so a field reads the same whichever tier
catches the error."""

from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from pilot.forms import PilotForm
from pilot.services import gemeenten
from pilot.services.boundaries import FIRST_YEAR, LAST_YEAR

YEAR_MESSAGE = f"Vul een jaar in tussen {FIRST_YEAR} en {LAST_YEAR}."


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
    bevestigd = HiddenField()  # "ja" once the period guard's counts were shown

    def to_input(self) -> gemeenten.GemeenteInput:
        return gemeenten.GemeenteInput(
            self.pilot_start.data, self.pilot_eind.data, self.tranche.data, self.inwoners.data
        )


class NewGemeenteForm(GemeenteForm):
    cbs_code = SelectField("Gemeente", choices=[], validate_choice=False)
    provincie = StringField("Provincie", validators=[Optional(), Length(max=50)])

    def set_candidates(self, candidates) -> None:
        self.cbs_code.choices = [SelectChoice("", "— kies een gemeente —")] + [
            SelectChoice(
                c.cbs_code, f"{c.naam} ({c.cbs_code}{', ' + c.provincie if c.provincie else ''})"
            )
            for c in candidates
        ]

    def to_input(self) -> gemeenten.NewGemeenteInput:
        return gemeenten.NewGemeenteInput(
            self.pilot_start.data,
            self.pilot_eind.data,
            self.tranche.data,
            self.inwoners.data,
            cbs_code=self.cbs_code.data or "",
            provincie=self.provincie.data or "",
        )


class UploadBoundariesForm(PilotForm):
    bestand = FileField("Bestand met gemeentegrenzen (GeoJSON of GeoPackage)")
    jaar = IntegerField(
        "Jaar van de indeling",
        validators=[Optional(), NumberRange(FIRST_YEAR, LAST_YEAR, YEAR_MESSAGE)],
    )


class PdokForm(PilotForm):
    jaar = IntegerField(
        "Jaar",
        validators=[InputRequired(YEAR_MESSAGE), NumberRange(FIRST_YEAR, LAST_YEAR, YEAR_MESSAGE)],
    )
