"""The gemeenten blueprint, shared by its view modules (``views``, ``boundary_views``)."""

from flask import Blueprint

bp = Blueprint("gemeenten", __name__)
