"""Our html_params writes exactly the attributes WTForms' own writes (pilot.html_attributes)."""

import pytest
from markupsafe import Markup
from wtforms import Form, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import core

from pilot import forms  # noqa: F401  (installs ours, as every form module does)
from pilot.html_attributes import _wtforms_html_params, html_params

CASES = [
    {},
    {"name": "datum", "id": "datum", "type": "date", "value": "2025-07-01"},
    {"class_": "field wide", "for_": "boa_id"},
    {"checked": True, "readonly": False, "required": True, "disabled": False},
    {"value": 'een "quote" & <tag>'},
    {"value": Markup('<b class="x">al veilig</b>')},
    {"aria_describedby": "datum-hint datum-fout", "aria_invalid": "true"},
    {"data_pilot_veld": "x_y", "data_n": 3},
    {"value": 0, "maxlength": 8, "step": 0.5},
    {"value": None, "placeholder": "jjjj-mm-dd"},
    {"value": "Ünïcode — ‘aanhalingstekens’ ' en \x7f"},
]


@pytest.mark.parametrize("attributes", CASES)
def test_html_params_gives_what_wtforms_gives(attributes):
    ours = html_params(**attributes)
    assert ours == _wtforms_html_params(**attributes)
    assert isinstance(ours, Markup)


def test_wtforms_widgets_render_with_ours_and_unchanged():
    assert core.html_params is html_params

    class Example(Form):
        naam = StringField("Naam", render_kw={"class": "wide", "data_hint": 'a"b'})
        keuze = SelectField(
            "Keuze", choices=[SelectChoice("a", "<A>"), SelectChoice("b", 'B "b"')], default="b"
        )
        rondje = RadioField(
            "Rondje", choices=[SelectChoice("1", "een"), SelectChoice("2", "twee")], default="1"
        )

    form = Example()
    rendered = [str(form.naam(required=True)), str(form.keuze()), str(form.rondje())]
    core.html_params = _wtforms_html_params
    try:
        expected = [str(form.naam(required=True)), str(form.keuze()), str(form.rondje())]
    finally:
        core.html_params = html_params
    assert rendered == expected
    assert '<option selected value="b">B &#34;b&#34;</option>' in rendered[1]
