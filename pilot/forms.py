"""The base of every form: Dutch WTForms messages, and domain errors shown on the fields."""

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta

from pilot.services.errors import DomainError


class PilotForm(FlaskForm):
    """A FlaskForm whose built-in messages (``Ongeldige datum.``) are Dutch.

    Flask-WTF translates only through Flask-Babel, which we do not use; WTForms' own
    Dutch catalogue does the job.
    """

    class Meta:
        locales = ("nl",)

        def get_translations(self, form):
            return DefaultMeta.get_translations(self, form)

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
