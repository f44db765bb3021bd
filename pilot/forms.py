"""The base of every form: Dutch WTForms messages, and domain errors shown on the fields."""

from flask_wtf import FlaskForm
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
