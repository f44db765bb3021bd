"""The base of every form: Dutch WTForms messages, and domain errors shown on the fields."""

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta

from pilot import codes, html_attributes
from pilot.services.errors import DomainError

html_attributes.install()  # every form derives from PilotForm below, so it renders with it

# WTForms messages that its Dutch catalogue leaves in English (or says awkwardly).
DUTCH = {
    "Not a valid choice.": "Kies een van de mogelijkheden uit de lijst.",
    "Not a valid choice": "Kies een van de mogelijkheden uit de lijst.",
    "'%(value)s' are not valid choices for this field.": "'%(value)s' zijn geen geldige keuzes.",
    "'%(value)s' is not a valid choice for this field.": "'%(value)s' is geen geldige keuze.",
    "Not a valid month value.": "Geef een maand als jjjj-mm, bijvoorbeeld 2025-03.",
    "Not a valid float value.": "Geef een getal, bijvoorbeeld 12,5.",
    "Not a valid decimal value.": "Geef een getal, bijvoorbeeld 12,5.",
    "Not a valid week value.": "Geef een week als jjjj-Www.",
    "This field is required.": "Vul dit veld in.",
}


class DutchTranslations:
    """WTForms' Dutch catalogue with the gaps filled from ``DUTCH``."""

    def __init__(self, catalogue):
        self.catalogue = catalogue

    def gettext(self, string: str) -> str:
        return DUTCH.get(string) or self.catalogue.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        chosen = singular if n == 1 else plural
        return DUTCH.get(chosen) or self.catalogue.ngettext(singular, plural, n)


class Required:
    """Marks a field as required (the ``*``, the ``required`` attribute) without checking
    it: the service that owns the rule checks it and says what is missing in its own words."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


class PilotForm(FlaskForm):
    """A FlaskForm whose built-in messages (``Ongeldige datum.``) are Dutch.

    Flask-WTF translates only through Flask-Babel, which we do not use; WTForms' own
    Dutch catalogue does the job, with the few messages it lacks from ``DUTCH``.
    """

    class Meta:
        locales = ("nl",)

        def get_translations(self, form):
            return DutchTranslations(DefaultMeta.get_translations(self, form))

    def attach(self, error: DomainError) -> None:
        """Put a service's DomainError messages beside the fields they concern."""
        for name, messages in error.errors.items():
            field = self._fields.get(name)
            if field is None:
                self.form_errors = [*self.form_errors, *messages]
            else:
                field.errors = [*field.errors, *messages]


MAX_ID = 2**31 - 1  # the largest id the database columns hold (INTEGER on PostgreSQL)


def parse_id(value: object) -> int | None:
    """A positive database id from user input, or None: never a ValueError or an id the
    database cannot hold (a 25-digit ``boa_id`` once gave a 500)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else None
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_version(value: object) -> int:
    """A record version from a hidden field; anything else is 0, which never matches a
    stored version (>= 1), so the edit ends in the normal conflict message, not a 500."""
    return parse_id(value) or 0


def select_choices(*groups: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Select options from groups of (value, label) pairs, e.g. a 'kies' entry plus a code list.

    WTForms 3.3 deprecates plain tuples as choices; SelectChoice objects are the supported form.
    """
    return [SelectChoice(value, label) for group in groups for value, label in group]


KIES = ("", "— kies —")


def code_choices(first: list[tuple[str, str]], code_list: codes.CodeListRef):
    """The options of a code list, read from the codebook when the form is rendered."""
    return lambda: select_choices(first, code_list.choices())


def code_select(code_list: codes.CodeListRef) -> SelectField:
    """A required select of a code list; titles are fixed (only codes and labels change),
    the service checks the value against the current list."""
    return SelectField(
        codes.BUILTIN_BOOK[code_list.name].titel,
        choices=code_choices([KIES], code_list),
        validate_choice=False,
        validators=[Required()],
    )
