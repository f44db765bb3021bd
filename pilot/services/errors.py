"""The domain error that services raise and views attach to form fields."""


class DomainError(Exception):
    """One or more rule violations, each with a Dutch message on a field.

    ``errors`` maps a field name (or ``"__all__"`` for the record as a whole) to messages.
    """

    def __init__(self, errors: dict[str, list[str]] | str, field: str = "__all__") -> None:
        self.errors = {field: [errors]} if isinstance(errors, str) else errors
        super().__init__("; ".join(m for ms in self.errors.values() for m in ms))


class NotFound(Exception):
    """The record does not exist, or the user may not see it (shown as 404)."""


class Conflict(Exception):
    """Someone else changed the record since it was read."""
