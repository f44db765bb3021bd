"""The import use case: analyse a file (preview) and write its valid rows (confirm).

Every row goes through ``validate_batch``, the same rules as the web form. Rows already in
the database (matched on the keyed hash of the case number when the row has one, else on
the fingerprint of moment, location, boa and conduct) and repeats within the file are
skipped and counted, so importing a file twice adds nothing.

Writing happens in one transaction together with the single audit event: the rows go in
with SQLAlchemy Core (fast, and bypassing the per-row audit listener on purpose), the
commit comes last. A process killed half-way therefore leaves no rows at all. A job's
import (``batch``: the job id) writes in short transactions instead, so that other users'
saves need not wait for it, and deletes its rows again when it fails (``staged``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from pilot import audit
from pilot.extensions import db
from pilot.models import Boa, Gemeente, Incident
from pilot.services.gc_pause import cyclic_gc_paused
from pilot.services.gemeenten import inactive_message
from pilot.services.imports import staged
from pilot.services.imports.parsing import ParsedRow, parse_table
from pilot.services.imports.reading import MAX_ROWS, ImportFileError, read_table
from pilot.services.incidenten import (
    fingerprint,
    rows_values_many,
    validate_batch,
    zaaknummer_hash,
)
from pilot.templating import aantal, getal

CHUNK = 5_000
QUERY_CHUNK = 900
FIELD_COLUMNS = {"tijdstip": "datum/tijd", "locatie": "locatie", "boa_id": "boa_code"}
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RowError:
    rij: int
    kolom: str
    melding: str


@dataclass
class Analysis:
    """What an import of a file would do; nothing has been written."""

    bestand: str
    soort: str
    rijen: int
    fouten: list[RowError]
    rijen_met_fouten: int
    al_aanwezig: int
    dubbel_in_bestand: int
    rd_omgezet: int
    genegeerde_kolommen: list[str]
    te_schrijven: list[ParsedRow] = field(repr=False)

    @property
    def geldig(self) -> int:
        return len(self.te_schrijven)

    def samenvatting(self) -> dict:
        return {
            "bestand": self.bestand,
            "rijen": self.rijen,
            "geldig": self.geldig,
            "rijen_met_fouten": self.rijen_met_fouten,
            "al_aanwezig": self.al_aanwezig,
            "dubbel_in_bestand": self.dubbel_in_bestand,
            "rd_omgezet": self.rd_omgezet,
            "genegeerde_kolommen": self.genegeerde_kolommen,
        }


@dataclass(frozen=True)
class ImportResult:
    analysis: Analysis
    geschreven: int
    alles_of_niets: bool

    @property
    def geweigerd(self) -> bool:
        """Nothing written because of errors (with 'alles of niets' or no valid rows)."""
        return self.geschreven == 0 and self.analysis.rijen_met_fouten > 0

    def message(self) -> tuple[str, str]:
        """The Dutch result line and its kind (success or error), for page and job."""
        analysis = self.analysis
        counts = (
            f"{aantal(analysis.rijen, 'rij', 'rijen')}: {getal(self.geschreven)} geïmporteerd, "
            f"{getal(analysis.rijen_met_fouten)} met fouten, "
            f"{getal(analysis.al_aanwezig + analysis.dubbel_in_bestand)} al aanwezig of dubbel."
        )
        if self.geweigerd:
            return f"Niets geïmporteerd uit {analysis.bestand} vanwege fouten. {counts}", "error"
        return f"Import van {analysis.bestand} voltooid. {counts}", "success"


def no_progress(_stage: str, _done: int, _total: int) -> None:
    return None


def _boa_codes(gemeente: Gemeente) -> dict[str, int]:
    rows = db.session.execute(select(Boa.code, Boa.id).where(Boa.gemeente_id == gemeente.id))
    return {code.upper(): boa_id for code, boa_id in rows}


def boa_codes_of(gemeente: Gemeente) -> list[str]:
    """The codes of the gemeente's bevoegde boa's (``Boa.inzetbaar``), for the drop-down."""
    query = select(Boa).where(Boa.gemeente_id == gemeente.id, Boa.actief).order_by(Boa.code)
    return [boa.code for boa in db.session.execute(query).scalars() if boa.inzetbaar]


def _existing(column, gemeente: Gemeente, wanted: Iterable[str]) -> set[str]:
    wanted = sorted(set(wanted))
    found: set[str] = set()
    for start in range(0, len(wanted), QUERY_CHUNK):
        part = wanted[start : start + QUERY_CHUNK]
        query = select(column).where(Incident.gemeente_id == gemeente.id, column.in_(part))
        found.update(db.session.execute(query).scalars())
    return found


def _identity(gemeente: Gemeente, row: ParsedRow) -> tuple[str, str] | None:
    """('z', hash) for a row with a case number, ('v', fingerprint) for one without."""
    if hashed := zaaknummer_hash(row.item.zaaknummer):
        return "z", hashed
    item = row.item
    if row.errors or item.tijdstip is None or item.lat is None or item.lon is None:
        return None
    return "v", fingerprint(gemeente.id, item)


def _split_known(gemeente: Gemeente, rows: list[ParsedRow]) -> tuple[list[ParsedRow], int, int]:
    identities = [_identity(gemeente, row) for row in rows]
    known = {
        "z": _existing(
            Incident.zaaknummer_hmac, gemeente, (k for t, k in filter(None, identities) if t == "z")
        ),
        "v": _existing(
            Incident.vingerafdruk, gemeente, (k for t, k in filter(None, identities) if t == "v")
        ),
    }
    seen: set[tuple[str, str]] = set()
    fresh: list[ParsedRow] = []
    present = repeated = 0
    for row, identity in zip(rows, identities, strict=True):
        if identity is not None and identity[1] in known[identity[0]]:
            present += 1
        elif identity is not None and identity in seen:
            repeated += 1
        else:
            if identity is not None:
                seen.add(identity)
            fresh.append(row)
    return fresh, present, repeated


def _merge(row: ParsedRow, rule_errors: dict[str, list[str]]) -> list[RowError]:
    merged = dict(row.errors)
    for name, messages in rule_errors.items():
        merged.setdefault(name, messages)
    return [
        RowError(row.rij, FIELD_COLUMNS.get(name, name), message)
        for name, messages in merged.items()
        for message in messages
    ]


def analyse(
    gemeente: Gemeente,
    path: Path,
    bestand: str,
    progress: Progress = no_progress,
    max_rows: int = MAX_ROWS,
) -> Analysis:
    """Read, parse and validate a file for ``gemeente``; raises ImportFileError for the file."""
    with cyclic_gc_paused():
        return _analyse(gemeente, path, bestand, progress, max_rows)


def _analyse(
    gemeente: Gemeente, path: Path, bestand: str, progress: Progress, max_rows: int
) -> Analysis:
    if not gemeente.actief:
        raise ImportFileError(inactive_message(gemeente))
    table = read_table(path, bestand, max_rows)
    progress("gelezen", len(table.rows), len(table.rows))
    parsed = parse_table(table, _boa_codes(gemeente), gemeente.naam)
    progress("ontleed", len(parsed.rows), len(parsed.rows))
    fresh, present, repeated = _split_known(gemeente, parsed.rows)
    progress("vergeleken", len(fresh), len(parsed.rows))
    rule_errors = validate_batch(gemeente, [row.item for row in fresh])
    progress("gecontroleerd", len(fresh), len(parsed.rows))
    errors: list[RowError] = []
    valid: list[ParsedRow] = []
    with_errors = 0
    for row, found in zip(fresh, rule_errors, strict=True):
        row_errors = _merge(row, found)
        if row_errors:
            with_errors += 1
            errors.extend(row_errors)
        else:
            valid.append(row)
    return Analysis(
        bestand=bestand,
        soort=table.soort,
        rijen=len(parsed.rows),
        fouten=errors,
        rijen_met_fouten=with_errors,
        al_aanwezig=present,
        dubbel_in_bestand=repeated,
        rd_omgezet=parsed.rd_omgezet,
        genegeerde_kolommen=parsed.genegeerde_kolommen,
        te_schrijven=valid,
    )


def import_file(
    gemeente: Gemeente,
    path: Path,
    bestand: str,
    alles_of_niets: bool = False,
    progress: Progress = no_progress,
    batch: str | None = None,
) -> ImportResult:
    """Analyse again and write the valid rows in one transaction with one audit event.

    With ``alles_of_niets`` nothing is written when any row has an error. Raises
    ImportFileError (nothing written) when the file as a whole cannot be read. With
    ``batch`` (a job id) the rows go in short transactions (``staged``).
    """
    if batch is not None:
        staged.discard(batch)  # what an interrupted earlier attempt of the job left
    try:
        with cyclic_gc_paused():
            analysis = _analyse(gemeente, path, bestand, progress, MAX_ROWS)
            refused = alles_of_niets and analysis.rijen_met_fouten
            rows = [] if refused else analysis.te_schrijven
            try:
                if batch is None:
                    written = _insert(gemeente, rows, progress)
                else:
                    written = staged.write(batch, gemeente, [row.item for row in rows], progress)
            except IntegrityError as exc:
                raise ImportFileError(
                    "Tijdens het importeren heeft iemand anders een deel van deze incidenten "
                    "geregistreerd; er is niets geïmporteerd. Probeer het opnieuw: wat al "
                    "bestaat wordt dan overgeslagen."
                ) from exc
        result = ImportResult(analysis=analysis, geschreven=written, alles_of_niets=alles_of_niets)
        if batch is not None:
            staged.mark_done(batch, result.message()[0])
        audit.record(
            "import",
            "incident",
            gemeente_id=gemeente.id,
            soort=analysis.soort,  # never the file name: it may hold a name or phone number
            rijen=analysis.rijen,
            geschreven=written,
            fouten=analysis.rijen_met_fouten,
            al_aanwezig=analysis.al_aanwezig + analysis.dubbel_in_bestand,
            alles_of_niets=alles_of_niets,
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if batch is not None:
            staged.discard(batch)
        raise
    return result


def _insert(gemeente: Gemeente, rows: list[ParsedRow], progress: Progress) -> int:
    total = len(rows)
    if total:
        staged.widen_sqlite_cache()
    for start in range(0, total, CHUNK):
        progress("schrijven", start, total)
        items = [row.item for row in rows[start : start + CHUNK]]
        values = rows_values_many(gemeente, items, gemeente.heeft_grens)
        staged.insert_incidents(
            db.session.connection(), [{**row, "geimporteerd": True} for row in values]
        )
    if total:
        progress("schrijven", total, total)
    return total
