"""Personal data that hides outside the cell values a reader sees.

``safety.personal_data_problems`` looks at every text cell of every sheet. A
workbook carries text in other places too, and each is read here, from the zip
itself, with defused XML and within limits:

- xlsx: notes and threaded comments (``xl/comments*.xml``, ``xl/threadedComments``),
  page headers and footers (found by a streaming byte search of each worksheet, so
  a 400 MB sheet is never parsed for them), defined names, text boxes
  (``xl/drawings``), and the document properties (``docProps/core.xml``,
  ``app.xml``, ``custom.xml``);
- ods: cell annotations and named ranges in ``content.xml`` (parsed as a stream,
  and only when a byte search shows there is one), headers and footers in
  ``styles.xml``, and ``meta.xml``;
- any format: numbers that are a resident registration number typed without its
  hyphen (a numeric cell), and name-like words in a column headed 성명 / 이름.

The file's author (creator, last modified by, a note's author) is the district
officer, not a participant: those are checked like any text (numbers, e-mails,
names in context) but a bare name there is not refused.

Problems are ``PlaceProblem``: a ``CellProblem`` whose message is in the reader's
language, naming the place and what to do, with the data masked.
"""

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from itertools import chain
from posixpath import dirname, join, normpath

from defusedxml import ElementTree
from django.utils import translation
from django.utils.translation import gettext

from common.personal_data import (
    describe_findings,
    number_as_text,
    scan_personal_data,
)

from .safety import PERSONAL_DATA, CellProblem, reader_is_english

MAX_PART_BYTES = 8 * 1024 * 1024  # a notes, workbook or properties part
MAX_FRAGMENT_BYTES = 64 * 1024  # one header/footer element
CHUNK = 1 << 20
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class PlaceProblem(CellProblem):
    """A refusal that names its place in the reader's language."""

    @property
    def message(self) -> str:
        return self.message_en if reader_is_english() else self.message_ko


# --- messages ---------------------------------------------------------------

CELL, NOTE, HEADER, NAME, PROPERTY, TEXT_BOX, SHEET_NAME = (
    "cell",
    "note",
    "header",
    "name",
    "property",
    "text_box",
    "sheet_name",
)


def _place(kind: str, sheet: str, where: str) -> str:
    if kind == CELL:
        return gettext("Sheet %(sheet)s, cell %(cell)s") % {
            "sheet": sheet,
            "cell": where,
        }
    if kind == NOTE:
        if sheet:
            return gettext("Sheet %(sheet)s, note on cell %(cell)s") % {
                "sheet": sheet,
                "cell": where,
            }
        return gettext("A note (%(part)s)") % {"part": where}
    if kind == HEADER:
        return gettext("Sheet %(sheet)s, page header or footer") % {
            "sheet": sheet or where
        }
    if kind == NAME:
        return gettext("Defined name %(name)s") % {"name": where}
    if kind == TEXT_BOX:
        return gettext("Sheet %(sheet)s, text box") % {"sheet": sheet or where}
    if kind == SHEET_NAME:
        return gettext("The name of sheet %(sheet)s") % {"sheet": where}
    return gettext("Document property %(name)s") % {"name": where}


def _action(kind: str) -> str:
    if kind == NOTE:
        return gettext(
            "Delete the note, or the personal data in it, and upload the file again."
        )
    if kind == HEADER:
        return gettext(
            "Remove it from the header or footer (Page Layout, Header & Footer) and upload the file again."
        )
    if kind == NAME:
        return gettext(
            "Delete the name (Formulas, Name Manager) and upload the file again."
        )
    if kind == TEXT_BOX:
        return gettext(
            "Delete the text box, or the personal data in it, and upload the file again."
        )
    if kind == SHEET_NAME:
        return gettext("Rename the sheet and upload the file again.")
    if kind == PROPERTY:
        return gettext(
            "Clear the property (File, Info, Properties) and upload the file again."
        )
    return gettext(
        "Replace it with a count or a pseudonymous participant code and upload the file again."
    )


def _message(kind: str, sheet: str, where: str, found: str) -> str:
    return gettext(
        "%(place)s: this looks like personal data (%(found)s); reports carry counts only. %(action)s"
    ) % {"place": _place(kind, sheet, where), "found": found, "action": _action(kind)}


def place_problem(kind: str, *, sheet: str, where: str, findings) -> PlaceProblem:
    texts = {}
    for language in ("ko", "en"):
        with translation.override(language):
            texts[language] = _message(kind, sheet, where, describe_findings(findings))
    cell = where if kind == CELL else f"{kind}:{where}"
    return PlaceProblem(sheet, cell, texts["ko"], texts["en"], PERSONAL_DATA)


# --- the entry point ----------------------------------------------------------


def hidden_personal_data_problems(
    data: bytes, kind: str, sheets: dict | None = None
) -> list[CellProblem]:
    """Personal data outside the text cells: notes, headers, names, properties,
    numeric cells and name columns. ``data`` has passed ``safety.inspect_file``."""
    found: list[
        tuple[str, str, str, str, bool]
    ] = []  # (kind, sheet, where, text, names in context only)
    if kind == "xlsx":
        found += _xlsx_texts(data)
    elif kind == "ods":
        found += _ods_texts(data)
    problems: list[CellProblem] = []
    for place_kind, sheet, where, text, _author in found:
        findings = scan_personal_data(text)
        if findings:
            problems.append(
                place_problem(place_kind, sheet=sheet, where=where, findings=findings)
            )
    if sheets:
        problems += _cell_problems(sheets)
    return problems[:MAX_PROBLEMS]


# --- cells: numbers, sheet names and name columns -------------------------------

NAME_HEADERS = {
    "성명",
    "이름",
    "성함",
    "참여자명",
    "참여자 성명",
    "대상자명",
    "근로자명",
    "name",
    "full name",
    "성명(name)",
}
_HANGUL = re.compile(r"[가-힣]")
_NAME_LIKE = re.compile(r"^[가-힣]{2,4}$")
_ROMAN_NAME = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}$")


def _cell_problems(sheets: dict) -> list[CellProblem]:
    from .reader import cell_address

    problems = []
    names_in: dict[str, tuple[bool, list]] = {}  # long files repeat the same texts
    for sheet in sheets.values():
        findings = scan_personal_data(sheet.name)
        if findings:
            problems.append(
                place_problem(
                    SHEET_NAME, sheet=sheet.name, where=sheet.name, findings=findings
                )
            )
        if not _may_hold_personal_data(sheet, names_in):
            continue
        name_columns: dict[int, int] = {}  # column → header row
        for row_index, row in enumerate(sheet.rows):
            for column_index, value in enumerate(row):
                if type(value) is str:
                    seen = _name_findings(value, names_in)
                    if seen[0]:
                        name_columns.setdefault(column_index, row_index)
                    elif seen[1]:
                        problems.append(
                            place_problem(
                                CELL,
                                sheet=sheet.name,
                                where=cell_address(row_index, column_index),
                                findings=seen[1],
                            )
                        )
                    continue
                if type(value) not in (int, float) or not 10**11 <= value < 10**13:
                    continue  # only a 12–13 digit number can be an RRN that lost its hyphen
                digits = number_as_text(value)
                if digits is None:
                    continue
                findings = scan_personal_data(digits, names=False)
                if findings:
                    problems.append(
                        place_problem(
                            CELL,
                            sheet=sheet.name,
                            where=cell_address(row_index, column_index),
                            findings=findings,
                        )
                    )
        for column_index, header_row in name_columns.items():
            for row_index in range(header_row + 1, len(sheet.rows)):
                row = sheet.rows[row_index]
                value = row[column_index] if column_index < len(row) else ""
                if type(value) is str and _looks_like_a_name(value.strip()):
                    findings = [_name_finding(value.strip())]
                    problems.append(
                        place_problem(
                            CELL,
                            sheet=sheet.name,
                            where=cell_address(row_index, column_index),
                            findings=findings,
                        )
                    )
    return problems


def _name_findings(value: str, names_in: dict) -> tuple[bool, list]:
    """Whether a text is a name column's header, and the names in context it
    holds; remembered per text (long files repeat the same texts)."""
    seen = names_in.get(value)
    if seen is None:
        # safety.py looks for numbers and e-mails; names in context are looked for here.
        is_header = value.strip().casefold() in NAME_HEADERS
        names = (
            []
            if is_header or not _HANGUL.search(value)
            else [f for f in scan_personal_data(value) if f.kind == "name"]
        )
        seen = names_in[value] = (is_header, names)
    return seen


def _may_hold_personal_data(sheet, names_in: dict) -> bool:
    """Whether any distinct value of the sheet is a name, a name column's
    header or a 12–13 digit number that reads as a registration number: a
    long sheet of half a million cells holds a few hundred distinct values,
    so only a sheet with one of them is walked cell by cell to name the cells."""
    for value in set(chain.from_iterable(sheet.rows)):
        kind = type(value)
        if kind is str:
            is_header, names = _name_findings(value, names_in)
            if is_header or names:
                return True
        elif (
            (kind is int or kind is float)
            and 10**11 <= value < 10**13
            and (digits := number_as_text(value)) is not None
            and scan_personal_data(digits, names=False)
        ):
            return True
    return False


def _looks_like_a_name(text: str) -> bool:
    from common.personal_data import looks_like_a_name

    return bool(_ROMAN_NAME.match(text)) or (
        bool(_NAME_LIKE.match(text)) and looks_like_a_name(text)
    )


def _name_finding(text: str):
    from common.personal_data import Finding, PersonalDataKind

    return Finding(
        PersonalDataKind.PERSONAL_NAME.value,
        0,
        len(text),
        text[0] + "*" * (len(text) - 1),
    )


# --- xlsx -------------------------------------------------------------------------

_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_HEADER_TAG = re.compile(rb"<(?:\w+:)?headerFooter[\s>/]")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        # Far beyond anything a person writes in notes or properties.
        from .safety import SpreadsheetRefused

        raise SpreadsheetRefused(
            gettext("The file's part %(part)s is too large to check.") % {"part": name}
        )
    with archive.open(info) as stream:
        return stream.read(MAX_PART_BYTES + 1)[:MAX_PART_BYTES]


def _parse(raw: bytes | None):
    if not raw:
        return None
    try:
        return ElementTree.fromstring(raw)
    except Exception:  # damaged or hostile XML: the reader refuses the file anyway
        return None


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """A part's relationships: id → target part name."""
    folder, base = dirname(part), part.rsplit("/", 1)[-1]
    root = _parse(_read(archive, join(folder, "_rels", base + ".rels")))
    targets = {}
    for element in root.iter() if root is not None else ():
        if (
            _local(element.tag) == "Relationship"
            and element.get("TargetMode") != "External"
        ):
            target = element.get("Target") or ""
            targets[element.get("Id")] = normpath(
                target.lstrip("/") if target.startswith("/") else join(folder, target)
            )
    return targets


def _xlsx_texts(data: bytes) -> list[tuple]:
    texts = []
    with zipfile.ZipFile(BytesIO(data)) as archive:
        names = set(archive.namelist())
        workbook = _parse(_read(archive, "xl/workbook.xml"))
        workbook_rels = _rels(archive, "xl/workbook.xml")
        sheet_of_part: dict[str, str] = {}
        for element in workbook.iter() if workbook is not None else ():
            tag = _local(element.tag)
            if tag == "sheet":
                sheet_of_part[workbook_rels.get(element.get(_NS_REL), "")] = (
                    element.get("name") or ""
                )
            elif tag == "definedName":
                name = element.get("name") or ""
                texts.append((NAME, "", name, f"{name} {element.text or ''}", False))
        sheet_of_extra: dict[str, str] = {}  # notes / drawings part → sheet name
        for part, sheet in sheet_of_part.items():
            for target in _rels(archive, part).values():
                sheet_of_extra[target] = sheet
            if part in names:
                texts += [
                    (HEADER, sheet, sheet, text, False)
                    for text in _header_footer_texts(archive, part)
                ]
        for name in sorted(names):
            sheet = sheet_of_extra.get(name, "")
            if re.fullmatch(r"xl/comments[^/]*\.xml|xl/comments/[^/]+\.xml", name):
                texts += _legacy_notes(archive, name, sheet)
            elif name.startswith("xl/threadedComments/") and name.endswith(".xml"):
                texts += _threaded_comments(archive, name, sheet)
            elif (
                name.startswith("xl/drawings/")
                and name.endswith(".xml")
                and "/_rels/" not in name
            ):
                root = _parse(_read(archive, name))
                if root is not None:
                    text = " ".join(
                        e.text or "" for e in root.iter() if _local(e.tag) == "t"
                    )
                    texts.append(
                        (TEXT_BOX, sheet, name.rsplit("/", 1)[-1], text, False)
                    )
        for part in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
            texts += _properties(_parse(_read(archive, part)))
    return texts


def _legacy_notes(archive, name: str, sheet: str) -> list[tuple]:
    root = _parse(_read(archive, name))
    out = []
    for element in root.iter() if root is not None else ():
        tag = _local(element.tag)
        if tag == "author":
            out.append((NOTE, sheet, name.rsplit("/", 1)[-1], element.text or "", True))
        elif tag == "comment":
            text = "".join(e.text or "" for e in element.iter() if _local(e.tag) == "t")
            out.append((NOTE, sheet, element.get("ref") or "", text, False))
    return out


def _threaded_comments(archive, name: str, sheet: str) -> list[tuple]:
    root = _parse(_read(archive, name))
    out = []
    for element in root.iter() if root is not None else ():
        if _local(element.tag) == "threadedComment":
            text = " ".join(
                e.text or "" for e in element.iter() if _local(e.tag) == "text"
            )
            out.append((NOTE, sheet, element.get("ref") or "", text, False))
    return out


def _properties(root) -> list[tuple]:
    out = []
    for element in root.iter() if root is not None else ():
        if len(element):
            if (
                _local(element.tag) == "property"
            ):  # custom.xml: <property name="…"><vt:lpwstr>…
                value = " ".join(e.text or "" for e in element.iter())
                name = element.get("name") or "custom"
                out.append((PROPERTY, "", name, f"{name} {value}", False))
            continue
        if element.text and element.text.strip():
            tag = _local(element.tag)
            author = tag in ("creator", "lastModifiedBy", "initial-creator")
            out.append((PROPERTY, "", tag, element.text, author))
    return out


def _header_footer_texts(archive: zipfile.ZipFile, part: str) -> list[str]:
    """The text of a worksheet's <headerFooter>, found by streaming the part's
    bytes (the element is near the end, after all the cells)."""
    with archive.open(part) as stream:
        tail = b""
        while chunk := stream.read(CHUNK):
            window = tail + chunk
            # A plain substring search first: the pattern alone, tried at every
            # "<" of a sheet of a million cells, cost more than the inflating.
            match = b"headerFooter" in window and _HEADER_TAG.search(window)
            if match:
                fragment = window[match.start() :]
                while b"headerFooter>" not in fragment[1:] and not fragment.startswith(
                    b"<headerFooter/>"
                ):
                    more = stream.read(CHUNK)
                    if not more or len(fragment) > MAX_FRAGMENT_BYTES:
                        break
                    fragment += more
                return _fragment_texts(fragment)
            tail = window[-64:]
    return []


def _fragment_texts(fragment: bytes) -> list[str]:
    end = re.search(rb"</(?:\w+:)?headerFooter>", fragment)
    if end is None:
        return []
    fragment = re.sub(
        rb"<(/?)\w+:", rb"<\1", fragment[: end.end()]
    )  # drop prefixes: no namespace needed
    fragment = re.sub(rb"\s\w+:\w+=\"[^\"]*\"", b"", fragment)
    root = _parse(fragment)
    if root is None:
        return []
    # &P, &D, &"Font,Bold" and the like are codes, not text.
    return [
        re.sub(r'&(?:"[^"]*"|\d+|[A-Za-z])', " ", e.text)
        for e in root.iter()
        if e.text and e.text.strip()
    ]


# --- ods --------------------------------------------------------------------------

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _contains(archive: zipfile.ZipFile, name: str, needles: tuple[bytes, ...]) -> bool:
    with archive.open(name) as stream:
        tail = b""
        while chunk := stream.read(CHUNK):
            window = tail + chunk
            if any(needle in window for needle in needles):
                return True
            tail = window[-64:]
    return False


def _ods_texts(data: bytes) -> list[tuple]:
    texts = []
    with zipfile.ZipFile(BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "content.xml" in names and _contains(
            archive,
            "content.xml",
            (b"office:annotation", b"table:named-range", b"table:named-expression"),
        ):
            texts += _ods_content(archive)
        styles = _parse(_read(archive, "styles.xml")) if "styles.xml" in names else None
        for element in styles.iter() if styles is not None else ():
            tag = _local(element.tag)
            if tag.startswith(("header", "footer")) and element.tag.startswith(
                "{urn:oasis:names:tc:opendocument:xmlns:style"
            ):
                text = " ".join(t.strip() for t in element.itertext() if t.strip())
                if text:
                    texts.append((HEADER, "", "styles.xml", text, False))
        meta = _parse(_read(archive, "meta.xml")) if "meta.xml" in names else None
        for element in meta.iter() if meta is not None else ():
            tag = _local(element.tag)
            if tag == "user-defined":
                name = (
                    element.get("{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}name")
                    or "user-defined"
                )
                texts.append(
                    (PROPERTY, "", name, f"{name} {element.text or ''}", False)
                )
            elif element.text and element.text.strip() and not len(element):
                texts.append(
                    (
                        PROPERTY,
                        "",
                        tag,
                        element.text,
                        tag in ("creator", "initial-creator"),
                    )
                )
    return texts


def _ods_content(archive: zipfile.ZipFile) -> list[tuple]:
    """Annotations with their cell, and named ranges, from a stream of content.xml."""
    from .reader import cell_address

    out = []
    sheet, row, column = "", -1, -1
    with archive.open("content.xml") as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_TABLE}table":
                    sheet, row = element.get(f"{_TABLE}name") or "", -1
                elif tag == f"{_TABLE}table-row":
                    row, column = row + 1, -1
                elif tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                    column += 1
                continue
            if tag == f"{_OFFICE}annotation":
                text = " ".join(
                    "".join(p.itertext()) for p in element.iter(f"{_TEXT_NS}p")
                )
                out.append(
                    (
                        NOTE,
                        sheet,
                        cell_address(max(row, 0), max(column, 0)),
                        text,
                        False,
                    )
                )
                element.clear()
            elif tag in (f"{_TABLE}named-range", f"{_TABLE}named-expression"):
                name = element.get(f"{_TABLE}name") or ""
                value = (
                    element.get(f"{_TABLE}base-cell-address")
                    or element.get(f"{_TABLE}expression")
                    or ""
                )
                out.append((NAME, "", name, f"{name} {value}", False))
            elif tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                column += int(element.get(f"{_TABLE}number-columns-repeated") or 1) - 1
                element.clear()
            elif tag == f"{_TABLE}table-row":
                row += int(element.get(f"{_TABLE}number-rows-repeated") or 1) - 1
                element.clear()
    return out
