"""Repairs to weasyprint's PDF/UA structure tree, done on the written PDF with pikepdf.

weasyprint (70) tags the document but leaves four things a PDF/UA check rejects:

* the running header and footer (``@page`` margin boxes) are marked content whose
  structure elements hang in no tree; they become ``/Artifact`` with ``/Type
  /Pagination`` in the content stream and leave the parent tree;
* a Figure's ``/BBox`` is in CSS pixels from the top of the page; PDF wants points from
  the bottom (×0.75, y flipped against the page height);
* the table of contents is a list whose entries are three nested Links each (the entry,
  its ``::after`` leader and page number); it becomes ``/TOC`` with one ``/TOCI`` per
  entry holding a ``/Reference`` with one Link (all marked content and annotations of
  the three);
* header cells have no ``/Scope``: a TH in the table head is a column header, one in the
  body a row header (the report templates write tables that way, with ``scope`` on each
  ``th``).
"""

import io

import pikepdf
from pikepdf import Array, Dictionary, Name

PX_TO_PT = 0.75


def fix_structure(data: bytes) -> bytes:
    """The PDF ``data`` with the repairs above."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        reachable = _reachable(root)
        _artifacts(pdf, root, reachable)
        for element in _elements(root):
            kind = element.get("/S")
            if kind == "/Figure":
                _figure_bbox(element)
            elif kind == "/TH":
                _scope(element)
        toc = next((e for e in _elements(root) if _is_toc(e)), None)
        if toc is not None:
            _tag_toc(pdf, root, toc)
        buffer = io.BytesIO()
        pdf.save(buffer)
        return buffer.getvalue()


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(item) -> bool:
    return isinstance(item, Dictionary) and "/S" in item


def _elements(root):
    """Every structure element reachable from the root, in document order."""
    stack = list(reversed(_kids(root)))
    while stack:
        item = stack.pop()
        if _is_element(item):
            yield item
            stack.extend(reversed(_kids(item)))


def _reachable(root) -> set[tuple[int, int]]:
    return {element.objgen for element in _elements(root)}


def _parent_tree(root) -> list:
    nums = root.ParentTree.Nums
    return [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]


def _artifacts(pdf, root, reachable: set[tuple[int, int]]) -> None:
    """Marked content of elements outside the tree (margin boxes) becomes pagination."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    for key, value in _parent_tree(root):
        if not isinstance(value, Array) or key >= len(pdf.pages):
            continue
        orphans = set()
        for mcid, element in enumerate(value):
            if isinstance(element, Dictionary) and element.objgen not in reachable:
                orphans.add(mcid)
                value[mcid] = pikepdf.Object.parse(b"null")
        if not orphans:
            continue
        page = pdf.pages[key]
        assert pages[page.obj.objgen] == key
        instructions = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "BDC" and len(operands) == 2:
                properties = operands[1]
                if (
                    isinstance(properties, Dictionary)
                    and int(properties.get("/MCID", -1)) in orphans
                ):
                    operands = [Name.Artifact, Dictionary(Type=Name.Pagination)]
            instructions.append((operands, operator))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def _figure_bbox(element) -> None:
    attributes = element.get("/A")
    page = element.get("/Pg")
    if not isinstance(attributes, Dictionary) or "/BBox" not in attributes or page is None:
        return
    height = float(page.MediaBox[3]) - float(page.MediaBox[1])
    x1, y1, x2, y2 = (float(v) * PX_TO_PT for v in attributes.BBox)
    attributes.BBox = Array([x1, height - y2, x2, height - y1])


def _scope(element) -> None:
    row = element.get("/P")
    group = row.get("/P") if row is not None else None
    scope = Name.Column if group is not None and group.get("/S") == "/THead" else Name.Row
    attributes = element.get("/A")
    if not isinstance(attributes, Dictionary):
        attributes = Dictionary(O=Name.Table)
        element.A = attributes
    attributes.Scope = scope


def _is_toc(element) -> bool:
    """The list whose every item holds a Link: the table of contents."""
    if element.get("/S") != "/L":
        return False
    items = [kid for kid in _kids(element) if _is_element(kid)]
    return bool(items) and all(
        any(e.get("/S") == "/Link" for e in _elements_of(item)) for item in items
    )


def _elements_of(element):
    for kid in _kids(element):
        if _is_element(kid):
            yield kid
            yield from _elements_of(kid)


def _tag_toc(pdf, root, toc) -> None:
    """L → TOC, LI → TOCI → Reference → one Link with every part of the entry."""
    moved: dict[tuple[int, int], Dictionary] = {}
    toc.S = Name.TOC
    for item in [kid for kid in _kids(toc) if _is_element(kid)]:
        links = [e for e in _elements_of(item) if e.get("/S") == "/Link"]
        link = links[0]
        contents = []
        for part in links:
            contents += [kid for kid in _kids(part) if not _is_element(kid)]
            if part is not link:
                moved[part.objgen] = link
        reference = pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Reference, P=item, K=Array([link]))
        )
        if "/Pg" in link:
            reference.Pg = link.Pg
        link.K = Array(contents)
        link.P = reference
        item.S = Name.TOCI
        item.K = Array([reference])
    for _key, value in _parent_tree(root):
        if isinstance(value, Array):
            for index, element in enumerate(value):
                if isinstance(element, Dictionary) and element.objgen in moved:
                    value[index] = moved[element.objgen]
    nums = root.ParentTree.Nums
    for i in range(1, len(nums), 2):
        value = nums[i]
        if isinstance(value, Dictionary) and value.objgen in moved:
            nums[i] = moved[value.objgen]
