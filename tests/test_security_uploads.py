"""Uploads and heavy requests (ASVS 12.1, 5.1.4): the XLSX zip bomb of issue 12 is refused in
under 2 s with under 200 MB extra memory, measured in a child process; sheets that name
cells far outside the template are refused before calamine allocates them."""

import io
import json
import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from pilot.services.imports.reading import MAX_UNCOMPRESSED, ImportFileError, read_table
from pilot.services.imports.template import template_xlsx

SHEET = "xl/worksheets/sheet1.xml"
BOMB_BYTES = 1_700 * 1024 * 1024  # what the attacker's 3.5 MB file unpacked to
MEASURE = """
import json, resource, sys, time
from pathlib import Path
from pilot.services.imports.reading import ImportFileError, read_table
path = Path(sys.argv[1])
started = time.perf_counter()
try:
    read_table(path, path.name)
    outcome = "gelezen"
except ImportFileError as error:
    outcome = str(error)
print(json.dumps({"seconds": time.perf_counter() - started, "outcome": outcome}))
"""


class _RepeatingDeflate:
    """Deflate in fully flushed segments, each input object compressed once: a repeated
    8 MB block costs one compression, so the 1.7 GB bomb is built in a second or two (a
    concatenation of byte-aligned, history-free segments is one valid deflate stream)."""

    def __init__(self) -> None:
        self._done: dict[int, bytes] = {}

    def compress(self, data: bytes) -> bytes:
        if id(data) not in self._done:
            segment = zlib.compressobj(9, zlib.DEFLATED, -15)
            self._done[id(data)] = segment.compress(data) + segment.flush(zlib.Z_FULL_FLUSH)
            if len(data) < 1024 * 1024:
                return self._done.pop(id(data))
        return self._done[id(data)]

    def flush(self) -> bytes:
        return zlib.compressobj(9, zlib.DEFLATED, -15).flush()


def _with_sheet(write_sheet) -> bytes:
    """The real import template with its data sheet replaced by ``write_sheet(handle)``."""
    source = zipfile.ZipFile(io.BytesIO(template_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename == SHEET:
                with target.open(SHEET, "w", force_zip64=True) as handle:
                    handle._compressor = _RepeatingDeflate()
                    write_sheet(handle)
            else:
                target.writestr(item, source.read(item.filename))
    return buffer.getvalue()


def _bomb(handle) -> None:
    handle.write(b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr">')
    handle.write(b"<is><t>")
    block = b"A" * (8 * 1024 * 1024)
    for _ in range(BOMB_BYTES // len(block)):
        handle.write(block)
    handle.write(b"</t></is></c></row></sheetData></worksheet>")


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bom") / "incidenten.xlsx"
    path.write_bytes(_with_sheet(_bomb))
    return path


def _measure(path: Path) -> tuple[dict, int]:
    """Read ``path`` in a child process: (its result, its peak resident memory in bytes)."""
    child = subprocess.Popen(
        [sys.executable, "-c", MEASURE, str(path)], stdout=subprocess.PIPE, text=True
    )
    output = child.stdout.read()
    child.stdout.close()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, output
    return json.loads(output), usage.ru_maxrss * 1024


def test_zip_bomb_is_refused_quickly_with_little_memory(zip_bomb: Path, tmp_path: Path):
    assert zip_bomb.stat().st_size < 4 * 1024 * 1024  # a few MB on disk, 1.7 GB unpacked
    small = tmp_path / "klein.xlsx"
    small.write_bytes(template_xlsx())
    baseline, baseline_rss = _measure(small)
    assert "geen rijen" in baseline["outcome"]
    result, rss = _measure(zip_bomb)
    assert "uitgepakt groter dan" in result["outcome"]
    assert result["seconds"] < 2.0, result
    assert rss - baseline_rss < 200 * 1024 * 1024, (rss, baseline_rss)
    print(f"zip bomb: {result['seconds']:.3f} s, +{(rss - baseline_rss) / 2**20:.0f} MB")


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>', "meer dan"),
        (b'<row r="2"><c r="XFD2"><v>1</v></c></row>', "buiten de kolommen"),
    ],
)
def test_far_away_cells_are_refused_before_reading(tmp_path: Path, cells: bytes, message: str):
    def sheet(handle):
        handle.write(b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>datum')
        handle.write(b"</t></is></c></row>" + cells + b"</sheetData></worksheet>")

    path = tmp_path / "ver.xlsx"
    path.write_bytes(_with_sheet(sheet))
    with pytest.raises(ImportFileError, match=message):
        read_table(path, path.name)


def test_limit_leaves_room_for_a_full_import():
    assert MAX_UNCOMPRESSED >= 100 * 1024 * 1024
