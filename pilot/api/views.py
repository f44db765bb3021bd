"""The ``api`` blueprint with every view module registered on it."""

from pilot.api import auth, docs, incidenten, publicatie, registers, tokens  # noqa: F401
from pilot.api.blueprint import bp

__all__ = ["bp"]
