"""Report files, CSV and XLSX, from sections of rows; every text cell that a spreadsheet would read as a formula is
neutralised (docs/reports.md)."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

# Control characters XML 1.0 cannot hold (an XLSX is XML): openpyxl refuses them, so they become U+FFFD.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what Excel, LibreOffice and Sheets take as a formula's start
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Section:
    """One sheet (XLSX) or one block (CSV): a name, the column heads, the rows."""
    name: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]


def neutralise(text: str) -> str:
    """A text that starts like a formula gets a leading apostrophe, so it is shown, never evaluated (OWASP's rule
    for CSV injection, applied to both formats)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell(value: object, tz: ZoneInfo) -> object:
    """A value as written: numbers and booleans as they are, times in the center's zone, everything else text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value)
    return neutralise(str(value))


def to_csv(sections: Sequence[Section], tz: ZoneInfo) -> bytes:
    """Sections one after another: a `[name]` line, the heads, the rows, a blank line; UTF-8 with a BOM (Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for s in sections:
        writer.writerow([neutralise(f"[{s.name}]")])
        writer.writerow([cell(c, tz) for c in s.columns])
        writer.writerows([cell(v, tz) for v in row] for row in s.rows)
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel takes: no []:*?/\\, at most 31 characters, unique in the book."""
    base = _SHEET_BAD.sub("_", name).strip("'")[:31] or "sheet"
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        title = f"{base[:27]} ({n})"
    taken.add(title.lower())
    return title


def to_xlsx(sections: Sequence[Section], tz: ZoneInfo) -> bytes:
    """One sheet per section; text cells are typed as text (never a formula) besides being neutralised."""
    from openpyxl import Workbook  # imported here: only report downloads need it

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for s in sections:
        sheet = book.create_sheet(sheet_title(s.name, taken))
        for r, row in enumerate([s.columns, *s.rows], start=1):
            for c, value in enumerate(row, start=1):
                written = cell(value, tz)
                if isinstance(written, str):
                    written = _XML_ILLEGAL.sub("\ufffd", written)
                target = sheet.cell(row=r, column=c, value=written)
                if isinstance(written, str):
                    target.data_type = "s"  # openpyxl would otherwise store a text starting with "=" as a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
