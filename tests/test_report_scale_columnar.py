"""The DuckDB columnar path gives the same report as the streaming path (CSV and Parquet)."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tthc import VN_TZ, InputFormatError, ReportPolicy, build_report
from tthc.report._columnar import build_report_columnar, parquet_rows
from tthc.report._records import COLUMNS

duckdb = pytest.importorskip("duckdb")

PERIOD = "2024-Q1"
START = dt.datetime(2024, 1, 1)
END = dt.datetime(2024, 4, 1)
UTC = dt.UTC
VN = dt.timezone(dt.timedelta(hours=7))

# Instants that sit on the rules' edges: the period's start and end, office hours, midnight.
EDGE_DAYS = [
    dt.date(2023, 12, 29),
    dt.date(2023, 12, 31),
    dt.date(2024, 1, 1),
    dt.date(2024, 1, 2),
    dt.date(2024, 2, 8),  # Tết 2024 holiday
    dt.date(2024, 2, 10),
    dt.date(2024, 3, 29),
    dt.date(2024, 3, 31),
    dt.date(2024, 4, 1),
    dt.date(2024, 4, 2),
]
EDGE_TIMES = [
    dt.time(0, 0),
    dt.time(0, 0, 0, 1),
    dt.time(7, 30),
    dt.time(8, 0, 30),
    dt.time(11, 30),
    dt.time(12, 15, 59),
    dt.time(16, 59, 59),
    dt.time(17, 0),
    dt.time(23, 59, 59),
    dt.time(23, 59, 59, 999999),
]
CHANNELS = ["direct", "online", "postal", "Trực tuyến", "trực tiếp", " Bưu chính "]
STATUSES = [
    "received",
    "processing",
    "supplement_requested",
    "paused",
    "completed",
    "returned",
    "refused",
    "withdrawn",
    "Đã trả kết quả",
]
FINISHED = {"completed", "returned", "refused", "withdrawn", "Đã trả kết quả"}
LIMITS = ["05 ngày làm việc", "3 ngày làm việc", "10 ngày", "trong ngày", "1 ngày làm việc"]
DOMAINS = ["Hộ tịch", "Chứng thực", "Đất đai", "=cmd|' /C calc'!A0", "Bảo trợ xã hội"]


def _instant(rng: random.Random) -> dt.datetime:
    if rng.random() < 0.6:
        day = rng.choice(EDGE_DAYS)
        moment = rng.choice(EDGE_TIMES)
    else:
        day = dt.date(2023, 11, 1) + dt.timedelta(days=rng.randrange(200))
        moment = dt.time(rng.randrange(24), rng.randrange(60), rng.randrange(60))
    return dt.datetime.combine(day, moment)


def _text(value: dt.datetime, rng: random.Random) -> str:
    """ISO 8601 in one of the forms the interchange format allows (naive = UTC+7)."""
    form = rng.randrange(6)
    if form == 0:
        return value.isoformat(sep=" ")
    if form == 1:
        return value.isoformat()
    if form == 2:
        return value.replace(tzinfo=VN).isoformat()
    if form == 3:
        return value.replace(tzinfo=VN).astimezone(UTC).isoformat().replace("+00:00", "Z")
    if form == 4:
        return value.replace(tzinfo=VN).astimezone(dt.timezone(dt.timedelta(hours=-5))).isoformat()
    if not value.second and not value.microsecond:
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def make_rows(rng: random.Random, n: int) -> list[dict[str, str]]:
    """Valid interchange rows dense in boundary cases (no rejections)."""
    rows = []
    for i in range(n):
        received = _instant(rng)
        status = rng.choice(STATUSES)
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            code=f"H40-{i:06d}",
            domain=rng.choice(DOMAINS),
            channel=rng.choice(CHANNELS),
            received_at=_text(received, rng),
            status=status,
            agency=rng.choice(["", "UBND phường", "-Công an"]),
            procedure_code=rng.choice(["", "1.001", "2.002"]),
            procedure_name=rng.choice(["", "Đăng ký khai sinh", "+Chứng thực"]),
            level=rng.choice(["", "commune", "Cấp xã"]),
            supplement_requests=rng.choice(["", "0", "1", "2", "01", "02", "10"]),
        )
        due_choice = rng.random()
        if due_choice < 0.2:
            row["time_limit"] = rng.choice(LIMITS)
            due = None
        else:
            due = received + dt.timedelta(
                days=rng.choice([0, 0, 1, 3, 10, 40]), hours=rng.choice([0, 2, 9])
            )
            if rng.random() < 0.3:
                row["due_at"] = due.date().isoformat()  # a date alone: end of that day
                due = dt.datetime.combine(due.date(), dt.time(23, 59, 59, 999999))
            else:
                row["due_at"] = _text(due, rng)
            if rng.random() < 0.1:
                row["extended_due_at"] = _text(due + dt.timedelta(days=rng.randrange(1, 9)), rng)
        if status in FINISHED:
            if due is not None and rng.random() < 0.3:
                finished = due + rng.choice(
                    [dt.timedelta(0), dt.timedelta(seconds=1), -dt.timedelta(seconds=1)]
                )
                finished = max(finished, received)
            else:
                finished = received + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
            row["finished_at"] = _text(finished, rng)
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], bom: bool = False) -> Path:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_parquet(path: Path, csv_path: Path) -> Path:
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar = true, header = true)) "
        f"TO '{path}' (FORMAT parquet)"
    )
    con.close()
    return path


GROUPINGS: list[tuple[str, ...]] = [
    ("domain",),
    ("channel",),
    ("agency", "level"),
    ("procedure", "domain"),
]


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 120),
    grouping=st.sampled_from(GROUPINGS),
    withdrawn=st.sampled_from(["on_time", "exclude"]),
    repeated=st.sampled_from(["by_date", "late"]),
)
def test_columnar_equals_streaming_on_random_csv(
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    n: int,
    grouping: Any,
    withdrawn: str,
    repeated: str,
) -> None:
    path = write_csv(tmp_path_factory.mktemp("c") / "rows.csv", make_rows(random.Random(seed), n))
    policy = ReportPolicy(withdrawn=withdrawn, repeated_supplement=repeated)  # type: ignore[arg-type]
    streaming = build_report(path, PERIOD, group_by=grouping, policy=policy)
    assert streaming.rows_rejected == 0, streaming.rejections[:3]
    columnar = build_report_columnar(path, PERIOD, group_by=grouping, policy=policy, fallback=False)
    assert columnar == streaming


@pytest.mark.parametrize("official", [False, True])
def test_columnar_equals_streaming_on_parquet(tmp_path: Path, official: bool) -> None:
    from tthc import Period

    rows = make_rows(random.Random(7), 400)
    csv_path = write_csv(tmp_path / "rows.csv", rows, bom=True)
    parquet_path = write_parquet(tmp_path / "rows.parquet", csv_path)
    period = Period.parse(PERIOD, official=official)
    streaming = build_report(parquet_rows(parquet_path), period, group_by=("domain", "channel"))
    columnar = build_report_columnar(
        parquet_path, period, group_by=("domain", "channel"), fallback=False
    )
    assert columnar.groups == streaming.groups
    assert (columnar.rows_read, columnar.rows_counted, columnar.rows_outside_period) == (
        streaming.rows_read,
        streaming.rows_counted,
        streaming.rows_outside_period,
    )
    # ... and the same numbers as the CSV it was written from.
    assert columnar.groups == build_report(csv_path, period, group_by=("domain", "channel")).groups


def test_typed_parquet_columns(tmp_path: Path) -> None:
    """Parquet with DATE, TIMESTAMP (UTC+7 wall clock), TIMESTAMPTZ and integer columns."""
    path = tmp_path / "typed.parquet"
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Etc/GMT-7'")
    con.execute(
        f"""COPY (SELECT * FROM (VALUES
          ('A-1', 'Hộ tịch', 'online', TIMESTAMP '2024-01-02 08:00:00', 'returned',
           DATE '2024-01-05', TIMESTAMPTZ '2024-01-05 10:00:00+07', 1),
          ('A-2', 'Hộ tịch', 'direct', TIMESTAMP '2024-03-29 16:00:00', 'processing',
           DATE '2024-03-30', NULL, 0),
          ('A-3', 'Đất đai', 'postal', TIMESTAMP '2023-12-20 09:00:00', 'completed',
           DATE '2024-01-10', TIMESTAMPTZ '2024-01-11 02:00:00+00', 0)
        ) AS t(code, domain, channel, received_at, status, due_at, finished_at,
               supplement_requests)) TO '{path}' (FORMAT parquet)"""
    )
    con.close()
    streaming = build_report(parquet_rows(path), PERIOD)
    columnar = build_report_columnar(path, PERIOD, fallback=False)
    assert columnar.groups == streaming.groups
    hotich = columnar.groups[("Hộ tịch",)]
    assert (hotich.resolved_early, hotich.pending_overdue) == (0, 1)
    assert hotich.resolved_on_time == 1
    assert columnar.groups[("Đất đai",)].resolved_late == 1


BAD_ROWS = {
    "unknown channel": {"channel": "fax"},
    "bad date": {"received_at": "2024-02-30 08:00"},
    "non-ISO date": {"received_at": "2024-1-5 08:00"},
    "finished before received": {"status": "completed", "finished_at": "2023-01-01T08:00"},
    "status without finished_at": {"status": "returned", "finished_at": ""},
    "finished_at without end state": {"status": "processing", "finished_at": "2024-03-01"},
    "due before received": {"due_at": "2020-01-01", "time_limit": ""},
    "missing due_at": {"due_at": "", "time_limit": ""},
    "bad time limit": {"due_at": "", "time_limit": "khi nào xong"},
    "bad supplements": {"supplement_requests": "-1"},
    "extended not after due": {"extended_due_at": "2000-01-01"},
    "unknown level": {"level": "galactic"},
    "missing code": {"code": ""},
}


def _base_rows() -> list[dict[str, str]]:
    rows = []
    for i in range(6):
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            code=f"B-{i}",
            domain="Hộ tịch",
            channel="online",
            received_at="2024-02-01T08:00",
            status="processing",
            due_at="2024-02-06T17:00",
        )
        rows.append(row)
    return rows


@pytest.mark.parametrize("reason", sorted(BAD_ROWS))
def test_rejected_rows_fall_back_to_streaming(tmp_path: Path, reason: str) -> None:
    rows = _base_rows()
    rows[3].update(BAD_ROWS[reason])
    path = write_csv(tmp_path / "bad.csv", rows)
    streaming = build_report(path, PERIOD)
    columnar = build_report_columnar(path, PERIOD)
    assert columnar == streaming
    if reason != "non-ISO date":  # valid for Python, doubtful for the SQL: counted either way
        assert columnar.rows_rejected == 1
        assert columnar.rejections[0].line == 5
    with pytest.raises(InputFormatError, match="columnar path cannot count"):
        build_report_columnar(path, PERIOD, fallback=False)


@pytest.mark.parametrize(
    "damage",
    [
        "duplicate",
        "blank line",
        "multi-line cell",
        "too many cells",
        "short row",
        "whitespace line",
        "tab-padded cell",
    ],
)
def test_structural_problems_fall_back(tmp_path: Path, damage: str) -> None:
    rows = _base_rows()
    path = write_csv(tmp_path / "rows.csv", rows)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if damage == "duplicate":
        lines.append(lines[2])
    elif damage == "blank line":
        lines.insert(3, "\n")
    elif damage == "multi-line cell":
        lines[2] = lines[2].replace("Hộ tịch", '"Hộ\ntịch"')
    elif damage == "too many cells":
        lines[2] = lines[2].rstrip("\n") + ",extra\n"
    elif damage == "short row":  # valid for the streaming reader: missing cells are empty
        lines[2] = ",".join(lines[2].split(",")[:7]) + "\n"
    elif damage == "tab-padded cell":
        lines[2] = lines[2].replace("Hộ tịch", "\tHộ tịch")
    else:
        lines.insert(4, "   \n")
    path.write_text("".join(lines), encoding="utf-8")
    streaming = build_report(path, PERIOD)
    assert build_report_columnar(path, PERIOD) == streaming
    if damage in ("short row", "tab-padded cell"):
        assert streaming.rows_rejected == 0  # counted, by the fallback
    with pytest.raises(InputFormatError):
        build_report_columnar(path, PERIOD, fallback=False)


def test_missing_columns_raise_like_streaming(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("code,domain\nA,B\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="missing required column"):
        build_report_columnar(path, PERIOD)


PADDING = [" ", "\t", "\u00a0", "\u2028", "\u3000", "\x1c"]
EXACT_COLUMNS = ["code", "domain", "agency", "procedure_code", "procedure_name"]
ALL_DIMENSIONS = ("domain", "agency", "procedure", "channel", "level")


@pytest.mark.parametrize("counted", [True, False], ids=["counted", "outside the period"])
@pytest.mark.parametrize("where", ["start", "end", "alone"])
@pytest.mark.parametrize("column", EXACT_COLUMNS)
def test_padding_of_codes_and_keys(tmp_path: Path, column: str, where: str, counted: bool) -> None:
    """Every kind of whitespace at either end of a code or key cell (or alone in it), in a
    counted row and in a row outside the period: the same report as the streaming path, which
    strips (padding a key's end is seen in the keys of counted rows, its start in every row)."""
    for pad in PADDING:
        rows = _base_rows()
        for row in rows:
            row.update(agency="UBND xã A", procedure_code="1.001193", procedure_name="Khai sinh")
        rows[4]["received_at"] = "2024-01-02T08:00" if counted else "2024-05-02T08:00"
        rows[4]["due_at"] = "2024-05-06T17:00"
        text = rows[4][column]
        rows[4][column] = {"start": pad + text, "end": text + pad, "alone": pad}[where]
        path = write_csv(tmp_path / "padded.csv", rows)
        for group_by in [("domain",), ALL_DIMENSIONS]:
            streaming = build_report(path, PERIOD, group_by=group_by)
            assert build_report_columnar(path, PERIOD, group_by=group_by) == streaming, repr(pad)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 60),
    grouping=st.sampled_from(GROUPINGS),
    pads=st.lists(
        st.tuples(
            st.integers(0, 59),
            st.sampled_from(COLUMNS),
            st.sampled_from(PADDING),
            st.sampled_from(["start", "end", "alone"]),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_padding_anywhere_gives_the_streaming_report(
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    n: int,
    grouping: Any,
    pads: list[tuple[int, str, str, str]],
) -> None:
    """Whitespace added to any cell of random rows: the columnar report (fast path or
    fallback) is the streaming one."""
    rows = make_rows(random.Random(seed), n)
    for index, column, pad, where in pads:
        row = rows[index % n]
        row[column] = {"start": pad + row[column], "end": row[column] + pad, "alone": pad}[where]
    path = write_csv(tmp_path_factory.mktemp("p") / "rows.csv", rows)
    streaming = build_report(path, PERIOD, group_by=grouping)
    assert build_report_columnar(path, PERIOD, group_by=grouping) == streaming


def test_trailing_space_in_a_counted_key_is_doubtful(tmp_path: Path) -> None:
    rows = _base_rows()
    rows[2]["domain"] = "Hộ tịch\u00a0"
    path = write_csv(tmp_path / "rows.csv", rows)
    with pytest.raises(InputFormatError, match="not in Unicode NFC with single spaces"):
        build_report_columnar(path, PERIOD, fallback=False)
    rows[2]["received_at"] = "2024-05-02T08:00"  # outside the period: not in any key
    rows[2]["due_at"] = "2024-05-06T17:00"
    path = write_csv(tmp_path / "rows.csv", rows)
    assert build_report_columnar(path, PERIOD, fallback=False) == build_report(path, PERIOD)


@pytest.mark.parametrize(
    "spelling",
    ["Ho\u0323\u0302 ti\u0323ch", "Hộ\u00a0tịch", "Hộ  tịch", "Hộ\ttịch"],
    ids=["decomposed", "no-break space", "two spaces", "tab"],
)
@pytest.mark.parametrize("dimension", ["domain", "agency"])
def test_labels_that_print_alike_are_one_group_on_every_engine(
    tmp_path: Path, spelling: str, dimension: str
) -> None:
    """A label in decomposed Unicode or with other white space inside is the same label as
    "Hộ tịch" for the streaming reader; the columnar engine, whose SQL keeps cells as they
    are, hands such a file to it rather than count two groups that print alike."""
    rows = _base_rows()
    for row in rows:
        row[dimension] = "Hộ tịch"
    rows[2][dimension] = spelling
    path = write_csv(tmp_path / "rows.csv", rows)
    streaming = build_report(path, PERIOD, group_by=(dimension,))
    assert [key for key, _ in streaming.rows()] == [("Hộ tịch",)]
    with pytest.raises(InputFormatError, match="not in Unicode NFC with single spaces"):
        build_report_columnar(path, PERIOD, group_by=(dimension,), fallback=False)
    assert build_report_columnar(path, PERIOD, group_by=(dimension,)) == streaming


def test_whitespace_and_case_in_header_and_cells(tmp_path: Path) -> None:
    path = tmp_path / "spaces.csv"
    path.write_text(
        " Code ,DOMAIN,Channel,received_at,status,due_at,finished_at\n"
        "A-1,\u00a0Hộ tịch\u3000,  online ,2024-01-02T08:00,returned,2024-01-05, 2024-01-04T10:00\n",
        encoding="utf-8",
    )
    columnar = build_report_columnar(path, PERIOD)  # padded cells: the streaming path strips
    assert columnar == build_report(path, PERIOD)
    assert list(columnar.groups) == [("Hộ tịch",)]
    with pytest.raises(InputFormatError, match="padded code or group key"):
        build_report_columnar(path, PERIOD, fallback=False)


def test_repeated_supplement_policy_matches_streaming(tmp_path: Path) -> None:
    rows = make_rows(random.Random(11), 300)
    for i, row in enumerate(rows):  # every spelling of a count, and one past HUGEINT
        row["supplement_requests"] = ["", "0", "1", "2", "001", "002", "10", "0000999"][i % 8]
    path = write_csv(tmp_path / "rows.csv", rows)
    policy = ReportPolicy(repeated_supplement="late")
    columnar = build_report_columnar(path, PERIOD, policy=policy, fallback=False)
    assert columnar == build_report(path, PERIOD, policy=policy)
    by_date = build_report_columnar(path, PERIOD, fallback=False)
    assert columnar.totals.resolved_late > by_date.totals.resolved_late


@pytest.mark.parametrize("count", ["1000", "9" * 45, "9" * 5000])
def test_a_count_past_the_bound_is_rejected_by_both_paths(tmp_path: Path, count: str) -> None:
    rows = make_rows(random.Random(12), 50)
    rows[7]["supplement_requests"] = count
    path = write_csv(tmp_path / "rows.csv", rows)
    streaming = build_report(path, PERIOD)
    assert [r.column for r in streaming.rejections] == ["supplement_requests"]
    assert build_report_columnar(path, PERIOD) == streaming
    with pytest.raises(InputFormatError):
        build_report_columnar(path, PERIOD, fallback=False)


def test_without_processing_time(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "rows.csv", make_rows(random.Random(3), 200))
    policy = ReportPolicy(measure_processing_time=False)
    columnar = build_report_columnar(path, PERIOD, policy=policy, fallback=False)
    assert columnar == build_report(path, PERIOD, policy=policy)
    assert columnar.totals.processing_count == 0


def test_missing_duckdb_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import builtins

    from tthc import ReportError

    real_import = builtins.__import__

    def no_duckdb(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "duckdb":
            raise ImportError("no duckdb")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_duckdb)
    with pytest.raises(ReportError, match=r"tthc\[columnar\]"):
        build_report_columnar(tmp_path / "x.csv", PERIOD)


_ISO_PARTS = st.tuples(
    st.sampled_from([2024, 1970, 9999, 1000, 999]),  # year (999: three digits)
    st.sampled_from([1, 2, 12, 0, 13]),  # month
    st.sampled_from([1, 29, 30, 31, 0, 32]),  # day (2024-02-30 is no date)
    st.sampled_from(["", "T", " ", "t", "_"]),  # separator ("" = date only)
    st.sampled_from([0, 8, 23, 24, 25]),  # hour
    st.sampled_from([0, 30, 59, 60]),  # minute
    st.sampled_from(["", ":00", ":59", ":60", ":5"]),  # seconds
    st.sampled_from(["", ".5", ".123456", ".1234567", "."]),  # fraction
    st.sampled_from(["", "Z", "+07:00", "-05:30", "+24:00", "+0700", "+07", "-23:59"]),
)


@settings(max_examples=300, deadline=None)
@given(parts=_ISO_PARTS, due=st.booleans())
@example(parts=(2024, 1, 1, "T", 24, 0, "", "", ""), due=False)  # hour 24
@example(parts=(2024, 1, 1, " ", 8, 60, "", "", ""), due=False)  # minute 60
@example(parts=(2024, 1, 1, "T", 8, 0, ":60", "", ""), due=False)  # second 60
@example(parts=(2024, 2, 30, "", 0, 0, "", "", ""), due=True)  # no such day
@example(parts=(999, 1, 1, "T", 8, 0, "", "", ""), due=False)  # three-digit year
@example(parts=(2024, 1, 1, "T", 8, 0, ":00", "", "+24:00"), due=False)  # offset out of range
@example(parts=(2024, 1, 1, "t", 8, 0, "", "", ""), due=False)  # other separators
@example(parts=(2024, 1, 1, "T", 8, 0, ":00", ".1234567", ""), due=False)  # 7 digits
@example(parts=(2024, 1, 1, "T", 8, 0, ":00", ".5", "Z"), due=True)
@example(parts=(2024, 2, 29, "", 0, 0, "", "", ""), due=True)  # a date alone: end of day
def test_sql_instants_agree_with_the_streaming_parser(parts: Any, due: bool) -> None:
    """Whatever the SQL accepts, the streaming reader accepts with the same instant."""
    from tthc._duckdb import connect, epoch_us, instant_sql
    from tthc.report._parse import build_row_parser

    # The fast path also refuses instants outside the calendar's years (1901–2100, UTC+7),
    # as the streaming reader does.
    lowest = epoch_us(dt.datetime(1901, 1, 1, tzinfo=VN_TZ))
    beyond = epoch_us(dt.datetime(2101, 1, 1, tzinfo=VN_TZ))

    year, month, day, sep, hour, minute, seconds, fraction, offset = parts
    text = f"{year:04d}-{month:02d}-{day:02d}" if year >= 1000 else f"{year}-{month:02d}-{day:02d}"
    if sep:
        text += f"{sep}{hour:02d}:{minute:02d}{seconds}{fraction if seconds else ''}{offset}"
    column = "due_at" if due else "received_at"
    con = connect(duckdb, 1)
    (value,) = con.execute(
        f"SELECT {instant_sql(f'p.s_{column}', end_of_day=due)} FROM (SELECT $1 AS s_{column}) p",
        [text],
    ).fetchone()
    con.close()
    if value is not None and not lowest <= value < beyond:
        value = None
    row = {
        "code": "x",
        "domain": "x",
        "channel": "direct",
        "status": "received",
        "received_at": "1901-01-01T00:00" if due else text,
        "due_at": text if due else "2100-12-31",
    }
    try:
        parsed = build_row_parser()([row.get(c, "") for c in COLUMNS], 1)
    except Exception:  # the streaming reader rejects it
        assert value is None, text
        return
    if value is not None:
        local = parsed.due_at if due else parsed.received_at
        assert value == local - 7 * 3600 * 10**6, text  # local µs → epoch µs


def test_bom_and_crlf_take_the_fast_path(tmp_path: Path) -> None:
    path = tmp_path / "windows.csv"
    path.write_bytes(
        "\ufeffcode,domain,channel,received_at,status,due_at,finished_at\r\n"
        "A-1,Hộ tịch,online,2024-01-02T08:00,returned,2024-01-05,2024-01-04T10:00\r\n"
        "A-2,Đất đai,direct,2024-01-03 09:00,processing,2024-04-05,\r\n".encode()
    )
    columnar = build_report_columnar(path, PERIOD, fallback=False)
    assert columnar == build_report(path, PERIOD)
    assert columnar.totals.resolved_early == 1


# --- the shape of real exports (issue 14) --------------------------------------------------

REAL_CHANNELS = [
    "online",
    "Trực tuyến",
    "trực tuyến",
    "Dịch vụ công trực tuyến",
    "direct",
    "Trực tiếp",
    "trực tiếp",
    "postal",
    "bưu chính công ích",
]
REAL_STATUSES = {
    "returned": ["returned", "Đã trả kết quả", "đã trả kết quả"],
    "completed": ["completed", "Hoàn thành", "Đã giải quyết"],
    "refused": ["Từ chối", "Từ chối giải quyết"],
    "withdrawn": ["Rút hồ sơ", "Dừng xử lý"],
    "processing": ["Đang xử lý", "đang giải quyết"],
    "received": ["Mới tiếp nhận", "Đã tiếp nhận"],
    "supplement_requested": ["Chờ bổ sung", "Yêu cầu bổ sung"],
}
REAL_LIMITS = [
    "05 ngày làm việc",
    "05 ngay lam viec",
    "Trong ngày",
    "trong ngay",
    "03 ngày",
    "01 tháng",
    "04 giờ làm việc",
    "04 gio lam viec",
    "15 ngày",
    "3 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
]


def make_export_rows(rng: random.Random, n: int) -> list[dict[str, str]]:
    """Rows shaped like a real export: receipts with seconds, all distinct, counter ones in
    office hours and online ones at any hour; mixed offsets; a third of the rows with only a
    time limit (accented, unaccented, working hours, months); labels and aliases for channel,
    status and level; re-appointments and supplement counts. All valid (no rejections)."""
    rows = []
    base = dt.datetime(2023, 10, 1)
    for i in range(n):
        received = base + dt.timedelta(seconds=rng.randrange(200 * 86_400))
        status = rng.choice(list(REAL_STATUSES))
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            code=f"000.00.{i % 60:02d}.H40-{received:%y%m%d}-{i:05d}",
            domain=rng.choice(DOMAINS),
            channel=rng.choice(REAL_CHANNELS),
            received_at=_text(received, rng),
            status=rng.choice(REAL_STATUSES[status]),
            agency=rng.choice(["UBND phường Bến Nghé", "Sở Tư pháp"]),
            level=rng.choice(["commune", "Cấp Xã", "xã", "Cấp Tỉnh", "tỉnh"]),
            time_limit=rng.choice(REAL_LIMITS),
            supplement_requests=rng.choice(["", "", "0", "1", "2"]),
        )
        due: dt.datetime | None = None
        if rng.random() >= 1 / 3:  # the others carry only the time limit
            due = received + dt.timedelta(days=rng.choice([0, 1, 5, 12]))
            due = due.replace(hour=rng.choice([17, received.hour]), minute=rng.randrange(60))
            due = max(due, received)
            row["due_at"] = _text(due, rng)
            if rng.random() < 0.1:
                row["extended_due_at"] = _text(due + dt.timedelta(days=rng.randrange(1, 9)), rng)
        if status in {"returned", "completed", "refused", "withdrawn"}:
            finished = received + dt.timedelta(seconds=rng.randrange(1, 40 * 86_400))
            row["finished_at"] = _text(finished, rng)
        rows.append(row)
    return rows


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 300),
    grouping=st.sampled_from(GROUPINGS),
)
def test_columnar_equals_streaming_on_export_shaped_csv(
    tmp_path_factory: pytest.TempPathFactory, seed: int, n: int, grouping: Any
) -> None:
    rows = make_export_rows(random.Random(seed), n)
    path = write_csv(tmp_path_factory.mktemp("e") / "export.csv", rows)
    streaming = build_report(path, PERIOD, group_by=grouping)
    assert streaming.rows_rejected == 0, streaming.rejections[:3]
    columnar = build_report_columnar(path, PERIOD, group_by=grouping, fallback=False)
    assert columnar == streaming


def test_export_shaped_csv_with_bad_rows_falls_back(tmp_path: Path) -> None:
    rows = make_export_rows(random.Random(14), 200)
    rows[10]["channel"] = "Zalo"
    rows[20]["received_at"] = "2024-02-30 09:12:44"
    rows[30].update(due_at="", time_limit="Theo quy định")
    rows[40].update(  # a re-appointment before the due date computed from the time limit
        received_at="2024-03-01T08:00:00+07:00",
        due_at="",
        time_limit="20 ngày làm việc",
        extended_due_at="2024-03-05T17:00:00+07:00",
        status="processing",
        finished_at="",
    )
    path = write_csv(tmp_path / "export.csv", rows)
    streaming = build_report(path, PERIOD)
    assert [(r.line, r.column) for r in streaming.rejections] == [
        (12, "channel"),
        (22, "received_at"),
        (32, "time_limit"),
        (42, "extended_due_at"),
    ]
    assert build_report_columnar(path, PERIOD) == streaming
    with pytest.raises(InputFormatError, match=r"row\(s\) would be rejected"):
        build_report_columnar(path, PERIOD, fallback=False)


def test_every_label_and_alias_is_read_in_the_first_pass() -> None:
    """Real exports write labels and aliases: each must be in the first pass's lookups, or the
    file is parsed twice."""
    from tthc._enums import LABELS, AdministrativeLevel, Channel, DossierStatus
    from tthc.report._columnar import _default_maps

    maps = {name: dict(pairs) for name, pairs in _default_maps().items()}
    for name, enum in (
        ("channel", Channel),
        ("status", DossierStatus),
        ("level", AdministrativeLevel),
    ):
        for value, (vi, en, aliases) in LABELS[enum].items():
            for spelling in (value, vi, en, *aliases):
                for form in (spelling, spelling.lower(), spelling.capitalize()):
                    assert maps[name][form] == value, (name, form)


def test_duckdb_spills_into_the_spill_dir_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tthc.report import DuplicateCheck, _columnar

    seen: list[tuple[str | None, str]] = []
    real_connect = _columnar.connect

    def connect(duckdb: Any, threads: int | None, spill_dir: str | None = None) -> Any:
        con = real_connect(duckdb, threads, spill_dir)
        (limit, bar) = con.execute(
            "SELECT current_setting('memory_limit'), current_setting('enable_progress_bar')"
        ).fetchone()
        assert bar is False  # no progress bar on standard output
        seen.append((spill_dir, str(limit)))
        return con

    monkeypatch.setattr(_columnar, "connect", connect)
    spill = tmp_path / "spill"
    spill.mkdir()
    path = write_csv(tmp_path / "export.csv", make_export_rows(random.Random(3), 50))
    check = DuplicateCheck(spill_dir=spill)
    report = build_report_columnar(path, PERIOD, check_duplicates=check, fallback=False)
    assert report == build_report(path, PERIOD)
    [(used, limit)] = seen
    assert used is not None
    assert Path(used).parent == spill
    assert limit.replace(" ", "").upper().startswith(("122", "128"))  # 128MB (DuckDB: MiB)
    assert list(spill.iterdir()) == []


@pytest.mark.parametrize(
    ("limit", "extended", "column"),
    [
        ("20 ngày làm việc", "2024-03-05T17:00:00+07:00", "extended_due_at"),  # before the due
        ("999999 ngày làm việc", "", "time_limit"),  # a due date the engine cannot compute
    ],
)
def test_a_computed_due_date_can_make_the_only_bad_row(
    tmp_path: Path, limit: str, extended: str, column: str
) -> None:
    rows = make_export_rows(random.Random(5), 30)
    rows[7].update(
        received_at="2024-03-01T08:00:00+07:00",
        due_at="",
        time_limit=limit,
        extended_due_at=extended,
        status="processing",
        finished_at="",
    )
    path = write_csv(tmp_path / "export.csv", rows)
    streaming = build_report(path, PERIOD)
    assert [(r.line, r.column) for r in streaming.rejections] == [(9, column)]
    with pytest.raises(InputFormatError, match=r"1 row\(s\) would be rejected"):
        build_report_columnar(path, PERIOD, fallback=False)
    assert build_report_columnar(path, PERIOD) == streaming


def test_due_spellings_remembered_whole_stay_exact_past_the_cache_size() -> None:
    """The parser remembers due-date spellings whole, in a cache cleared when full: values
    read after it was cleared, and repeated ones, equal those of a parser seeing each once."""
    from tthc.report._parse import _DUE_CACHED, build_row_parser

    def row(due: str) -> list[str]:
        cells = {"code": "x", "domain": "x", "channel": "direct", "status": "received"}
        cells |= {"received_at": "2001-01-01T08:00:00", "due_at": due}
        return [cells.get(c, "") for c in COLUMNS]

    start = dt.datetime(2024, 1, 1, 8, 0, 0)
    spellings = [
        (start + dt.timedelta(minutes=7 * i, seconds=i % 60)).isoformat(sep=" " if i % 2 else "T")
        + ("+07:00" if i % 3 == 0 else "")
        for i in range(_DUE_CACHED + 500)
    ]
    parse = build_row_parser()
    seen = [parse(row(s), n).due_at for n, s in enumerate(spellings * 2, 1)]
    fresh = [build_row_parser()(row(s), 1).due_at for s in spellings]
    assert seen == fresh * 2
