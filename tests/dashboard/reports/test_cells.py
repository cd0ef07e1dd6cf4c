"""Report cells: formula-like text is neutralised in CSV and XLSX alike; the XLSX opens and holds the rows."""
import csv
import io
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from dashboard.reports.cells import Section, neutralise, sheet_title, to_csv, to_xlsx

TZ = ZoneInfo("Asia/Shanghai")
HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(1)", "\tx", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["和平里 3 号", "1+1", "a=b", ""])
def test_plain_text_is_kept(text):
    assert neutralise(text) == text


def test_xlsx_opens_and_no_cell_is_a_formula():
    at = datetime(2026, 11, 20, 1, 30, tzinfo=timezone.utc)
    section = Section("工单 orders", ("id", "address", "at", "ok"), [[1, h, at, True] for h in HOSTILE] + [[-5, None,
                                                                                                         None, False]])
    book = load_workbook(io.BytesIO(to_xlsx([section], TZ)))
    sheet = book["工单 orders"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("id", "address", "at", "ok")
    assert [r[1] for r in rows[1:-1]] == ["'" + h for h in HOSTILE]
    assert rows[1][2] == "2026-11-20 09:30:00" and rows[1][3] == "是"  # the center's time; booleans in words
    assert rows[-1][0] == -5  # a number stays a number
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_csv_neutralises_too():
    data = to_csv([Section("a", ("x",), [[h] for h in HOSTILE]), Section("b", ("y",), [[2]])], TZ)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["[a]"] and rows[1] == ["x"]
    assert [r[0] for r in rows[2:2 + len(HOSTILE)]] == ["'" + h for h in HOSTILE]
    assert rows[2 + len(HOSTILE):] == [[], ["[b]"], ["y"], ["2"], []]


def test_sheet_titles_are_excel_safe_and_unique():
    taken: set[str] = set()
    assert sheet_title("抢修 a/b:c", taken) == "抢修 a_b_c"
    assert sheet_title("抢修 a/b:c", taken) == "抢修 a_b_c (2)"
    assert len(sheet_title("x" * 40, taken)) == 31


def test_a_control_character_a_client_stored_does_not_break_the_xlsx():
    # XML 1.0 cannot hold most C0 controls; ingest accepts them in free text (an address, a cause).
    section = Section("s", ("address",), [["和平里\x1b3号"], ["\x0b=1+1"]])
    rows = list(load_workbook(io.BytesIO(to_xlsx([section], TZ)))["s"].iter_rows(values_only=True))
    assert rows[1:] == [("和平里\ufffd3号",), ("\ufffd=1+1",)]
