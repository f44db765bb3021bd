"""The purge form of the beheerder: a quarter boundary and one gemeente or all."""

from datetime import date

from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from pilot.forms import PilotForm

ALLE = ""


def boundary_label(voor: date) -> str:
    previous = (
        date(voor.year - 1, 12, 31) if voor.month == 1 else date(voor.year, voor.month - 1, 1)
    )
    quarter = (previous.month - 1) // 3 + 1
    return f"vóór {voor:%d-%m-%Y} (t/m {quarter}e kwartaal {previous.year})"


class PurgeForm(PilotForm):
    voor = SelectField(
        "Verwijder incidentgegevens van vóór", validators=[InputRequired("Kies een kwartaalgrens.")]
    )
    gemeente = SelectField("Gemeente", default=ALLE)

    def set_choices(self, boundaries: list[date], gemeenten) -> None:
        self.voor.choices = [SelectChoice(d.isoformat(), boundary_label(d)) for d in boundaries]
        self.gemeente.choices = [SelectChoice(ALLE, "Alle gemeenten")] + [
            SelectChoice(g.cbs_code, g.naam) for g in gemeenten
        ]
