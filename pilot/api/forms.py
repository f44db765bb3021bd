"""The token form: shape only; who may issue which token is decided by the token service."""

from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from pilot.forms import PilotForm
from pilot.services.api.tokens import MAX_NAAM, SCOPES, SOORTEN


class TokenForm(PilotForm):
    naam = StringField(
        "Naam", validators=[DataRequired("Geef het token een naam."), Length(max=MAX_NAAM)]
    )
    soort = SelectField("Soort token", choices=[SelectChoice(k, v) for k, v in SOORTEN.items()])
    gemeente_id = SelectField("Gemeente", choices=[], coerce=int)
    scope = SelectField("Mag", choices=[SelectChoice(k, v) for k, v in SCOPES.items()])
    geldig_tot = DateField(
        "Geldig tot en met", validators=[DataRequired("Kies tot en met welke dag.")]
    )

    def set_gemeenten(self, gemeenten, soorten: list[str]) -> None:
        self.gemeente_id.choices = [SelectChoice(g.id, g.naam) for g in gemeenten]
        self.soort.choices = [SelectChoice(k, SOORTEN[k]) for k in soorten]
