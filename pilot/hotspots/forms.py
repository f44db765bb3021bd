"""Filter forms of the hotspot maps (GET, no CSRF); options from the codebook (pilot/codes.py)."""

from datetime import date

from wtforms import DateField, SelectField

from pilot.codes import AFDOENING, GEDRAGING, KLEDING, LOCATIE_TYPE, TIJDVAK, CodeListRef
from pilot.forms import PilotForm, select_choices
from pilot.quarters import Quarter
from pilot.services.hotspots.grid import CELL_SIZES, HotspotFilter

ALLE = [("", "— alle —")]


def _all_or(code_list: CodeListRef):
    """'All' plus the list's codes, read when the form is rendered (the codebook can grow)."""
    return lambda: select_choices(ALLE, code_list.choices())


class _GetForm(PilotForm):
    class Meta(PilotForm.Meta):
        csrf = False


class KwartaalForm(_GetForm):
    """For everyone outside the gemeente: one completed quarter, nothing else."""

    kwartaal = SelectField("Kwartaal")

    def setup(self, quarters: list[Quarter]) -> "KwartaalForm":
        """Offer the outsider quarters (completed, in the pilot); the newest is the default."""
        quarters = sorted(quarters, reverse=True)
        self.kwartaal.choices = select_choices(
            [(q.start.isoformat(), q.short_label) for q in quarters]
        )
        self._quarters = {q.start.isoformat(): (q.start, q.end) for q in quarters}
        if not self.kwartaal.data and quarters:
            self.kwartaal.data = quarters[0].start.isoformat()
        return self

    def to_filter(self, gemeente_ids: tuple[int, ...] = ()) -> HotspotFilter:
        start, end = self._quarters.get(self.kwartaal.data or "", (date.min, date.min))
        return HotspotFilter(van=start, tot=end, gemeente_ids=gemeente_ids)


class GemeenteFilterForm(_GetForm):
    """For a coordinator on their own gemeente: every filter, every cell size."""

    van = DateField("Van", validators=[])
    tot = DateField("Tot en met", validators=[])
    cel = SelectField(
        "Celgrootte",
        choices=select_choices([(str(s), f"{s} m") for s in CELL_SIZES]),
        default="100",
    )
    gedraging = SelectField("Gedraging", choices=_all_or(GEDRAGING), default="")
    afdoening = SelectField("Afdoening", choices=_all_or(AFDOENING), default="")
    locatie_type = SelectField("Type locatie", choices=_all_or(LOCATIE_TYPE), default="")
    tijdvak = SelectField("Tijdvak", choices=_all_or(TIJDVAK), default="")
    weekend = SelectField(
        "Dagen",
        choices=select_choices(ALLE + [("ja", "Weekend"), ("nee", "Doordeweeks")]),
        default="",
    )
    kleding = SelectField("Uniform / in burger", choices=_all_or(KLEDING), default="")

    def to_filter(self, gemeente_id: int) -> HotspotFilter:
        def code(value: str | None) -> str | None:
            return value or None

        return HotspotFilter(
            van=self.van.data,
            tot=self.tot.data,
            gemeente_ids=(gemeente_id,),
            gedraging=code(self.gedraging.data),
            afdoening=code(self.afdoening.data),
            locatie_type=code(self.locatie_type.data),
            tijdvak=code(self.tijdvak.data),
            weekend={"ja": True, "nee": False}.get(self.weekend.data or ""),
            kleding=code(self.kleding.data),
        )

    @property
    def cell_size(self) -> int:
        return int(self.cel.data) if self.cel.data in {str(s) for s in CELL_SIZES} else 100
