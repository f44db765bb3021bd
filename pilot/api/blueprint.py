"""The ``api`` blueprint: the JSON API under ``API_PREFIX`` and the token pages."""

from flask import Blueprint

API_PREFIX = "/api/v1"

bp = Blueprint("api", __name__)
