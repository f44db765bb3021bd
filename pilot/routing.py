"""URL converters: an ``<int:…>`` in a URL never exceeds what the database can hold."""

from werkzeug.routing import IntegerConverter as WerkzeugIntegerConverter

from pilot.forms import MAX_ID


class IntegerConverter(WerkzeugIntegerConverter):
    """``<int:id>`` limited to 1..2**31-1 and 10 digits: a larger id answers 404 instead
    of an overflow in the database driver (``/incidenten/99999999999999999999`` was a 500)."""

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
        self.regex = r"\d{1,10}"
