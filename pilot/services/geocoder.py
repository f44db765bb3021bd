"""Addresses to coordinates with the PDOK Locatieserver (suggest, then lookup).

The incident form asks the app, and the app asks PDOK: the browser needs no connection to
another host (one Content-Security-Policy for every page), the search is limited to the
gemeente on the server, and nothing of the user but the typed text reaches PDOK. The text
is not logged. ``PILOT_PDOK_LOCATIESERVER_URL`` sets the base URL (tests point it at a
local server that replays PDOK's answers); when PDOK cannot be reached the service raises
``GeocoderUnavailable`` and the form says so and keeps working with map and fields.
"""

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

DEFAULT_URL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1"
TIMEOUT_S = 5.0
MIN_QUERY = 3
MAX_QUERY = 100
ROWS = 8
# What a coordinator looks for: an address, a street, a postcode, a named place (a
# station, a square). No parcels or hectometre posts.
TYPES = "type:(adres OR weg OR postcode OR openbareruimte)"
PDOK_ID = re.compile(r"^[a-z]{3}-[0-9a-f]{32}$")
POINT = re.compile(r"^POINT\(\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s*\)$")
UNAVAILABLE = (
    "De adreszoeker (PDOK Locatieserver) is nu niet bereikbaar. Kies de locatie op de kaart "
    "of vul breedte- en lengtegraad in."
)


class GeocoderUnavailable(Exception):
    """PDOK did not answer, or answered with something that is not a search result."""


@dataclass(frozen=True)
class Suggestion:
    id: str
    naam: str
    type: str


@dataclass(frozen=True)
class Location:
    naam: str
    lat: float
    lon: float


def pdok_gemeentecode(cbs_code: str) -> str:
    """CBS 'GM0599' as PDOK writes it: '0599'."""
    return cbs_code.removeprefix("GM")


def is_pdok_id(value: str) -> bool:
    return bool(PDOK_ID.match(value or ""))


def _get(base_url: str, endpoint: str, params: list[tuple[str, str]]) -> dict:
    url = f"{base_url.rstrip('/')}/{endpoint}?{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            body = json.loads(response.read())
        return body["response"]
    except (OSError, ValueError, KeyError, TypeError) as exc:  # URLError, timeout, bad JSON
        raise GeocoderUnavailable(UNAVAILABLE) from exc


def suggest(base_url: str, query: str, cbs_code: str) -> list[Suggestion]:
    """Addresses, streets and postcodes in the gemeente that match ``query`` (best first);
    nothing for a query shorter than ``MIN_QUERY`` characters (PDOK is not asked)."""
    query = " ".join((query or "").split())[:MAX_QUERY]
    if len(query) < MIN_QUERY:
        return []
    params = [
        ("q", query),
        ("fq", f"gemeentecode:{pdok_gemeentecode(cbs_code)}"),
        ("fq", TYPES),
        ("fl", "id,weergavenaam,type"),
        ("rows", str(ROWS)),
    ]
    docs = _get(base_url, "suggest", params).get("docs") or []
    return [
        Suggestion(str(d["id"]), str(d["weergavenaam"]), str(d.get("type", "")))
        for d in docs
        if is_pdok_id(str(d.get("id", ""))) and d.get("weergavenaam")
    ]


def lookup(base_url: str, pdok_id: str, cbs_code: str) -> Location | None:
    """The point (WGS84) of a suggestion; None when PDOK does not know the id or the object
    lies in another gemeente."""
    if not is_pdok_id(pdok_id):
        return None
    params = [("id", pdok_id), ("fl", "id,weergavenaam,centroide_ll,gemeentecode")]
    docs = _get(base_url, "lookup", params).get("docs") or []
    if not docs or str(docs[0].get("gemeentecode", "")) != pdok_gemeentecode(cbs_code):
        return None
    match = POINT.match(str(docs[0].get("centroide_ll", "")))
    if match is None:
        raise GeocoderUnavailable(UNAVAILABLE)
    lon, lat = float(match.group(1)), float(match.group(2))
    return Location(str(docs[0].get("weergavenaam", "")), lat, lon)
