"""Screening free text for personal data (DOMAIN.md: names, addresses, BSN, phone numbers,
e-mail addresses and licence plates are never stored).

``screen`` says *what kind* of data it found, never the data itself, so the message can be
shown and nothing sensitive reaches a log.

The text is normalised first (NFKC: a fullwidth @ or digit becomes the plain one; no-break
spaces become spaces), then screened for: a BSN passing the 11-proef in any grouping
(dots, slashes, commas, dashes, spaces); e-mail addresses, also written "[at]", "(at)",
"at … dot", "apenstaartje" or with spaces; phone numbers, also with the letter O for a
zero and spelled out in Dutch ("nul zes …"); IBANs (python-stdnum checks the check
digits); licence plates of every RDW side code in any case with dashes, dots or spaces;
postcode + house number; a street name + house number; dates of birth (after "geboren",
"geb.", "geboortedatum", or any full date before 2016, long before the pilot); and names:
a common Dutch first name followed by a common surname ("Jan de Vries"), initials with a
surname ("J. de Vries", "J.P. Bakker") or a title with a name ("mevrouw Jansen"). The name
lists are in ``pilot/data/namen/`` with their sources. ``tests/test_security_pii.py`` holds
ordinary Dutch remarks that must still pass.
"""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

NAMES = Path(__file__).resolve().parent.parent / "data" / "namen"
BSN_CANDIDATE = re.compile(r"(?<![\d])(\d(?:[ .,/\-]?\d){8})(?![\d])")
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(\.[\w\-]+)+")
EMAIL_AT = re.compile(
    r"\s*(?:[\[({<]\s*(?:at|@|apenstaartje)\s*[\])}>]|\s(?:at|apenstaartje)\s|@)\s*",
    re.IGNORECASE,
)
EMAIL_DOT = re.compile(
    r"\s*(?:[\[({<]\s*(?:dot|punt)\s*[\])}>]|\s(?:dot|punt)\s)\s*", re.IGNORECASE
)
LETTER_ZERO = re.compile(r"(?<![A-Za-z])[Oo](?=[\s\-]?\d[\d\s\-]{6,})")
NUMBER_WORDS = {
    "nul": "0",
    "een": "1",
    "één": "1",
    "twee": "2",
    "drie": "3",
    "vier": "4",
    "vijf": "5",
    "zes": "6",
    "zeven": "7",
    "acht": "8",
    "negen": "9",
}
SPELLED_DIGITS = re.compile(r"\b(?:(?:" + "|".join(NUMBER_WORDS) + r")[\s,\-]*){8,}", re.IGNORECASE)
IBAN_CANDIDATE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){10,30}\b", re.IGNORECASE)
STREET = re.compile(
    r"\b[A-Z][\w'\-]*(?:straat|weg|laan|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|"
    r"plantsoen|markt|wal|baan|boulevard|ring|allee|haven|veld|erf|passage|brink|zijde|burgwal)"
    r"\s+\d{1,4}(?:\s?[a-zA-Z](?![a-zA-Z]))?\b"
    r"(?!\s*(?:personen|jongens|mannen|vrouwen|meisjes|meiden|keer|minuten|uur|man|vrouw|"
    r"jongeren|daders|slachtoffers|boa)\b)",
)
DATE = r"\d{1,2}[\-/.]\d{1,2}[\-/.](?:19|20)?\d{2}"
MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
BIRTH_CONTEXT = re.compile(
    r"\b(?:geboren|geb\.?|geboortedatum|gebdat|geb\.datum|dob)\b[\s:op]*"
    rf"(?:{DATE}|\d{{1,2}}\s+(?:{MONTHS})\s+\d{{4}})",
    re.IGNORECASE,
)
FULL_DATE = re.compile(r"\b\d{1,2}[\-/.]\d{1,2}[\-/.]((?:19|20)\d{2})\b")
WRITTEN_DATE = re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS})\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)
BIRTH_YEARS_BEFORE = 2016  # a full date before the pilot (2024) is almost surely a birth date
TUSSENVOEGSEL = r"(?:(?:van|de|der|den|ter|ten|te|het|'t|in|op|la|le|el)\s+){0,3}"
TITLE = re.compile(
    r"\b(?:meneer|mevrouw|mevr\.?|mw\.?|dhr\.?|de heer|mr\.?|dr\.?)\s+"
    + TUSSENVOEGSEL
    + r"[A-Z][a-zà-ÿ]{2,}",
)
WORD = re.compile(r"[A-Za-zÀ-ÿ'\-]+|\S")
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


def _bsn_valid(digits: str) -> bool:
    from stdnum.nl import bsn  # python-stdnum is imported when a remark is screened

    return bsn.is_valid(digits)


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
KENTEKEN_MET_PUNTEN = re.compile(
    r"(?<![\w.])(" + "|".join(_plate_pattern(s, r"\.") for s in _SIDECODES) + r")(?![\w.])",
    re.IGNORECASE,
)
# With spaces only in capitals: "om 2 uur 15" must not read as a plate.
KENTEKEN_MET_SPATIES = re.compile(
    r"(?<![\w])(" + "|".join(_plate_pattern(s, " ") for s in _SIDECODES) + r")(?![\w])"
)
KENTEKEN_ZONDER_STREEPJES = re.compile(
    r"(?<!\w)(" + "|".join(_plate_pattern(s, "") for s in _SIDECODES) + r")(?!\w)",
    re.IGNORECASE,
)

# What is never written down (DOMAIN.md), for messages, hints and the import instructions.
NOT_STORED = (
    "namen, adressen, geboortedatums, BSN, rekeningnummers, telefoonnummers, "
    "e-mailadressen of kentekens"
)

KINDS = {
    "bsn": "een burgerservicenummer (BSN)",
    "telefoon": "een telefoonnummer",
    "email": "een e-mailadres",
    "adres": "een postcode met huisnummer",
    "kenteken": "een kenteken",
    "iban": "een rekeningnummer (IBAN)",
    "straat": "een straatnaam met huisnummer",
    "geboortedatum": "een geboortedatum",
    "naam": "een naam",
}


def normalise(text: str) -> str:
    """Fullwidth and other compatibility forms to plain ones; every space to ' '."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000]", " ", text)


def _has_bsn(text: str) -> bool:
    for match in BSN_CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if len(digits) == 9 and _bsn_valid(digits):
            return True
    return False


def _has_email(text: str) -> bool:
    if EMAIL.search(text):
        return True
    joined = EMAIL_DOT.sub(".", EMAIL_AT.sub("@", text))
    return bool(EMAIL.search(joined))


def _phone_in(text: str) -> bool:
    import phonenumbers  # 15 ms and its metadata: loaded at the first screening, not at start-up

    matcher = phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID)
    return matcher.has_next()


def _spelled(match: re.Match) -> str:
    words = re.findall(r"[a-zé]+", match.group(0).lower())
    return "".join(NUMBER_WORDS[w] for w in words) + " "


def _has_phone(text: str) -> bool:
    if _phone_in(text):
        return True
    variant = SPELLED_DIGITS.sub(_spelled, LETTER_ZERO.sub("0", text))
    return variant != text and _phone_in(variant)


def _has_iban(text: str) -> bool:
    from stdnum import iban

    return any(iban.is_valid(m.group(0).replace(" ", "")) for m in IBAN_CANDIDATE.finditer(text))


def _has_plate(text: str) -> bool:
    if KENTEKEN_MET_STREEPJES.search(text) or KENTEKEN_MET_PUNTEN.search(text):
        return True
    if KENTEKEN_MET_SPATIES.search(text):
        return True
    return any(
        re.search(r"\d", m.group(1)) and re.search(r"[A-Za-z]", m.group(1))
        for m in KENTEKEN_ZONDER_STREEPJES.finditer(text)
    )


def _has_birth_date(text: str) -> bool:
    if BIRTH_CONTEXT.search(text):
        return True
    years = [int(m.group(1)) for m in (*FULL_DATE.finditer(text), *WRITTEN_DATE.finditer(text))]
    return any(1900 <= year < BIRTH_YEARS_BEFORE for year in years)


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], frozenset[str]]:
    def read(name: str) -> frozenset[str]:
        lines = (NAMES / name).read_text(encoding="utf-8").splitlines()
        return frozenset(line.strip().lower() for line in lines if line and line[0] != "#")

    return read("voornamen.txt"), read("achternamen.txt")


NAME_AFTER_FIRST = re.compile(r"\s+" + TUSSENVOEGSEL + r"([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)")
INITIALS = re.compile(
    r"\b(?:[A-Z]\.\s?){1,4}(" + TUSSENVOEGSEL.replace("{0,3}", "{1,3}") + r")?([A-Z][a-zà-ÿ]{2,})"
)


def _has_name(text: str) -> bool:
    if TITLE.search(text):
        return True
    first_names, surnames = _names()
    for match in re.finditer(r"\b([A-Z][a-zà-ÿ]+)\b", text):
        if match.group(1).lower() not in first_names:
            continue
        following = NAME_AFTER_FIRST.match(text, match.end())
        if following and following.group(1).split("-")[0].lower() in surnames:
            return True
    for match in INITIALS.finditer(text):
        if match.group(1) or match.group(2).lower() in surnames:
            return True
    return False


def screen(text: str | None) -> list[str]:
    """Kinds of personal data found in ``text`` (keys of KINDS), in a stable order."""
    if not text or not text.strip():
        return []
    text = normalise(text)
    checks = {
        "bsn": _has_bsn,
        "email": _has_email,
        "telefoon": _has_phone,
        "adres": lambda t: bool(POSTCODE_HUISNUMMER.search(t) or HUISNUMMER_POSTCODE.search(t)),
        "kenteken": _has_plate,
        "iban": _has_iban,
        "straat": lambda t: bool(STREET.search(t)),
        "geboortedatum": _has_birth_date,
        "naam": _has_name,
    }
    return [kind for kind, check in checks.items() if check(text)]


def message(kinds: list[str], field_label: str) -> str:
    """A Dutch message naming what was found in the field, without repeating it.

    ``field_label`` is the field's Dutch name as it follows "De" ("opmerking", "reden").
    """
    names = [KINDS[k] for k in kinds]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
    return f"De {field_label} lijkt {listed} te bevatten. Verwijder dit: noteer geen {NOT_STORED}."
