"""Reading batch files: every format the issue names, and every file that cannot be used is
refused with words naming what is wrong, before any request."""

from __future__ import annotations

import pytest

from desktop_app.desk.batch import MAX_ROWS, BatchFileError, read_batch_file
from desktop_app.desk.batch.reading import MAX_FILE_BYTES
from tests.desk.batch.conftest import ASHA, HEADER, csv_bytes, row


def test_semicolon_csv_with_bom_and_upper_case_headers(tmp_path):
    path = tmp_path / "excel.csv"
    header = [name.upper() for name in HEADER]
    rows = [row(ASHA, rid="NZVAt9", bill_number="b; with semicolon", purpose="why not")]
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes(rows, delimiter=";", header=header))
    batch = read_batch_file(path)
    (first,) = batch.rows
    assert first.is_valid, first.problems
    assert first.key.value == "NZVAt9"
    assert first.target.bill_number == "b; with semicolon"
    assert first.target.bill_id is None  # empty cell: leave as it is
    assert first.entity.type == "CUSTOMER"  # no entity_type column: the default


def test_xlsx_first_sheet_numbers_read_as_typed(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADER))
    sheet.append(["mobile", 919800000001, "NZVAt9", None, 5001, "bill-5001", None])
    sheet.append(["EMAIL", "asha@example.com", None, "EXT-1002", None, None, "refund"])
    workbook.create_sheet("Other").append(["not", "read"])
    path = tmp_path / "outage.xlsx"
    workbook.save(path)
    first, second = read_batch_file(path).rows
    assert first.is_valid and second.is_valid, (first.problems, second.problems)
    assert first.entity.identifier_value == "919800000001"
    assert first.target.bill_id == 5001
    assert second.entity.identifier_type == "email"
    assert second.key.kind.value == "externalReferenceNumber"


def test_invalid_rows_say_per_cell_what_is_wrong(batch_file):
    path = batch_file(
        [
            row(ASHA, rid="NZVAt9", bill_id="12a"),
            row(ASHA, rid="NZVAt9", ext="EXT-1001", purpose="x"),
            row(ASHA, rid="NZVAt9"),
            row(("phone", "1"), rid="NZVAt9", purpose="x"),
            row(ASHA, rid="NZVAt9", purpose=" padded"),
            row(("cardnumber", "CARD-0001"), rid="NZVAt9", purpose="x"),
        ]
    )
    rows = read_batch_file(path).rows
    assert [r.is_valid for r in rows] == [False] * 6
    assert "digits 0-9" in rows[0].problems["bill_id"]
    assert rows[1].problems["redemption_id"] == rows[1].problems["external_reference_number"]
    assert "only one" in rows[1].problems["redemption_id"]
    assert "at least one" in rows[2].problems["purpose"]
    assert "identifier type must be one of" in rows[3].problems["identifier_type"]
    assert "space" in rows[4].problems["purpose"]
    assert "no lookup" in rows[5].problems["identifier_type"]


def test_blank_lines_are_skipped_but_keep_row_numbers(batch_file):
    path = batch_file(
        [row(ASHA, rid="A1", purpose="x"), [""] * 7, row(ASHA, rid="A3", purpose="y")]
    )
    assert [r.number for r in read_batch_file(path).rows] == [1, 3]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (b"  \r\n", "is empty"),
        (b"identifier_type,identifier_value,redemption_id,purpose\r\n", "no data rows"),
        (b"identifier_type,redemption_id,purpose\r\nmobile,A,b\r\n", "identifier_value"),
        (b"identifier_type,identifier_value,purpose\r\nmobile,1,b\r\n", "redemption_id or"),
        (b"identifier_type,identifier_value,redemption_id\r\nm,1,A\r\n", "at least one of bill_id"),
        (b"identifier_type,identifier_value,redemption_id,purpose,PURPOSE\r\n", "appears twice"),
        ("identifier_type,purpose\r\nmobile,caf\xe9\r\n".encode("latin-1"), "not UTF-8"),
        (
            b'identifier_type,identifier_value,redemption_id,purpose\r\n"m,1,A,b\r\n',
            "not valid CSV",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel 97-2003"),
        (b"PK\x03\x04 not really a zip", "not a readable .xlsx"),
    ],
)
def test_unusable_files_are_refused_with_the_reason(tmp_path, content, words):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(BatchFileError, match=words):
        read_batch_file(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(BatchFileError, match="There is no file"):
        read_batch_file(tmp_path / "nope.csv")
    with pytest.raises(BatchFileError, match="folder"):
        read_batch_file(tmp_path)


def test_caps_refuse_instead_of_cutting_short(tmp_path, batch_file):
    too_many = batch_file([row(ASHA, rid="A1", purpose="x")] * (MAX_ROWS + 1))
    with pytest.raises(BatchFileError, match="more than 10,000 data rows"):
        read_batch_file(too_many)
    huge = tmp_path / "huge.csv"
    huge.write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(BatchFileError, match="larger than 20 MB"):
        read_batch_file(huge)
