"""The police-figures form: shape only, rules in the politiecijfers service."""

from wtforms import IntegerField, MonthField
from wtforms.validators import Optional

from pilot.forms import PilotForm, Required
from pilot.services.politiecijfers import PolitieInput


class PolitieForm(PilotForm):
    maand = MonthField("Maand", validators=[Required(), Optional()])
    meldingen = IntegerField("Meldingen", validators=[Optional()])
    aangiftes = IntegerField("Aangiftes", validators=[Optional()])
    processen_verbaal = IntegerField("Processen-verbaal", validators=[Optional()])

    def to_input(self) -> PolitieInput:
        return PolitieInput(
            maand=self.maand.data,
            meldingen=self.meldingen.data,
            aangiftes=self.aangiftes.data,
            processen_verbaal=self.processen_verbaal.data,
        )
