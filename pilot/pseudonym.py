"""Keyed hashes and pseudonymous codes.

Personnel numbers and external case numbers are stored only as an HMAC-SHA256 with the
instance's pseudonymisation key, which lives outside the database: whoever holds a copy of
the database alone cannot reverse or test guesses against them.
"""

import hashlib
import hmac
import re
import secrets
from functools import lru_cache

from flask import current_app

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def normalise_identifier(value: str) -> str:
    """Case, spaces and dashes do not make a different number."""
    return NOT_ALPHANUMERIC.sub("", value.upper())


def keyed_hash(value: str, purpose: str, key: str | None = None) -> str:
    """HMAC of a normalised identifier; ``purpose`` separates the namespaces."""
    return _hmac_hex(key or current_app.config["PSEUDONYM_KEY"], purpose, value)


@lru_cache(maxsize=65536)
def _hmac_hex(key: str, purpose: str, value: str) -> str:
    """Cached: an import compares and stores the same case numbers several times."""
    message = f"{purpose}:{normalise_identifier(value)}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def new_boa_code(cbs_code: str) -> str:
    """A random pseudonymous boa code such as ``BOA-0599-K7QX``; it carries no meaning."""
    suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
    return f"BOA-{cbs_code[2:]}-{suffix}"
