"""Forms of a gemeente's own pages: shape only; the rules live in pilot/services/boas.py."""

from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional

from pilot.forms import PilotForm

PERSONEELSNUMMER_HINT = (
    "Optioneel. Het nummer wordt niet opgeslagen, alleen een versleutelde vingerafdruk "
    "(HMAC), zodat u de boa er later mee terugvindt."
)


class BoaForm(PilotForm):
    personeelsnummer = StringField(
        "Personeelsnummer",
        validators=[Optional(), Length(max=40)],
        render_kw={"autocomplete": "off"},
    )
    opleidingsdatum = DateField("Datum opleiding 429ter", validators=[Optional()])
    mandaat_start = DateField("Mandaat OM vanaf", validators=[Optional()])
    mandaat_eind = DateField("Mandaat OM tot en met", validators=[Optional()])


class FindBoaForm(PilotForm):
    personeelsnummer = StringField(
        "Personeelsnummer",
        validators=[DataRequired("Vul een personeelsnummer in."), Length(max=40)],
        render_kw={"autocomplete": "off"},
    )
