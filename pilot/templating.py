"""Jinja filters and globals shared by all templates."""

from datetime import date, datetime

from flask import Flask, get_flashed_messages, request
from jinja2 import pass_context

from pilot import codes
from pilot.clock import AMSTERDAM
from pilot.models import Rol


def datum(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")


def getal(value: float | int | None, decimals: int = 0) -> str:
    """Dutch number format: 1.234,5."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def link_args(*taken: str) -> dict[str, str]:
    """This request's query for a link to another page: without the names the link sets
    itself and without ``url_for``'s own ``_``-options (``?fmt=`` or ``?_scheme=`` in a
    URL once made ``url_for`` fail with a 500)."""
    taken_names = set(taken) | set(request.view_args or {})
    return {
        key: value
        for key, value in request.args.items()
        if key not in taken_names and not key.startswith("_")
    }


def zin(value: str | None) -> str:
    """Free text as a sentence: ends with one full stop (or its own ! or ?)."""
    text = (value or "").strip()
    return text if not text or text[-1] in ".!?" else text + "."


def aantal(n: int, enkelvoud: str, meervoud: str) -> str:
    """'1 rij', '2 rijen', '1.234 rijen': the count in Dutch notation with the right noun."""
    return f"{getal(n)} {enkelvoud if n == 1 else meervoud}"


def field_attributes(field, hint: str | None, **extra: object) -> dict[str, object]:
    """The attributes that link a control to its hint and error (``_form.html``): only
    those that apply, since WTForms would write a None value as "None"."""
    described = []
    if hint:
        described.append(f"{field.id}-hint")
    if field.errors:
        described.append(f"{field.id}-fout")
    attributes: dict[str, object] = {}
    if described:
        attributes["aria-describedby"] = " ".join(described)
    if field.errors:
        attributes["aria-invalid"] = "true"
    attributes.update(extra)
    return attributes


@pass_context
def page_has_errors(context) -> bool:
    """Whether the page reports an error: a form with errors (``form``), messages without a
    field (``errors``, ``error``) or a flashed error. The title then starts with "Fout:"."""
    form = context.get("form")
    if form is not None and getattr(form, "errors", None):
        return True
    if context.get("errors") or context.get("error"):
        return True
    return any(category == "error" for category, _ in get_flashed_messages(with_categories=True))


def register(app: Flask) -> None:
    app.add_template_global(page_has_errors)
    app.add_template_global(field_attributes)
    app.add_template_global(link_args)
    app.add_template_filter(datum)
    app.add_template_filter(getal)
    app.add_template_filter(zin)
    app.add_template_global(aantal)
    app.add_template_global(codes, "codes")
    app.add_template_global(Rol, "Rol")
