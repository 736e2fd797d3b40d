"""Bad input: a clear error naming the file and the reason, and nothing else lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kg.documents.reader import DocumentError, read_document
from kg.tables.extract import extract_documents, read_tables, write_tables

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
GOOD = CORPUS / "qingyuan-qingxin-2023-budget.txt"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("年度工作总结\n今年我们完成了很多工作。\n".encode(), "not a budget or final-accounts"),
        (b"abc\xff\xff\xffdef", "not UTF-8"),
    ],
)
def test_unreadable_documents_are_named_with_the_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as raised:
        read_document(path)
    assert reason in str(raised.value)
    assert str(path) in str(raised.value)


def test_a_broken_document_does_not_stop_the_others(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x00\x01\x02")
    extraction = extract_documents([broken, GOOD, tmp_path / "missing.txt"])
    assert [Path(e.source).name for e in extraction.errors] == ["broken.txt", "missing.txt"]
    assert list(extraction["documents"]["doc_id"]) == ["qingyuan-qingxin-2023-budget"]
    assert len(extraction["projects"]) >= 17


def test_gb18030_text_is_read(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(GOOD.read_text(encoding="utf-8").encode("gb18030"))
    assert read_document(path).info.department == "清远市清新区政务服务数据管理局"


def test_unrecognised_table_is_reported_with_its_lines(tmp_path):
    text = GOOD.read_text(encoding="utf-8").split("\n")
    # before the title of 支出总体情况表 (l.130), after the note closing the table above
    text[129:129] = ["奇怪的统计表", "", "甲\t乙\t丙", "一\t1.00\t2.00", ""]
    path = tmp_path / "odd.txt"
    path.write_text("\n".join(text), encoding="utf-8")
    problems = extract_documents([path])["problems"]
    odd = problems[problems.message.str.contains("奇怪的统计表")]
    assert len(odd) == 1
    assert "lines 130-133" in odd.iloc[0]["message"]
    assert odd.iloc[0]["line"] == 130


def test_csv_and_parquet_round_trip(tmp_path):
    extraction = extract_documents([GOOD])
    for fmt in ("csv", "parquet"):
        out = tmp_path / fmt
        write_tables(extraction, out, fmt)
        back = read_tables(out)
        for name, frame in extraction.tables.items():
            pd.testing.assert_frame_equal(
                back[name].reset_index(drop=True),
                frame.reset_index(drop=True),
                check_dtype=False,
                obj=f"{fmt}:{name}",
            )


def test_cli_extracts_reports_and_exits_non_zero_only_for_unreadable(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_text("no budget here\n", encoding="utf-8")
    command = [sys.executable, "-m", "kg.cli", "extract", str(GOOD), "--out", str(tmp_path / "o")]
    ok = subprocess.run(command, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert "qingyuan-qingxin-2023-budget.txt: 13 tables" in ok.stdout
    assert (tmp_path / "o" / "projects.csv").exists()
    bad = subprocess.run(
        command[:-2] + [str(broken), "--out", str(tmp_path / "p")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert "broken.txt" in bad.stderr and "not a budget" in bad.stderr
    assert (tmp_path / "p" / "projects.csv").read_text(encoding="utf-8").count("\n") > 17
