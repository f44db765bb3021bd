"""Uploaded files kept between preview and confirm, in the instance folder.

Never in the session cookie: a file of 100,000 rows does not fit there, and the cookie is
readable by the browser. Each upload gets a random token and its own folder
``<instance>/uploads/<token>/`` holding the file, a small ``meta.json`` (who, which
gemeente, the preview's figures) and the full error list as CSV. Only the uploader, for
that gemeente, can open it again. Folders older than a day are removed on every new upload
and by ``flask --app pilot imports purge-uploads`` (cron); the retention purge removes a
gemeente's pending uploads at once (``discard_pending``).

A confirm first *claims* the upload by renaming ``meta.json`` to ``claimed.json``: a
rename is atomic, so of two simultaneous confirms exactly one wins; the other (and any
later one) is told the file was already processed. After the import only the small
``claimed.json`` stays, until the folder is purged.
"""

import csv
import io
import json
import re
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pilot import clock
from pilot.models import Gemeente
from pilot.services.errors import NotFound
from pilot.services.imports.reading import ImportFileError
from pilot.services.imports.service import Analysis, analyse

FOLDER = "uploads"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
MAX_AGE_SECONDS = 24 * 3600
SHOWN_ERRORS = 200


META = "meta.json"
CLAIMED = "claimed.json"


@dataclass
class Upload:
    token: str
    folder: Path
    meta: dict
    claimed: bool = False

    @property
    def path(self) -> Path:
        return self.folder / "bestand"

    @property
    def bestand(self) -> str:
        return self.meta["bestand"]

    @property
    def errors_csv(self) -> Path:
        return self.folder / "fouten.csv"


def _root(instance_path: str) -> Path:
    return Path(instance_path) / FOLDER


def _purge_old(root: Path) -> int:
    limit = clock.now().timestamp() - MAX_AGE_SECONDS
    removed = 0
    for folder in root.glob("*"):
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def purge_expired(instance_path: str) -> int:
    """Remove the uploads older than MAX_AGE_SECONDS that were never confirmed; how many."""
    root = _root(instance_path)
    return _purge_old(root) if root.is_dir() else 0


def pending_uploads(instance_path: str) -> dict[int, list[Path]]:
    """The folders of unconfirmed uploads per gemeente id (from their meta.json)."""
    found: dict[int, list[Path]] = {}
    root = _root(instance_path)
    for meta in sorted(root.glob("*/meta.json")) if root.is_dir() else []:
        try:
            gemeente_id = json.loads(meta.read_text(encoding="utf-8"))["gemeente_id"]
        except (OSError, ValueError, KeyError):
            continue
        found.setdefault(gemeente_id, []).append(meta.parent)
    return found


def discard_pending(instance_path: str, gemeente_ids: set[int]) -> int:
    """Remove the unconfirmed uploads of these gemeenten (retention purge); how many."""
    folders = [
        folder
        for gemeente_id, found in pending_uploads(instance_path).items()
        if gemeente_id in gemeente_ids
        for folder in found
    ]
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    return len(folders)


def _safe_name(name: str) -> str:
    """The original file name without any path, for display and the audit trail."""
    return Path(name.replace("\\", "/")).name[:200] or "bestand"


def errors_csv(analysis: Analysis) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["rij", "kolom", "melding"])
    writer.writerows((e.rij, e.kolom, e.melding) for e in analysis.fouten)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def preview_upload(
    instance_path: str,
    gemeente: Gemeente,
    user_id: int,
    bestand: str,
    save: Callable[[Path], None],
) -> Upload:
    """Store an uploaded file (``save`` writes it to the given path) and analyse it.

    Raises ImportFileError when the file as a whole cannot be used; then nothing is kept.
    """
    root = _root(instance_path)
    root.mkdir(parents=True, exist_ok=True)
    _purge_old(root)
    token = secrets.token_urlsafe(32)
    upload = Upload(token, root / token, {})
    upload.folder.mkdir(mode=0o700)
    try:
        save(upload.path)
        name = _safe_name(bestand)
        analysis = analyse(gemeente, upload.path, name)
    except BaseException:
        discard(upload)
        raise
    upload.meta = {
        "bestand": name,
        "gemeente_id": gemeente.id,
        "user_id": user_id,
        "samenvatting": analysis.samenvatting(),
        "fouten": [[e.rij, e.kolom, e.melding] for e in analysis.fouten[:SHOWN_ERRORS]],
        "aantal_fouten": len(analysis.fouten),
    }
    upload.errors_csv.write_bytes(errors_csv(analysis))
    (upload.folder / META).write_text(json.dumps(upload.meta), encoding="utf-8")
    return upload


def get_upload(
    instance_path: str, token: str, gemeente: Gemeente, user_id: int, claimed: bool = False
) -> Upload:
    """The upload of this user for this gemeente, else NotFound (also for a malformed token).

    With ``claimed`` an upload that a confirm already claimed is returned too (marked so).
    """
    if not TOKEN.match(token):
        raise NotFound
    folder = _root(instance_path) / token
    meta, was_claimed = None, False
    for name in (META, CLAIMED) if claimed else (META,):
        try:
            meta = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        was_claimed = name == CLAIMED
        break
    if meta is None:
        raise NotFound
    if meta.get("gemeente_id") != gemeente.id or meta.get("user_id") != user_id:
        raise NotFound
    return Upload(token, folder, meta, was_claimed)


def claim(upload: Upload) -> bool:
    """Claim the upload for one confirm (atomic rename); False when another got it first."""
    if upload.claimed:
        return False
    try:
        (upload.folder / META).rename(upload.folder / CLAIMED)
    except FileNotFoundError:
        return False
    upload.claimed = True
    return True


def finish(upload: Upload) -> None:
    """After a confirm: drop the file and the error list, keep the claim marker."""
    upload.path.unlink(missing_ok=True)
    upload.errors_csv.unlink(missing_ok=True)


def discard(upload: Upload) -> None:
    shutil.rmtree(upload.folder, ignore_errors=True)


__all__ = [
    "ImportFileError",
    "Upload",
    "claim",
    "discard",
    "discard_pending",
    "finish",
    "get_upload",
    "pending_uploads",
    "preview_upload",
    "purge_expired",
]
