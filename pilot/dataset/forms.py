"""The beheerder's grant form: shape only; the rules live in ``services.dataset.grants``."""

from wtforms import DateField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from pilot.forms import PilotForm, parse_id


class GrantForm(PilotForm):
    # parse_id: an id the database cannot hold (the fuzzer sent 2**64) is no choice, not a 500
    user_id = SelectField("Evaluator", coerce=parse_id, choices=[], validate_choice=False)
    doel = TextAreaField("Doel")
    geldig_tot = DateField("Geldig tot en met", validators=[Optional()])

    def set_evaluators(self, users) -> None:
        self.user_id.choices = [SelectChoice(0, "— kies —")] + [
            SelectChoice(u.id, f"{u.naam} ({u.gebruikersnaam})") for u in users
        ]
