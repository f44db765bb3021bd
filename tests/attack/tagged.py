"""A report PDF read through its tags (PDF/UA structure tree), as a screen reader would.

Every table comes back as its caption, its column headers and its rows (row header and
cells); every Figure as its alternate text; every other structure element's text as a
paragraph. The text of an element is the text of its marked content (pdfplumber gives
each character its marked-content id). Reading the tags instead of the page layout, a
table's cells are known without guessing columns from positions, and wrapped labels
stay whole.
"""

import io
from dataclasses import dataclass, field

import pdfplumber

HYPHEN = "\u2010"  # the hyphen weasyprint inserts where it breaks a word
CONTAINERS = {"THead", "TBody", "TFoot"}


@dataclass
class Table:
    caption: str
    head: list[str]  # the last header row's cells
    rows: list[tuple[str, list[str]]]  # (row header, data cells)


@dataclass
class Tagged:
    tables: list[Table] = field(default_factory=list)
    alts: list[str] = field(default_factory=list)  # every Figure's /Alt
    paragraphs: list[str] = field(default_factory=list)  # text outside tables and figures


def _texts(pdf) -> dict[tuple[int, int], str]:
    """Text per (page number, marked-content id), words spaced as on the page."""
    pieces: dict[tuple[int, int], list[str]] = {}
    previous: dict[tuple[int, int], dict] = {}
    for page in pdf.pages:
        for char in page.chars:
            mcid = char.get("mcid")
            if mcid is None:
                continue
            key = (page.page_number, mcid)
            out = pieces.setdefault(key, [])
            last = previous.get(key)
            if last is not None:
                new_line = abs(char["top"] - last["top"]) > 0.5 * char["size"]
                if new_line and out and out[-1] == HYPHEN:
                    out.pop()
                elif new_line or char["x0"] - last["x1"] > 0.2 * char["size"]:
                    out.append(" ")
            out.append(char["text"])
            previous[key] = char
    return {key: " ".join("".join(chars).split()) for key, chars in pieces.items()}


class _Walker:
    def __init__(self, texts: dict[tuple[int, int], str]) -> None:
        self.texts = texts
        self.out = Tagged()

    def text(self, element: dict) -> str:
        parts = [
            self.texts.get((element.get("page_number"), mcid), "")
            for mcid in element.get("mcids") or ()
        ]
        parts += [self.text(child) for child in element.get("children", ())]
        return " ".join(" ".join(p for p in parts if p).split())

    def walk(self, element: dict) -> None:
        kind = element.get("type")
        if kind == "Table":
            self.out.tables.append(self.table(element))
        elif kind == "Figure":
            self.out.alts.append(element.get("alt_text") or "")
        elif kind in ("P", "LBody", "Caption", "H1", "H2", "H3", "H4", "TD", "TH", "Span"):
            if text := self.text(element):
                self.out.paragraphs.append(text)
        else:
            for child in element.get("children", ()):
                self.walk(child)

    def table(self, element: dict) -> Table:
        caption, head, rows = "", [], []
        for child in element.get("children", ()):
            kind = child.get("type")
            if kind == "Caption":
                caption = self.text(child)
            elif kind in CONTAINERS or kind == "TR":
                trs = [child] if kind == "TR" else child.get("children", ())
                for tr in trs:
                    cells = [c for c in tr.get("children", ()) if c.get("type") in ("TH", "TD")]
                    texts = [self.text(c) for c in cells]
                    if kind == "THead":
                        head = texts
                    elif cells and cells[0].get("type") == "TH":
                        rows.append((texts[0], texts[1:]))
                    else:
                        rows.append(("", texts))
        return Table(caption, head, rows)


def read_tagged(pdf: bytes) -> Tagged:
    """Tables, figure alternate texts and paragraphs of a tagged PDF, in document order."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        walker = _Walker(_texts(document))
        for element in document.structure_tree:
            walker.walk(element)
    return walker.out
