"""Keyed hashes and pseudonymous codes.

Personnel numbers and external case numbers are stored only as an HMAC-SHA256 with the
instance's pseudonymisation key, which lives outside the database: whoever holds a copy of
the database alone cannot reverse or test guesses against them.
"""

import hashlib
import hmac
import secrets

from flask import current_app

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def normalise_identifier(value: str) -> str:
    """Case, spaces and dashes do not make a different number."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def keyed_hash(value: str, purpose: str, key: str | None = None) -> str:
    """HMAC of a normalised identifier; ``purpose`` separates the namespaces."""
    secret = (key or current_app.config["PSEUDONYM_KEY"]).encode()
    message = f"{purpose}:{normalise_identifier(value)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def new_boa_code(cbs_code: str) -> str:
    """A random pseudonymous boa code such as ``BOA-0599-K7QX``; it carries no meaning."""
    suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
    return f"BOA-{cbs_code[2:]}-{suffix}"
