"""Build a quarterly compliance report (Biểu số 06/VPCP/KSTT) from a small CSV export.

Writes ``dossiers.csv`` (an interchange file with one rejected row), builds the report of the
first quarter of 2024 grouped by domain and channel, prints it as a terminal table, writes it as
CSV (UTF-8 with BOM, for Excel) and JSON, and lists the rejected row.
"""

from __future__ import annotations

from pathlib import Path

import tthc

ROWS = """\
code,domain,channel,received_at,status,due_at,finished_at,time_limit,extended_due_at
H40-231228-0001,Tư pháp – Hộ tịch,trực tiếp,2023-12-28 09:00,returned,2024-01-03 17:00,2024-01-02 10:00,,
H40-240103-0001,Tư pháp – Hộ tịch,trực tuyến,2024-01-03 21:10,returned,,2024-01-04 09:30,Trong ngày,
H40-240207-0001,Đất đai – Xây dựng – Đô thị,direct,2024-02-07 09:00,completed,,2024-02-21 16:00,05 ngày làm việc,
H40-240304-0001,Đất đai – Xây dựng – Đô thị,postal,2024-03-04 08:00,returned,2024-03-08 17:00,2024-03-12 09:00,,2024-03-13 17:00
H40-240325-0001,Chính sách xã hội,direct,2024-03-25 10:00,supplement_requested,2024-03-27 17:00,,,
H40-240329-0001,Chính sách xã hội,fax,2024-03-29 10:00,processing,2024-04-05 17:00,,,
"""


def main() -> tthc.Report:
    """Write the sample file, build and print the report; return it."""
    Path("dossiers.csv").write_text(ROWS, encoding="utf-8")
    report = tthc.build_report(
        "dossiers.csv", "2024-Q1", group_by=("domain", "channel"), unit="UBND phường Mẫu"
    )
    print(tthc.report.render(report, "table"))
    Path("q1.csv").write_text(str(tthc.report.render(report, "csv")), encoding="utf-8")
    Path("q1.json").write_text(report.to_json(), encoding="utf-8")
    for rejection in report.rejections:
        print("rejected:", rejection)
    t = report.totals
    assert (report.rows_read, report.rows_counted, report.rows_rejected) == (6, 5, 1)
    assert t.received_total == t.resolved_total + t.pending_total == 5
    assert (t.resolved_late, t.resolved_late_with_apology, t.pending_within_time) == (1, 1, 1)
    return report


if __name__ == "__main__":
    main()
