"""File import of incidents (CSV and XLSX) for coordinators: read, parse, validate, write.

``reading`` (file → raw rows), ``parsing`` (raw rows → IncidentInput, format errors),
``service`` (validation through the incident service, idempotency, one transaction),
``template`` (the XLSX/CSV template; imported where used, openpyxl is heavy) and
``uploads`` (files kept between preview and confirm). No module here knows about Flask
requests.
"""

from pilot.services.imports.reading import MAX_BYTES, MAX_ROWS, ImportFileError
from pilot.services.imports.service import Analysis, ImportResult, RowError, analyse, import_file

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "Analysis",
    "ImportFileError",
    "ImportResult",
    "RowError",
    "analyse",
    "import_file",
]
