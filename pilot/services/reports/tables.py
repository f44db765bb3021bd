"""The outsider publication as one CSV: every figure anyone outside a gemeente can get.

One row per offered cell: the table, the unit (a gemeente's CBS code, a tranche "T1" or
"NL"), the period ("2025-K3", "2025" or "P" for the whole pilot), the codes (each code axis
and its code, "ALL" for a total: ``afdoening=proces_verbaal|kleding=ALL|leeftijd=ALL``)
and the value as written in the reports (a number, ``<5`` or ``×``). The reports,
maps and this file are cut from the same protected publication, so evaluators can analyse
exactly what the PDFs show. The download is audited.
"""

import csv
import io

from pilot import audit
from pilot.extensions import db
from pilot.services.disclosure import policy

COLUMNS = ("tabel", "eenheid", "periode", "codes", "waarde")


def publication_csv() -> str:
    """The CSV text, recorded in the audit trail (one commit)."""
    publication = policy.outsider_publication()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    rows = 0
    for table, unit, period, codes, shown in publication.rows():
        writer.writerow((table, unit, period, codes, shown.text.replace(".", "")))
        rows += 1
    audit.record("downloaden", "tabellen", "publicatie", rijen=rows, versie=publication.version)
    db.session.commit()
    return buffer.getvalue()
