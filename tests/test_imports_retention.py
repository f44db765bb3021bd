"""What the import keeps and shows: no raw value of a failed cell in the preview, the error
file or the CLI; unconfirmed uploads removed after 24 hours (on upload and by the CLI)."""

import io
import secrets
from datetime import timedelta

import pytest

from pilot import clock
from pilot.extensions import db
from pilot.models import ImportUpload, Rol
from pilot.services import storage
from tests.factories import make_boa
from tests.test_imports import row, write_csv, write_xlsx

FAKE_BSN = "111222333"  # passes the 11-proef
FAILING = (
    "tijd", "breedtegraad", "boa_code", "afdoening", "gedragingen", "kennisname",
    "aantal_verdachten", "aantal_slachtoffers", "slachtofferhulp",
)  # fmt: skip
COLUMNS = ("datum/tijd", "locatie", *FAILING[2:])


@pytest.fixture
def good_boa(app, boundaries_loaded) -> str:
    with app.app_context():
        return make_boa("GM0599", code="BOA-0599-AB12").code


def _bad_row(boa_code: str) -> tuple[dict, list[str]]:
    """A row whose every failing cell holds a secret: a fake BSN or a random token."""
    tokens = {name: f"geheim{secrets.token_hex(6)}" for name in FAILING}
    values = {**row(boa_code), "datum": FAKE_BSN, **tokens}
    return values, [FAKE_BSN, *tokens.values()]


def _upload(client, data: bytes, name: str) -> str:
    response = client.post(
        "/gemeente/GM0599/importeren/",
        data={"bestand": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.text
    return response.headers["Location"]


@pytest.mark.parametrize("soort", ["csv", "xlsx"])
def test_preview_and_error_file_never_echo_a_failed_cell(
    app, client, login_as, good_boa, tmp_path, frozen_clock, soort
):
    login_as(Rol.COORDINATOR, "GM0599")
    bad, hidden = _bad_row(good_boa)
    write = write_csv if soort == "csv" else write_xlsx
    path = write(tmp_path / f"fout.{soort}", [row(good_boa), bad])
    preview_url = _upload(client, path.read_bytes(), path.name)

    page = client.get(preview_url).get_data(as_text=True)
    errors = client.get(preview_url + "/fouten.csv").data.decode("utf-8-sig")
    with app.app_context():  # what the database keeps besides the file itself
        uploads = db.session.execute(db.select(ImportUpload)).scalars().all()
        kept = [storage.get(u.fouten_sleutel).inhoud for u in uploads]
        stored = "".join(b.decode("utf-8-sig") for b in kept) + repr([u.meta for u in uploads])
    for column in COLUMNS:
        assert f"3;{column};" in errors, column
    for secret in hidden:
        assert secret not in page, secret
        assert secret not in errors, secret
        assert secret not in stored, secret


def test_cli_import_never_echoes_a_failed_cell(app, runner, good_boa, tmp_path, frozen_clock):
    bad, hidden = _bad_row(good_boa)
    path = write_csv(tmp_path / "fout.csv", [bad])
    result = runner.invoke(args=["imports", "incidenten", str(path), "--gemeente", "GM0599"])
    assert result.exit_code == 1 and "Rij 2, boa_code: Onbekende boa-code" in result.output
    for secret in hidden:
        assert secret not in result.output


def test_unconfirmed_uploads_older_than_a_day_are_removed(
    app, client, runner, login_as, good_boa, tmp_path
):
    login_as(Rol.COORDINATOR, "GM0599")
    path = write_csv(tmp_path / "goed.csv", [row(good_boa)])
    old, recent = (_upload(client, path.read_bytes(), path.name) for _ in range(2))
    old_token, recent_token = (url.rsplit("/", 1)[1] for url in (old, recent))
    day_ago = clock.now() - timedelta(hours=24, minutes=1)

    def age(token: str) -> None:
        with app.app_context():
            db.session.get(ImportUpload, token).aangemaakt_op = day_ago
            db.session.commit()

    def exists(token: str) -> bool:
        with app.app_context():
            return db.session.get(ImportUpload, token) is not None

    age(old_token)

    result = runner.invoke(args=["imports", "purge-uploads"])
    assert result.exit_code == 0, result.output
    assert "1 niet-bevestigde importbestanden verwijderd." in result.output
    assert not exists(old_token) and client.get(old).status_code == 404
    assert client.get(recent).status_code == 200

    age(recent_token)
    _upload(client, path.read_bytes(), path.name)  # every new upload removes expired ones
    assert not exists(recent_token)
