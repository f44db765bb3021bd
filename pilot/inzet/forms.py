"""Forms for diensten and police figures: shape only, rules in the services."""

from wtforms import DateField, HiddenField, IntegerField, MonthField, StringField, TimeField
from wtforms.validators import Optional

from pilot.forms import PilotForm
from pilot.services.diensten import DienstInput
from pilot.services.politie import PolitieInput


class DienstForm(PilotForm):
    datum = DateField("Datum", validators=[Optional()])
    begintijd = TimeField("Begintijd", validators=[Optional()])
    eindtijd = TimeField("Eindtijd", validators=[Optional()])
    gebied = StringField("Gebied")
    aantal_uniform = IntegerField("Aantal boa's in uniform", default=0, validators=[Optional()])
    aantal_burger = IntegerField("Aantal boa's in burger", default=0, validators=[Optional()])
    version = HiddenField()

    def to_input(self) -> DienstInput:
        return DienstInput(
            datum=self.datum.data,
            begintijd=self.begintijd.data,
            eindtijd=self.eindtijd.data,
            gebied=self.gebied.data or "",
            aantal_uniform=self.aantal_uniform.data,
            aantal_burger=self.aantal_burger.data,
        )

    def fill_from(self, item: DienstInput, version: int) -> None:
        for name in ("datum", "begintijd", "eindtijd", "gebied", "aantal_uniform", "aantal_burger"):
            getattr(self, name).data = getattr(item, name)
        self.version.data = str(version)


class PolitieForm(PilotForm):
    maand = MonthField("Maand", validators=[Optional()])
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
