"""A SHA-256 fingerprint of exactly the data a report is built from.

Deterministic: the report parameters (sorted JSON) and, in id order, the id and version of
every incident and dienst in scope, every police row's values and the gemeente rows'
report-relevant fields. The same data and parameters give the same fingerprint; any
change, withdrawal or new record in scope gives another.
"""

import hashlib
import json

from pilot.extensions import db
from pilot.models import Dienst, Gemeente, Incident, PolitieCijfer
from pilot.services.reports.periods import Period

BATCH = 10_000


def report_fingerprint(params: dict, ids: list[int], periode: Period) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(params, sort_keys=True, default=str).encode())
    queries = (
        db.select(
            Gemeente.id, Gemeente.cbs_code, Gemeente.naam, Gemeente.tranche,
            Gemeente.pilot_start, Gemeente.pilot_eind, Gemeente.inwoners,
            Gemeente.grens_geladen_op,
        )
        .where(Gemeente.id.in_(ids))
        .order_by(Gemeente.id),
        db.select(Incident.id, Incident.version)
        .where(
            Incident.gemeente_id.in_(ids),
            Incident.lokale_datum >= periode.van,
            Incident.lokale_datum <= periode.tot,
        )
        .order_by(Incident.id),
        db.select(Dienst.id, Dienst.version)
        .where(
            Dienst.gemeente_id.in_(ids), Dienst.datum >= periode.van, Dienst.datum <= periode.tot
        )
        .order_by(Dienst.id),
        db.select(
            PolitieCijfer.id, PolitieCijfer.maand, PolitieCijfer.meldingen,
            PolitieCijfer.aangiftes, PolitieCijfer.processen_verbaal,
        )
        .where(
            PolitieCijfer.gemeente_id.in_(ids),
            PolitieCijfer.maand >= periode.van.replace(day=1),
            PolitieCijfer.maand <= periode.tot,
        )
        .order_by(PolitieCijfer.id),
    )  # fmt: skip
    connection = db.session.connection()
    for number, statement in enumerate(queries):
        digest.update(f"\n#{number}\n".encode())
        result = connection.execute(statement.execution_options(yield_per=BATCH))
        for rows in result.partitions():
            digest.update("".join("|".join(map(str, row)) + ";" for row in rows).encode())
    return digest.hexdigest()
