"""The demo's forms printed by real programs: the HTML by headless Chromium, the XLSX by
LibreOffice. Each must give one A4 landscape page whose text holds the title, the unit, the
totals row and the signature block.

The programs come from Debian (``chromium``, ``poppler-utils``, ``libreoffice-calc``); ``.ci/run``
installs them (and ``fonts-liberation2``, the Times New Roman metric clone with every Vietnamese
letter) when missing, so these tests run in CI, where a missing program fails them (``CI=true``).
Elsewhere they are skipped, saying which program is missing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import tthc
from tthc.report import Counts, FormOptions, render

OPTIONS = FormOptions(
    receiving_unit="UBND thị xã Cửa Lò",
    prepared_by="Nguyễn Thị Lan",
    approved_by="Trần Văn Hùng",
    place="Nghi Hương",
    signed_on=dt.date(2024, 4, 5),
)
A4_LANDSCAPE_PT = (841.89, 595.28)
"""A4 (297 × 210 mm) in PostScript points, landscape."""
TIMEOUT_S = 180

EXPECTED = [
    "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    "Đơn vị báo cáo: UBND phường Nghi Hương, thị xã Cửa Lò, tỉnh Nghệ An",
    "Đơn vị nhận báo cáo: UBND thị xã Cửa Lò",
    "Kỳ báo cáo: Quý I năm 2024",
    "Tổng cộng 403 60 343 0 403 175 228 0 0 0 0",
    "Nghi Hương, ngày 05 tháng 4 năm 2024",
    "Người lập biểu",
    "(Ký, ghi rõ họ tên)",
    "Thủ trưởng đơn vị",
    "(Ký tên, đóng dấu)",
    "Nguyễn Thị Lan",
    "Trần Văn Hùng",
]


def _program(*names: str) -> str:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    reason = f"{names[0]} is not installed (Debian package; .ci/run installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _pdf_facts(pdf: Path) -> tuple[int, tuple[float, float], str]:
    """Pages, the first page's size in points, and the text (whitespace collapsed)."""
    pdfinfo = _program("pdfinfo")
    pdftotext = _program("pdftotext")
    info = subprocess.run(
        [pdfinfo, str(pdf)], capture_output=True, text=True, check=True, timeout=TIMEOUT_S
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE)
    assert size, info
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=TIMEOUT_S,
    ).stdout
    return pages, (float(size.group(1)), float(size.group(2))), " ".join(text.split())


def _assert_one_signed_a4_landscape_page(pdf: Path) -> None:
    pages, (width, height), text = _pdf_facts(pdf)
    assert pages == 1
    assert width == pytest.approx(A4_LANDSCAPE_PT[0], abs=2)
    assert height == pytest.approx(A4_LANDSCAPE_PT[1], abs=2)
    missing = [part for part in EXPECTED if part not in text]
    assert not missing, text
    fonts = subprocess.run(
        [_program("pdffonts"), str(pdf)],
        capture_output=True,
        text=True,
        check=True,
        timeout=TIMEOUT_S,
    ).stdout.splitlines()[2:]
    families = {line.split()[0].split("+")[-1].split("-")[0] for line in fonts}
    assert len(families) == 1, families  # one font, no fallback for a Vietnamese letter


def _print_html(report: tthc.Report, tmp_path: Path) -> Path:
    chromium = _program("chromium", "chromium-browser")
    _program("pdfinfo")
    _program("pdftotext")
    page = tmp_path / "bieu06.html"
    page.write_text(str(render(report, "html", options=OPTIONS)), encoding="utf-8")
    pdf = tmp_path / "out.pdf"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            page.as_uri(),
        ],
        capture_output=True,
        check=True,
        timeout=TIMEOUT_S,
    )
    return pdf


def test_demo_html_prints_as_one_a4_landscape_page(tmp_path: Path) -> None:
    _assert_one_signed_a4_landscape_page(_print_html(tthc.demo_report(), tmp_path))


def test_a_long_html_form_repeats_its_header_rows_and_totals_once(tmp_path: Path) -> None:
    groups = {
        (f"Xã số {i:02d} – Đất đai – Xây dựng – Đô thị và môi trường", "online"): Counts(
            received_online=i, resolved_on_time=i
        )
        for i in range(1, 41)
    }
    report = tthc.Report(
        tthc.Period.parse("2024-Q1"),
        group_by=("domain", "channel"),
        groups=groups,
        rows_read=820,
        rows_counted=820,
        unit="UBND tỉnh Nghệ An",
    )
    pdf = _print_html(report, tmp_path)
    pages, _size, _text = _pdf_facts(pdf)
    assert pages > 1
    pdftotext = _program("pdftotext")
    texts = [
        " ".join(
            subprocess.run(
                [pdftotext, "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
                timeout=TIMEOUT_S,
            ).stdout.split()
        )
        for number in range(1, pages + 1)
    ]
    with_rows = [text for text in texts if "Xã số" in text]
    assert len(with_rows) > 1
    for text in with_rows:  # the header rows on every page of the table
        assert "(1) (2) (3) (4) (5)" in text
    assert sum("Tổng cộng 820" in text for text in texts) == 1  # the totals once
    assert "Tổng cộng 820" in with_rows[-1]
    assert all(
        part in texts[-1] for part in ("Người lập biểu", "Thủ trưởng đơn vị", "Trần Văn Hùng")
    )


def test_demo_xlsx_prints_as_one_a4_landscape_page(tmp_path: Path) -> None:
    office = _program("libreoffice", "soffice")
    _program("pdfinfo")
    _program("pdftotext")
    book = tmp_path / "bieu06.xlsx"
    book.write_bytes(bytes(render(tthc.demo_report(), "xlsx", options=OPTIONS)))
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        capture_output=True,
        check=True,
        timeout=TIMEOUT_S,
    )
    _assert_one_signed_a4_landscape_page(tmp_path / "bieu06.pdf")
