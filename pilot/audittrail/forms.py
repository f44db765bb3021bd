"""Search filters of the audit trail (GET): shape only, every value parsed safely."""

from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from pilot.forms import PilotForm


class SearchForm(PilotForm):
    class Meta(PilotForm.Meta):
        csrf = False

    wie = StringField("Wie (gebruikersnaam)", validators=[Optional(), Length(max=80)])
    actie = StringField("Wat (actie)", validators=[Optional(), Length(max=30)])
    van = DateField("Van", validators=[Optional()])
    tot = DateField("Tot en met", validators=[Optional()])
    gemeente = SelectField("Gemeente", choices=[], default="", validate_choice=False)
    entiteit = StringField("Soort record", validators=[Optional(), Length(max=40)])
    entiteit_id = StringField("Recordnummer", validators=[Optional(), Length(max=40)])
