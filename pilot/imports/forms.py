"""Forms of the file import: upload, and confirm with the 'alles of niets' choice."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField


class UploadForm(FlaskForm):
    bestand = FileField(
        "Bestand (Excel .xlsx of CSV)", validators=[FileRequired("Kies een bestand.")]
    )


class ConfirmForm(FlaskForm):
    alles_of_niets = BooleanField(
        "Alles of niets: schrijf niets als ook maar één rij een fout heeft"
    )
