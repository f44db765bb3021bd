"""Incident forms: they check shape only; the rules are in pilot/services/incidents.py."""

from datetime import datetime

from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.validators import Length, Optional

from pilot import codes
from pilot.clock import AMSTERDAM
from pilot.forms import (
    KIES,
    PilotForm,
    Required,
    code_choices,
    code_select,
    parse_id,
    select_choices,
)
from pilot.models import Boa
from pilot.services.errors import DomainError
from pilot.services.incidenten import MAX_OPMERKING, MAX_REDEN, IncidentInput

ALLE = ("", "alle")


class CoordinaatField(FloatField):
    """A decimal degree; accepts a comma or a point as decimal separator (Dutch keyboards).

    A text input with ``inputmode="decimal"``: a number input would drop or misread the
    comma (51,9165 became 519165) and phones would not offer a comma key."""

    widget = widgets.TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = float(valuelist[0].strip().replace(",", "."))
        except ValueError as exc:
            self.data = None
            raise ValueError("Geef een getal in decimale graden, bijvoorbeeld 51.9225.") from exc


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def optional_int(value) -> int | None:
    """Coerce a select value; anything that is not a number becomes None (the service says why)."""
    return parse_id(value)


FILLED = [
    "lat",
    "lon",
    "boa_id",
    "locatie_type",
    "gedragingen",
    "kennisname",
    "kleding",
    "rol_boa",
    "afdoening",
    "aantal_verdachten",
    "leeftijd_verdachten",
    "aantal_slachtoffers",
    "slachtofferhulp",
    "opmerking",
]


class IncidentForm(PilotForm):
    datum = DateField("Datum", validators=[Required(), Optional()])
    tijd = TimeField("Tijd (lokale tijd)", validators=[Required(), Optional()])
    boa_id = SelectField("Boa", coerce=optional_int, validate_choice=False, validators=[Required()])
    lat = CoordinaatField("Breedtegraad (lat)", validators=[Required(), Optional()])
    lon = CoordinaatField("Lengtegraad (lon)", validators=[Required(), Optional()])
    locatie_type = code_select(codes.LOCATIE_TYPE)
    gedragingen = MultiCheckboxField(
        codes.SEED_BOOK[codes.GEDRAGING.name].titel,
        choices=code_choices([], codes.GEDRAGING),
        validate_choice=False,
        validators=[Required()],
    )
    kennisname = code_select(codes.KENNISNAME)
    kleding = code_select(codes.KLEDING)
    rol_boa = code_select(codes.ROL_BOA)
    afdoening = code_select(codes.AFDOENING)
    aantal_verdachten = IntegerField(
        "Aantal verdachten", default=1, validators=[Required(), Optional()]
    )
    leeftijd_verdachten = code_select(codes.LEEFTIJD)
    aantal_slachtoffers = IntegerField(
        "Aantal slachtoffers", default=1, validators=[Required(), Optional()]
    )
    slachtofferhulp = BooleanField("Doorverwezen naar slachtofferhulp")
    zaaknummer = StringField(
        "Zaaknummer (PV/BVH, optioneel)", validators=[Optional(), Length(max=100)]
    )
    opmerking = TextAreaField("Opmerking (optioneel)", validators=[Length(max=MAX_OPMERKING)])
    version = HiddenField()

    ALIASES = {"tijdstip": "datum", "locatie": "lat"}

    def attach(self, error: DomainError) -> None:
        """The service's 'tijdstip' belongs beside datum, 'locatie' beside the lat/lon fields."""
        errors = {self.ALIASES.get(name, name): msgs for name, msgs in error.errors.items()}
        super().attach(DomainError(errors))

    def set_boas(self, boas: list[Boa], current_id: int | None = None) -> None:
        """The gemeente's bevoegde boa's: active, trained and with a mandate (plus the
        record's own boa when editing); boa's in opleiding are not offered."""
        listed = [b for b in boas if b.inzetbaar or b.id == current_id]
        self.boa_id.choices = select_choices([KIES], ((b.id, b.code) for b in listed))

    def to_input(self) -> IncidentInput:
        tijdstip = None
        if self.datum.data and self.tijd.data:
            tijdstip = datetime.combine(self.datum.data, self.tijd.data, tzinfo=AMSTERDAM)
        return IncidentInput(
            tijdstip=tijdstip,
            lat=self.lat.data,
            lon=self.lon.data,
            boa_id=self.boa_id.data,
            locatie_type=self.locatie_type.data or "",
            gedragingen=list(self.gedragingen.data or []),
            kennisname=self.kennisname.data or "",
            kleding=self.kleding.data or "",
            rol_boa=self.rol_boa.data or "",
            afdoening=self.afdoening.data or "",
            aantal_verdachten=self.aantal_verdachten.data,
            leeftijd_verdachten=self.leeftijd_verdachten.data or "",
            aantal_slachtoffers=self.aantal_slachtoffers.data,
            slachtofferhulp=bool(self.slachtofferhulp.data),
            zaaknummer=(self.zaaknummer.data or "").strip() or None,
            opmerking=(self.opmerking.data or "").strip() or None,
        )

    def fill_from(self, item: IncidentInput, version: int) -> None:
        """Fill an edit form from a stored record (the case number is never shown again)."""
        local = item.tijdstip.astimezone(AMSTERDAM)
        self.datum.data = local.date()
        self.tijd.data = local.time().replace(second=0, microsecond=0)
        for name in FILLED:
            getattr(self, name).data = getattr(item, name)
        self.version.data = str(version)


class IntrekkenForm(PilotForm):
    reden = TextAreaField("Reden van intrekken", validators=[Required(), Length(max=MAX_REDEN)])
    version = HiddenField()


class FilterForm(PilotForm):
    """The list's filters (GET, no CSRF token: it changes nothing)."""

    class Meta(PilotForm.Meta):
        csrf = False

    van = DateField("Van", validators=[Optional()])
    tot = DateField("Tot en met", validators=[Optional()])
    boa_id = SelectField("Boa", coerce=optional_int, validate_choice=False)
    gedraging = SelectField(
        "Gedraging",
        choices=code_choices([ALLE], codes.GEDRAGING),
        validate_choice=False,
    )
    afdoening = SelectField(
        "Afdoening",
        choices=code_choices([ALLE], codes.AFDOENING),
        validate_choice=False,
    )
    locatie_type = SelectField(
        "Type locatie",
        choices=code_choices([ALLE], codes.LOCATIE_TYPE),
        validate_choice=False,
    )
    met_ingetrokken = BooleanField("Ook ingetrokken incidenten")

    def filters(self) -> dict:
        """Only valid, known values; anything else is ignored rather than failing the list."""
        self.validate()
        values = {
            "van": self.van.data if not self.van.errors else None,
            "tot": self.tot.data if not self.tot.errors else None,
            "boa_id": self.boa_id.data,
            "met_ingetrokken": bool(self.met_ingetrokken.data),
        }
        for name, code_list in (
            ("gedraging", codes.GEDRAGING),
            ("afdoening", codes.AFDOENING),
            ("locatie_type", codes.LOCATIE_TYPE),
        ):
            value = getattr(self, name).data
            values[name] = value if value in code_list else None
        return values
