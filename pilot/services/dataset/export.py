"""The use cases: build a dataset, write its files, zip them, record the download.

Two kinds of dataset. The default one (evaluator and beheerder, and the CLI) is
k-anonymous and consistent with the published tables (``protected.py``). The finer
extract (``extract.py``) goes only to an evaluator with an active grant (``grants.py``);
its file name names the grant. Both have random row ids, diensten and police figures,
and a generated codebook; the web download and the CLI call the same functions, and every
download or export is written to the audit trail.
"""

import io
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

from pilot import audit
from pilot.extensions import db
from pilot.models import ExtractGrant
from pilot.services.dataset import extract, register, rows
from pilot.services.dataset.codebook import (
    boa_count_variables,
    boa_variables,
    dienst_quarter_variables,
    dienst_variables,
    gemeente_variables,
    politie_variables,
)
from pilot.services.dataset.formats import WRITERS, Dataset
from pilot.services.dataset.protected import (
    incident_variables,
    police_rows,
    protected_incidents,
    protected_police,
    protection_rows,
)
from pilot.services.dataset.statistics import NOTE as FILES_NOTE
from pilot.services.disclosure.policy import outsider_publication

DEFAULT_NAME = "evaluatiedataset-pilot-429ter.zip"


def _politiecijfers() -> pd.DataFrame:
    return rows.politiecijfers()[[v.naam for v in politie_variables()]]


def default_dataset() -> Dataset:
    """The k-anonymous evaluation dataset, consistent with the published tables."""
    publication = outsider_publication()
    incidents, protection, size = protected_incidents(rows.incidents(), publication)
    police, police_protection = protected_police(_politiecijfers(), publication)
    variables = incident_variables(protection, size)
    notes = [
        "Standaarddataset voor iedereen met toegang tot de evaluatiedata. Hij bevat de "
        "incidenten die ook in de gepubliceerde tabellen en kaarten tellen: afgesloten "
        "kwartalen binnen de pilotperiode van de gemeente, zonder ingetrokken incidenten en "
        f"zonder gemeente-kwartalen met minder dan {protection.k} incidenten.",
        "Elke waarde die de gepubliceerde tabellen en kaarten verbergen (een onderdrukte cel "
        "van een gemeente en kwartaal) is in de rijen van die cel onderdrukt, zodat tellen in "
        "de dataset geen verborgen aantal teruggeeft. Daarna zijn de quasi-identificatoren "
        "(gemeente, kwartaal, locatie, periode, weekdag, tijdvak, type locatie) globaal "
        "gehercodeerd en lokaal onderdrukt tot elke combinatie minstens "
        f"{protection.k} keer voorkomt (k-anonimiteit).",
        "Het rij-id is per export willekeurig; de boa, de exacte datum, het tijdstip, vrije "
        "tekst en gehashte nummers zitten niet in de dataset; de registratievertraging "
        "alleen als klasse.",
        "Politiecijfers staan er per maand in voor dezelfde kwartalen; een maat is leeg in "
        "alle maanden van een kwartaal waarvan het gepubliceerde cijfer onderdrukt is.",
        "Gemeenten: openbare gegevens (CBS-code, naam, tranche, pilotperiode, inwoners).",
        "Boa’s: alleen wat de publicatie geeft, het aantal bevoegde boa’s per gemeente over "
        "de hele pilot (leeg waar de publicatie het onderdrukt). Aantallen per kwartaal of "
        "jaar zijn niet gepubliceerd omdat ze verborgen aantallen teruggeven; een rij per boa "
        "met opleidings- en mandaatdatum zou ze teruggeven, ook met data per jaar. Pseudoniem "
        "en data per boa staan alleen in een extract op toestemming van de beheerder.",
        "Diensten: per gemeente en afgesloten kwartaal binnen de pilot, zoals gepubliceerd "
        "(aantal diensten en inzeturen, exact; geen telling van personen), plus het aantal "
        "diensten per tijdvak van de begintijd en per type gebied (met een kolom voor diensten "
        "waarvan het type onbekend is). Geen rij per dienst en geen inzeturen per tijdvak of "
        "type gebied: de grootte van één team begrenst het aantal boa’s van de gemeente van "
        "onderen. De gebiedsomschrijving is vrije tekst en zit in geen enkele dataset.",
        FILES_NOTE,
    ]
    tables = {
        "incidenten": incidents,
        "diensten": register.published_diensten(publication),
        "politiecijfers": police,
        "gemeenten": register.gemeenten(),
        "boas": register.published_boas(publication),
    }
    return Dataset(
        "evaluatiedataset",
        tables,
        [
            *variables,
            *dienst_quarter_variables(),
            *politie_variables(beschermd=True),
            *gemeente_variables(),
            *boa_count_variables(),
        ],
        notes,
        [*protection_rows(protection, size), *police_rows(police_protection)],
        size,
    )


def extract_dataset(grant: ExtractGrant) -> Dataset:
    """Today's detail, for the holder of ``grant``."""
    notes = [
        f"Fijner extract op toestemming {grant.id}, verleend aan {grant.user.naam} voor: "
        f"{grant.doel} Geldig tot en met {grant.geldig_tot:%d-%m-%Y}. Niet verder verspreiden.",
        "Alle niet-ingetrokken incidenten met de cel van 100 m, de datum, het tijdvak, het "
        "pseudoniem van de boa en de registratievertraging in dagen. Niet k-anoniem. Het "
        "rij-id is per export willekeurig; het exacte punt, het tijdstip, vrije tekst en "
        "gehashte nummers zitten er niet in.",
        "Diensten per dienst (datum, tijdvak van de begintijd, type gebied, duur, aantallen "
        "boa’s), zonder de gebiedsomschrijving; boa’s per boa met pseudoniem, opleidings- "
        "en mandaatdata.",
        FILES_NOTE,
    ]
    return Dataset(
        f"extract toestemming {grant.id}",
        {
            "incidenten": extract.extract_incidents(rows.incidents()),
            "diensten": register.diensten(),
            "politiecijfers": _politiecijfers(),
            "gemeenten": register.gemeenten(),
            "boas": register.boas(),
        },
        [
            *extract.incident_variables(),
            *dienst_variables(),
            *politie_variables(),
            *gemeente_variables(),
            *boa_variables(),
        ],
        notes,
        cell_size=extract.CELL_M,
    )


def write_dataset(dataset: Dataset, directory: Path) -> list[Path]:
    """Write every file of ``dataset`` into ``directory``; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for writer in WRITERS:
        paths.extend(writer(dataset, directory))
    return paths


def zip_bytes(dataset: Dataset) -> bytes:
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_dataset(dataset, Path(tmp))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, arcname=path.name)
    return buffer.getvalue()


def download_dataset() -> bytes:
    """The default dataset as a zip; the download is recorded (one commit)."""
    content = zip_bytes(default_dataset())
    audit.record("exporteren", "dataset", "evaluatie", vorm="zip")
    db.session.commit()
    return content


def export_dataset(directory: Path) -> list[Path]:
    """Write the default dataset into a folder (CLI) and record the export."""
    paths = write_dataset(default_dataset(), directory)
    audit.record("exporteren", "dataset", "evaluatie", vorm="map")
    db.session.commit()
    return paths


def extract_name(grant: ExtractGrant) -> str:
    return f"extract-toestemming-{grant.id}-pilot-429ter.zip"


def download_extract(grant: ExtractGrant) -> bytes:
    """The finer extract of an active grant as a zip; recorded with the grant's id."""
    content = zip_bytes(extract_dataset(grant))
    audit.record("exporteren", "extract_grant", str(grant.id), vorm="zip", soort="extract")
    db.session.commit()
    return content
