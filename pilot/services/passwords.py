"""The password rules (ASVS 2.1): length, no composition rules, no common or breached ones.

At least 12 and at most 128 characters, any Unicode character, no truncation (the whole
password is hashed with scrypt). Refused: a password on the shipped list of breached
passwords (zxcvbn's 30,000 most frequent, from Mark Burnett's 10 million password dump),
the same after stripping digits and symbols at both ends ("password2025!"), one that
contains the user name or display name, and one that zxcvbn estimates guessable in
fewer than 10^10 guesses (score < 4: repeats, keyboard walks, dictionary words with digits;
our own Dutch word list ``pilot/data/wachtwoorden-nl.txt`` counts as dictionary). No
look-up leaves the machine.
"""

from functools import lru_cache
from pathlib import Path

from werkzeug.security import generate_password_hash

# scrypt (werkzeug's default) is memory-hard; the parameters are werkzeug's current ones.
PASSWORD_METHOD = "scrypt"
MIN_LENGTH = 12
MAX_LENGTH = 128
ZXCVBN_MAX = 72  # zxcvbn refuses longer input; a longer password is long enough anyway
MIN_SCORE = 4
DUTCH_WORDS = Path(__file__).resolve().parent.parent / "data" / "wachtwoorden-nl.txt"
EDGE = "0123456789!@#$%^&*()-_=+[]{};:'\",.<>/?\\|`~ "

TOO_SHORT = f"Het wachtwoord moet minstens {MIN_LENGTH} tekens lang zijn."
TOO_LONG = f"Het wachtwoord mag hoogstens {MAX_LENGTH} tekens lang zijn."
BREACHED = (
    "Dit wachtwoord staat op een lijst van veelgebruikte of uitgelekte wachtwoorden. "
    "Kies een ander."
)
PERSONAL = "Het wachtwoord mag uw gebruikersnaam of naam niet bevatten."
GUESSABLE = (
    "Dit wachtwoord is te makkelijk te raden (bijvoorbeeld herhalingen, reeksen of een "
    "bekend woord met cijfers). Een zin van een paar losse woorden werkt goed."
)


@lru_cache(maxsize=1)
def _dutch_words() -> tuple[str, ...]:
    lines = DUTCH_WORDS.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _breached() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # large lists: loaded when used

    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(_dutch_words())


def problems(password: str, context: tuple[str, ...] = ()) -> list[str]:
    """Dutch messages for everything wrong with ``password``; empty when it is fine.

    ``context`` holds the user name and display name.
    """
    if len(password) < MIN_LENGTH:
        return [TOO_SHORT]
    if len(password) > MAX_LENGTH:
        return [TOO_LONG]
    lowered = password.lower()
    if lowered in _breached() or lowered.strip(EDGE) in _breached():
        return [BREACHED]
    words = [w.lower() for w in context if w and len(w) >= 4]
    if any(word in lowered for word in words):
        return [PERSONAL]
    from zxcvbn import zxcvbn

    if zxcvbn(password[:ZXCVBN_MAX], user_inputs=[*_dutch_words(), *words])["score"] < MIN_SCORE:
        return [GUESSABLE]
    return []


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)
