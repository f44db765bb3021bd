"""Screening free text for personal data (DOMAIN.md: names, addresses, BSN, phone numbers,
e-mail addresses and licence plates are never stored).

``screen`` says *what kind* of data it found, never the data itself, so the message can be
shown and nothing sensitive reaches a log.
"""

import re

import phonenumbers
from stdnum.nl import bsn

BSN_CANDIDATE = re.compile(r"(?<![\d.\-])(\d[\d. \-]{7,11}\d)(?![\d.\-])")
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(\.[\w\-]+)+")
POSTCODE_HUISNUMMER = re.compile(
    r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Za-z]{2}\b[\s,]*(nr\.?\s*)?\d{1,5}\b"
)
HUISNUMMER_POSTCODE = re.compile(r"\b\d{1,5}[a-zA-Z]?\s*,?\s*[1-9]\d{3}\s?[A-Za-z]{2}\b")

# Dutch licence plate side codes (RDW sidecodes 1-14): L = letter, D = digit.
_SIDECODES = (
    "LL-DD-DD",
    "DD-DD-LL",
    "DD-LL-DD",
    "LL-DD-LL",
    "LL-LL-DD",
    "DD-LL-LL",
    "DD-LLL-D",
    "D-LLL-DD",
    "LL-DDD-L",
    "L-DDD-LL",
    "LLL-DD-L",
    "L-DD-LLL",
    "D-LL-DDD",
    "DDD-LL-D",
)


def _plate_pattern(sidecode: str, separator: str) -> str:
    parts = []
    for group in sidecode.split("-"):
        kind = "[A-Z]" if group[0] == "L" else r"\d"
        parts.append(f"{kind}{{{len(group)}}}")
    return separator.join(parts)


KENTEKEN_MET_STREEPJES = re.compile(
    r"(?<![\w-])(" + "|".join(_plate_pattern(s, "-") for s in _SIDECODES) + r")(?![\w-])",
    re.IGNORECASE,
)
KENTEKEN_ZONDER_STREEPJES = re.compile(
    r"(?<!\w)(" + "|".join(_plate_pattern(s, "") for s in _SIDECODES) + r")(?!\w)"
)

# What is never written down (DOMAIN.md), for messages, hints and the import instructions.
NOT_STORED = "namen, adressen, BSN, telefoonnummers, e-mailadressen of kentekens"

KINDS = {
    "bsn": "een burgerservicenummer (BSN)",
    "telefoon": "een telefoonnummer",
    "email": "een e-mailadres",
    "adres": "een postcode met huisnummer",
    "kenteken": "een kenteken",
}


def _has_bsn(text: str) -> bool:
    for match in BSN_CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if len(digits) == 9 and bsn.is_valid(digits):
            return True
    return False


def _has_phone(text: str) -> bool:
    matcher = phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID)
    return matcher.has_next()


def _has_plate(text: str) -> bool:
    if KENTEKEN_MET_STREEPJES.search(text):
        return True
    return any(
        re.search(r"\d", m.group(1)) and re.search(r"[A-Z]", m.group(1))
        for m in KENTEKEN_ZONDER_STREEPJES.finditer(text)
    )


def screen(text: str | None) -> list[str]:
    """Kinds of personal data found in ``text`` (keys of KINDS), in a stable order."""
    if not text or not text.strip():
        return []
    found = []
    if _has_bsn(text):
        found.append("bsn")
    if EMAIL.search(text):
        found.append("email")
    if _has_phone(text):
        found.append("telefoon")
    if POSTCODE_HUISNUMMER.search(text) or HUISNUMMER_POSTCODE.search(text):
        found.append("adres")
    if _has_plate(text):
        found.append("kenteken")
    return found


def message(kinds: list[str], field_label: str) -> str:
    """A Dutch message naming what was found in the field, without repeating it.

    ``field_label`` is the field's Dutch name as it follows "De" ("opmerking", "reden").
    """
    names = [KINDS[k] for k in kinds]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
    return f"De {field_label} lijkt {listed} te bevatten. Verwijder dit: noteer geen {NOT_STORED}."
