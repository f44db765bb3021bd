"""Code list forms: shape only; the rules live in pilot/services/codelists.py."""

from wtforms import StringField
from wtforms.validators import Length

from pilot.forms import PilotForm
from pilot.services.codelists import MAX_LABEL, MAX_TOELICHTING

TOELICHTING_HINT = (
    "Optioneel: waarom deze wijziging. Komt in het wijzigingslogboek van het codeboek."
)


class NewCodeForm(PilotForm):
    code = StringField("Code", validators=[Length(max=40)], render_kw={"autocomplete": "off"})
    label = StringField("Label (Nederlandse omschrijving)", validators=[Length(max=MAX_LABEL)])
    toelichting = StringField("Toelichting", validators=[Length(max=MAX_TOELICHTING)])


class LabelForm(PilotForm):
    label = StringField("Nieuw label", validators=[Length(max=MAX_LABEL)])
    toelichting = StringField("Toelichting", validators=[Length(max=MAX_TOELICHTING)])
