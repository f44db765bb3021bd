"""The OpenAPI document as JSON, and the documentation page rendered from it.

The page is HTML from our own template, built from the same document that tools read: no
script, no stylesheet or font from elsewhere, so it works under the app's strict
Content-Security-Policy and with the app's own accessible styles. Both are public: they
describe the API, they hold no data.
"""

import json

from flask import jsonify, render_template
from markupsafe import Markup, escape

from pilot.access import public
from pilot.api.blueprint import API_PREFIX, bp
from pilot.api.openapi import openapi_document
from pilot.api.problems import EXTRA_KINDS, KINDS

METHOD_ORDER = ("get", "post", "put", "patch", "delete")
CONSTRAINTS = (
    ("minLength", "min. lengte"),
    ("maxLength", "max. lengte"),
    ("minimum", "min."),
    ("maximum", "max."),
    ("minItems", "min. aantal"),
    ("maxItems", "max. aantal"),
    ("pattern", "patroon"),
    ("default", "standaard"),
)


def type_of(schema: dict) -> str:
    """A schema's type in a few words (``IncidentIn``, ``lijst van string``, …)."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " of ".join(type_of(option) for option in schema["anyOf"])
    kind = schema.get("type", "")
    if kind == "array":
        return f"lijst van {type_of(schema.get('items', {}))}"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return kind or "waarde"


def constraints_of(schema: dict) -> str:
    """Lengths, ranges, pattern and default of a schema (and of its ``anyOf`` options)."""
    parts: list[str] = []
    for option in [schema, *schema.get("anyOf", [])]:
        for key, label in CONSTRAINTS:
            if key not in option or (key == "default" and option[key] is None):
                continue
            value = option[key] if key == "pattern" else json.dumps(option[key])
            if f"{label} {value}" not in parts:
                parts.append(f"{label} {value}")
    return ", ".join(parts)


def with_code(text: str) -> Markup:
    """Text from the document with its `code` spans as <code> (everything else escaped)."""
    pieces = str(escape(text)).split("`")
    return Markup(
        "".join(f"<code>{piece}</code>" if i % 2 else piece for i, piece in enumerate(pieces))
    )


def _fields(schema: dict) -> list[dict]:
    required = set(schema.get("required", []))
    return [
        {
            "naam": name,
            "type": type_of(prop),
            "verplicht": name in required,
            "regels": constraints_of(prop),
            "uitleg": with_code(prop.get("description", "")),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _schema_name(content: dict) -> str:
    for media in content.values():
        return type_of(media.get("schema", {}))
    return ""


def page_model(document: dict) -> dict:
    """What the template shows: operations per tag, and every schema with its fields."""
    groups: dict[str, list[dict]] = {}
    for path, operations in document["paths"].items():
        for method in METHOD_ORDER:
            operation = operations.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["Overig"])[0]
            groups.setdefault(tag, []).append(
                {
                    "id": operation["operationId"],
                    "methode": method.upper(),
                    "pad": path,
                    "samenvatting": with_code(operation.get("summary", "")),
                    "uitleg": with_code(operation.get("description", "")),
                    "parameters": [
                        {
                            "naam": p["name"],
                            "in": p["in"],
                            "verplicht": p.get("required", False),
                            "type": type_of(p.get("schema", {})),
                            "regels": constraints_of(p.get("schema", {})),
                            "uitleg": with_code(p.get("description", "")),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _schema_name(operation.get("requestBody", {}).get("content", {})),
                    "antwoorden": [
                        {
                            "status": status,
                            "uitleg": response.get("description", ""),
                            "schema": _schema_name(response.get("content", {})),
                        }
                        for status, response in sorted(operation.get("responses", {}).items())
                    ],
                }
            )
    schemas = [
        {"naam": name, "uitleg": schema.get("description", ""), "velden": _fields(schema)}
        for name, schema in sorted(document["components"]["schemas"].items())
    ]
    problemen = [(slug, title, detail) for slug, title, detail in KINDS.values()]
    problemen += [(slug, title, detail) for slug, (title, detail) in EXTRA_KINDS.items()]
    return {"groepen": groups, "schemas": schemas, "problemen": problemen}


@bp.get(f"{API_PREFIX}/openapi.json")
@public
def show_openapi():
    """The OpenAPI 3.1 document of the API."""
    return jsonify(openapi_document())


@bp.get(f"{API_PREFIX}/docs")
@public
def show_docs():
    """The API's documentation page, rendered from the OpenAPI document."""
    document = openapi_document()
    return render_template("api/docs.html", info=document["info"], **page_model(document))
