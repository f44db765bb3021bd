"""The dienst form: shape only, rules in the diensten service."""

from wtforms import DateField, HiddenField, IntegerField, StringField, TimeField
from wtforms.validators import Optional

from pilot import codes
from pilot.forms import PilotForm, Required, code_select
from pilot.services.diensten import DienstInput


class DienstForm(PilotForm):
    datum = DateField("Datum", validators=[Required(), Optional()])
    begintijd = TimeField("Begintijd", validators=[Required(), Optional()])
    eindtijd = TimeField("Eindtijd", validators=[Required(), Optional()])
    gebied = StringField("Gebied", validators=[Required()])
    gebiedstype = code_select(codes.GEBIEDSTYPE)
    aantal_uniform = IntegerField(
        "Aantal boa's in uniform", default=0, validators=[Required(), Optional()]
    )
    aantal_burger = IntegerField(
        "Aantal boa's in burger", default=0, validators=[Required(), Optional()]
    )
    version = HiddenField()

    def to_input(self) -> DienstInput:
        return DienstInput(
            datum=self.datum.data,
            begintijd=self.begintijd.data,
            eindtijd=self.eindtijd.data,
            gebied=self.gebied.data or "",
            aantal_uniform=self.aantal_uniform.data,
            aantal_burger=self.aantal_burger.data,
            gebiedstype=self.gebiedstype.data or "",
        )

    def fill_from(self, item: DienstInput, version: int) -> None:
        names = ("datum", "begintijd", "eindtijd", "gebied", "gebiedstype", "aantal_uniform",
                 "aantal_burger")  # fmt: skip
        for name in names:
            getattr(self, name).data = getattr(item, name)
        self.version.data = str(version)
