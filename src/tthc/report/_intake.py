"""Reading what ward offices actually export: encodings, delimiters, Vietnamese and portal
headers, value spellings, the day/month order of dates, XLSX workbooks and portal records.

:func:`open_input` turns a path or an open file into raw rows — each the cells of one row in
:data:`~tthc.report.COLUMNS` order, with its line — and a :class:`SourceInfo` saying what was
read; the validation itself is one function for every format
(``tthc.report._parse.build_row_parser``).

With no options, ``auto`` detects:

* the format: an XLSX workbook (a ZIP file), JSON (an array or JSON lines; the national
  portal's dossier records when the first has ``MaHoSo``), otherwise delimited text;
* the encoding: UTF-8 with or without a byte-order mark, UTF-16 LE/BE with one; anything else
  is refused with the fix ("save as CSV UTF-8", or ``encoding="cp1258"``);
* the delimiter among ``,`` ``;`` and tab, from the header line;
* the columns, by name: the interchange names, the Vietnamese headers staff use and the portal
  record's field names, ignoring case, accents, spacing and Unicode form
  (:data:`HEADER_ALIASES`); ``IntakeOptions.columns`` maps any other header;
* the day/month order of ``dd/mm/yyyy`` dates, once per file, from a date that cannot be read
  both ways (a day above 12); a file where every such date is ambiguous must say it.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import itertools
import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final, Literal, NamedTuple

from tthc._enums import DossierStatus
from tthc._io import Source
from tthc._text import quoted
from tthc.errors import (
    InputChangedError,
    InputFormatError,
    InvalidInputError,
    RowRejectedError,
    TthcError,
)
from tthc.lifecycle import LifecycleState
from tthc.portal import DEFAULT_STATUS_MAP, PortalStatusMap
from tthc.report._parse import DATE_ORDERS, STATUS_MAP_HINT, TRAILING_COLUMNS, DateOrder

__all__ = [
    "HEADER_ALIASES",
    "INPUT_FORMATS",
    "INSTANT_FIELDS",
    "MAX_CELL_CHARS",
    "IntakeOptions",
    "SourceInfo",
    "header_key",
    "load_mapping",
    "map_header",
    "nested_value",
    "open_input",
]

InputFormat = Literal["auto", "csv", "jsonl", "xlsx", "portal"]
INPUT_FORMATS: Final[tuple[str, ...]] = ("auto", "csv", "jsonl", "xlsx", "portal")
"""What ``input_format`` may say: ``auto`` (detect), ``csv`` (any delimited text), ``jsonl``
(interchange objects, one per line, or a JSON array of them), ``xlsx`` (an Excel workbook),
``portal`` (the national portal's dossier records, a JSON array or JSON lines)."""

MAX_CELL_CHARS: Final = 10 * 1024 * 1024
"""The largest cell read (10 Mi characters): a larger one rejects its row, not the file."""

_SNIFF_BYTES: Final = 1 << 16
_PARQUET_MAGIC: Final = b"PAR1"
"""The first bytes of a Parquet file."""
"""What the reader looks at before reading rows: the encoding is decided on these first bytes
(invalid UTF-8 among them refuses the file, past them it rejects its row), and the format on
the first character that is not white space among them."""
_LOOK_AHEAD_ROWS: Final = 2_000
"""Rows read ahead for the date order before the first row is parsed."""
_BUFFER_ROWS: Final = 20_000
"""Rows a non-seekable input may be held back while its date order is still undecided."""
INSTANT_FIELDS: Final = (
    "received_at",
    "due_at",
    "finished_at",
    "extended_due_at",
    "supplement_requested_at",
    "supplement_received_at",
    "paused_at",
)
"""The instant columns of the interchange format (the instants of a ``DossierRecord``)."""
_SLASHED_DATE: Final = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")

HEADER_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "code": ("code", "Mã hồ sơ", "Số hồ sơ", "MaHoSo"),
    "domain": ("domain", "Lĩnh vực", "Tên lĩnh vực", "TenLinhVuc"),
    "channel": ("channel", "Kênh thực hiện", "Hình thức nộp", "Kênh nộp", "KenhThucHien"),
    "received_at": ("received_at", "Ngày tiếp nhận", "NgayTiepNhan"),
    "status": ("status", "Trạng thái", "Trạng thái hồ sơ", "TrangThaiHoSo"),
    "due_at": ("due_at", "Ngày hẹn trả", "Ngày hẹn trả kết quả", "NgayHenTra"),
    "finished_at": (
        "finished_at",
        "Ngày kết thúc xử lý",
        "NgayKetThucXuLy",
        "Ngày trả kết quả",
        "NgayTra",
    ),
    "agency": ("agency", "Đơn vị xử lý", "Cơ quan", "Cơ quan xử lý", "DonViXuLy"),
    "procedure_code": ("procedure_code", "Mã thủ tục", "Mã TTHC", "MaTTHC"),
    "procedure_name": ("procedure_name", "Tên thủ tục", "Tên TTHC", "TenTTHC"),
    "level": ("level", "Cấp thực hiện"),
    "time_limit": ("time_limit", "Thời hạn giải quyết", "Thời hạn"),
    "extended_due_at": ("extended_due_at", "Ngày hẹn trả mới", "Ngày hẹn lại"),
    "supplement_requests": ("supplement_requests", "Số lần bổ sung"),
    "supplement_requested_at": ("supplement_requested_at", "Ngày yêu cầu bổ sung", "NgayBoSung"),
    "supplement_received_at": (
        "supplement_received_at",
        "Ngày tiếp nhận bổ sung",
        "NgayTiepNhanBoSung",
    ),
    "paused_at": ("paused_at", "Ngày tạm dừng"),
    "synced": ("synced", "Đã đồng bộ"),
    "paid_online": ("paid_online", "Thanh toán trực tuyến", "DuocThanhToanTrucTuyen"),
    "fee": ("fee", "Phí, lệ phí", "Lệ phí"),
    "paper_result": ("paper_result", "Kết quả bản giấy"),
    "e_result": ("e_result", "Kết quả điện tử"),
    "digitised": ("digitised", "Số hóa", "HoSoCoThanhPhanSoHoa"),
    "reused_data": ("reused_data", "Tái sử dụng dữ liệu", "DuocTaiSuDung"),
    "from_citizen_store": ("from_citizen_store", "Kho dữ liệu công dân", "DuocLayTuKhoDMQG"),
    "vneid": ("vneid", "VNeID", "TaiKhoanDuocXacThucVoiVNeID"),
    "complaint": ("complaint", "Phản ánh, kiến nghị", "Khiếu nại"),
}
"""The header names each interchange column is read from, in order of preference: the
interchange name, the Vietnamese headers staff use, the portal record's field names. Matched by
:func:`header_key` (case, accents, spacing and Unicode form ignored). When a file has two names
of one column (``Ngày kết thúc xử lý`` and ``Ngày trả kết quả``), the earlier one here is read
and the other is ignored, as :class:`SourceInfo` says."""


def header_key(name: str) -> str:
    """How a header is matched: Unicode decomposed, accents and every non-letter/digit dropped,
    ``đ`` read as ``d``, case-folded.

    >>> header_key("Ngày tiếp nhận") == header_key("NgayTiepNhan") == header_key(" ngay_tiep nhan ")
    True
    """
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return re.sub(
        r"[^0-9a-z]", "", "".join(c for c in text if not unicodedata.combining(c)).casefold()
    )


_ALIAS_INDEX: Final[dict[str, tuple[str, int]]] = {
    header_key(alias): (column, rank)
    for column, aliases in HEADER_ALIASES.items()
    for rank, alias in enumerate(aliases)
}


TITLE_ROWS: Final = 10
"""Rows above the header of a workbook or CSV export that may be its title block ("UBND
PHƯỜNG …", "DANH SÁCH HỒ SƠ …", blank lines): a row of one filled cell at most that names no
column is skipped, up to this many. The header is the first other row."""


_TITLE_CELLS: Final = 3
"""The most cells a title row fills: fewer than the required columns a header names."""


def _is_title(names: Sequence[str], columns: Mapping[str, str] | None) -> bool:
    """True for a title row above the header: at most :data:`_TITLE_CELLS` filled cells
    ("DANH SÁCH HỒ SƠ", "Từ ngày:;01/01/2024"), naming no column the reader knows (or
    ``columns`` maps). A header has at least six: the required columns."""
    filled = [n for n in names if n.strip()]
    if len(filled) > _TITLE_CELLS:
        return False
    user = {header_key(k) for k in columns or {}}
    return not any(
        (key := header_key(n)) in _ALIAS_INDEX or key in user or _alias_of(n) is not None
        for n in filled
    )


def _alias_of(name: str) -> tuple[str, int] | None:
    """The column of a header written as several of its names (``Cơ quan / Đơn vị xử lý``,
    ``Kênh thực hiện | Hình thức nộp``) or with an explanation in brackets at the end
    (``Ngày tiếp nhận (dd/mm/yyyy)``): every part must name the same column.

    >>> _alias_of("Cơ quan / Đơn vị xử lý"), _alias_of("Ngày tiếp nhận (dd/mm/yyyy)")
    (('agency', 2), ('received_at', 2))
    >>> _alias_of("Lĩnh vực / Trạng thái") is None
    True
    """
    base = re.sub(r"\s*[(\[][^()\[\]]*[)\]]\s*$", "", name)
    hit = _ALIAS_INDEX.get(header_key(base)) if base != name else None
    if hit is not None:
        return hit
    parts = [p for p in re.split(r"[/|]", base) if p.strip()]
    if len(parts) < 2:
        return None
    hits = [_ALIAS_INDEX.get(header_key(p)) for p in parts]
    found = [h for h in hits if h is not None]
    if len(found) != len(hits) or len({column for column, _ in found}) != 1:
        return None
    return min(found, key=lambda h: h[1])


class SourceInfo(NamedTuple):
    """What was read from one input: for the report's notes, and for telling sources apart.

    ``name`` is the file (or ``<stdin>``, ``<python>``), ``format`` one of
    :data:`INPUT_FORMATS` but ``auto``, ``encoding`` and ``delimiter`` as detected or given,
    ``date_order`` the order of ``dd/mm/yyyy`` dates decided for the file (``None``: none met),
    ``columns`` the header of each interchange column read (header → column), ``ignored``
    headers not read (unknown, or a second name of a column), ``unit`` the reporting unit this
    input is counted for (``tthc report --by unit``), ``sheet`` the XLSX sheet,
    ``rows_read`` and ``rows_rejected`` its rows once counted (a merged report keeps them per
    source).
    """

    name: str
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    date_order: str | None = None
    columns: tuple[tuple[str, str], ...] = ()
    ignored: tuple[str, ...] = ()
    unit: str | None = None
    sheet: str | None = None
    rows_read: int | None = None
    rows_rejected: int | None = None

    def describe(self) -> str:
        """One line for the report's notes.

        >>> SourceInfo("q1.csv", "csv", "utf-8", ";", "dmy").describe()
        "q1.csv: csv, utf-8, delimiter ';', dates day/month/year"
        """
        parts = [self.format]
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.encoding:
            parts.append(self.encoding)
        if self.delimiter:
            parts.append("delimiter " + ("tab" if self.delimiter == "\t" else repr(self.delimiter)))
        if self.date_order:
            parts.append("dates " + _ORDER_WORDS[self.date_order])
        return f"{self.name}: " + ", ".join(parts)


_ORDER_WORDS: Final = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year/month/day"}
_STATE_OF_STATUS: Final = {
    status: next(state for state in LifecycleState if state.status is status)
    for status in DossierStatus
}
"""The lifecycle state a portal code mapped to a status by the user stands for (the first of
that status: ``returned`` is ``result_returned``, ``withdrawn`` not ``closed``)."""


@dataclass(frozen=True)
class IntakeOptions:
    """How inputs are read, when detection is not enough (every field optional).

    * ``input_format``: one of :data:`INPUT_FORMATS` (default ``auto``);
    * ``encoding``: the text encoding (``cp1258``, ``utf-16``…; default: detected);
    * ``delimiter``: ``,`` ``;`` or tab (default: detected from the header);
    * ``sheet``: the XLSX sheet (default: the first);
    * ``date_format``: ``dmy``, ``mdy`` or ``ymd``, the order of dates written with ``/``
      (default: decided once per file from a date that cannot be read both ways);
    * ``columns``: header → interchange column, for headers :data:`HEADER_ALIASES` does not
      know (``tthc report --columns FILE``);
    * ``statuses``: status spelling or code → :class:`~tthc.DossierStatus` value, checked
      before the built-in spellings (``--status-map FILE``);
    * ``portal_statuses``: the portal's status codes (default
      :data:`tthc.portal.DEFAULT_STATUS_MAP`, unconfirmed);
    * ``domains``: domain label → the domain counted (``--domain-map FILE``), to bring
      "Đất đai" and "Đất đai – Xây dựng – Đô thị" under one row;
    * ``catalogue_limits``: a row with neither ``due_at`` nor ``time_limit`` takes the time
      limit the bundled catalogue publishes for its ``procedure_code`` and channel
      (``--limits-from-catalogue``; default off: such a row is rejected, the due date is
      never guessed).

    >>> IntakeOptions(date_format="dmy").date_format
    'dmy'
    >>> IntakeOptions(statuses={"Hoàn thành": "hoàn tất"})
    Traceback (most recent call last):
    ...
    tthc.errors.InvalidInputError: status map: 'Hoàn thành' → 'hoàn tất' is not a status; expected one of received, processing, supplement_requested, paused, completed, returned, refused, withdrawn
    """

    input_format: InputFormat = "auto"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    date_format: DateOrder | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    statuses: Mapping[str, str] = field(default_factory=dict)
    portal_statuses: PortalStatusMap = DEFAULT_STATUS_MAP
    domains: Mapping[str, str] = field(default_factory=dict)
    catalogue_limits: bool = False

    def __post_init__(self) -> None:
        if self.input_format not in INPUT_FORMATS:
            raise InputFormatError(
                f"unknown input format {self.input_format!r}; expected one of "
                + ", ".join(INPUT_FORMATS)
            )
        if self.delimiter is not None and self.delimiter not in (",", ";", "\t"):
            raise InvalidInputError(f"delimiter {self.delimiter!r}: expected ',', ';' or a tab")
        if self.date_format is not None and self.date_format not in DATE_ORDERS:
            raise InvalidInputError(
                f"date format {self.date_format!r}: expected one of {', '.join(DATE_ORDERS)}"
            )
        if self.encoding is not None:
            try:
                codec = codecs.lookup(self.encoding)
            except LookupError:
                raise InvalidInputError(f"unknown encoding {self.encoding!r}") from None
            if not _reads_files(codec):
                raise InvalidInputError(
                    f"encoding {self.encoding!r} is not the text encoding of a file (such a "
                    "codec turns bytes into bytes, or decodes host names); give the file's "
                    "text encoding, e.g. cp1258 or utf-16-le"
                )
        for header, column in self.columns.items():
            if column not in HEADER_ALIASES:
                raise InvalidInputError(
                    f"column map: {header!r} → {column!r} is not an interchange column; "
                    "expected one of " + ", ".join(HEADER_ALIASES)
                )
        for spelling, value in self.statuses.items():
            try:
                DossierStatus(value)
            except ValueError:
                raise InvalidInputError(
                    f"status map: {spelling!r} → {value!r} is not a status; expected one of "
                    + ", ".join(s.value for s in DossierStatus)
                ) from None

    @property
    def status_values(self) -> dict[str, DossierStatus]:
        """:attr:`statuses` with :class:`~tthc.DossierStatus` values."""
        return {k: DossierStatus(v) for k, v in self.statuses.items()}


def _reads_files(codec: codecs.CodecInfo) -> bool:
    """Whether a codec can decode a text file: a text encoding (not ``rot13``, ``base64``,
    ``zlib_codec``…) whose decoder takes an error handler (not ``idna``)."""
    if not getattr(codec, "_is_text_encoding", True):
        return False
    try:
        codec.incrementaldecoder("surrogateescape").decode(b"")
    except UnicodeError:
        return False
    return True


def load_mapping(path: str | os.PathLike[str], what: str) -> dict[str, str]:
    """A two-column mapping from a TOML file (``"from" = "to"`` pairs, at the top or in one
    table) or a CSV file (two columns, no header; ``,`` ``;`` or tab): the files behind
    ``--columns``, ``--status-map`` and ``--domain-map``. ``what`` names it in errors.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "domains.toml")
    >>> _ = open(path, "w", encoding="utf-8").write('"Đất đai" = "Đất đai – Xây dựng – Đô thị"\\n')
    >>> load_mapping(path, "domain map")
    {'Đất đai': 'Đất đai – Xây dựng – Đô thị'}

    Raises:
        InputFormatError: the file cannot be read, naming it, the line and the key.
    """
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        raise InputFormatError(f"{what} {name}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFormatError(
            f"{what} {name}: not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start})"
        ) from None
    if name.lower().endswith(".toml"):
        try:
            table = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            raise InputFormatError(f"{what} {name}: {exc}") from None
        if len(table) == 1 and isinstance(next(iter(table.values())), dict):
            table = next(iter(table.values()))
        out: dict[str, str] = {}
        for key, value in table.items():
            if not isinstance(value, str):
                raise InputFormatError(
                    f"{what} {name}: {key!r} = {value!r}: expected a string value"
                )
            if not value.strip() or not key.strip():
                raise InputFormatError(
                    f"{what} {name}: {key!r} = {value!r}: both sides must be given (a value "
                    "mapped to nothing would count a row as not given)"
                )
            out[key] = value
        return out
    out = {}
    dialect = csv.excel
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect, delimiter=delimiter), 1):
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) != 2:
            raise InputFormatError(
                f"{what} {name}, line {number}: expected two cells (from, to), got {len(row)}"
            )
        if not row[0].strip() or not row[1].strip():
            raise InputFormatError(
                f"{what} {name}, line {number}: both cells must be given (a value mapped to "
                "nothing would count a row as not given)"
            )
        if row[0].strip() in out:
            raise InputFormatError(
                f"{what} {name}, line {number}: {row[0].strip()!r} is mapped twice"
            )
        out[row[0].strip()] = row[1].strip()
    return out


# --------------------------------------------------------------------------- header


def map_header(
    header: Sequence[str],
    columns: Mapping[str, str] | None = None,
    *,
    where: str = "the header",
    catalogue_limits: bool = False,
) -> tuple[dict[str, int], tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Each interchange column's position in ``header``, the headers read (header → column)
    and the headers ignored. ``columns`` maps other headers (matched by :func:`header_key`).

    >>> index, read, ignored = map_header(["Mã hồ sơ", "Lĩnh vực", "Ghi chú", "Hình thức nộp",
    ...     "NgayTiepNhan", "Trạng thái", "Ngày hẹn trả", "Ngày trả kết quả", "NgayKetThucXuLy"])
    >>> index
    {'code': 0, 'domain': 1, 'channel': 3, 'received_at': 4, 'status': 5, 'due_at': 6, 'finished_at': 8}
    >>> ignored
    ('Ghi chú', 'Ngày trả kết quả')

    Raises:
        InputFormatError: two headers with the same name, or two names of one column with the
            same rank, naming both positions; required columns missing.
    """
    user = {header_key(k): v for k, v in (columns or {}).items()}
    best: dict[str, tuple[int, int]] = {}  # column → (rank, position)
    seen: dict[str, int] = {}
    ignored: list[str] = []
    for position, raw in enumerate(header):
        name = raw.lstrip("\ufeff").strip()
        if not name:
            continue
        key = header_key(name)
        if key in seen:
            first = header[seen[key]].lstrip("\ufeff").strip()
            raise InputFormatError(
                f"{where}: the header {name!r} (column {position + 1}) repeats {first!r} "
                f"(column {seen[key] + 1}); rename or remove one of them"
            )
        seen[key] = position
        alias = _ALIAS_INDEX.get(key) or _alias_of(name)
        if key in user:
            column, rank = user[key], -1
        elif alias is not None:
            column, rank = alias
        else:
            ignored.append(name)
            continue
        previous = best.get(column)
        if previous is not None and previous[0] == rank:
            raise InputFormatError(
                f"{where}: {name!r} (column {position + 1}) and "
                f"{header[previous[1]].strip()!r} (column {previous[1] + 1}) both name "
                f"column {column!r}; remove one or map it with --columns"
            )
        if previous is None or rank < previous[0]:
            if previous is not None:
                ignored.append(header[previous[1]].lstrip("\ufeff").strip())
            best[column] = (rank, position)
        else:
            ignored.append(name)
    index = {column: position for column, (_rank, position) in best.items()}
    check_columns(index, where, catalogue_limits=catalogue_limits)
    read = tuple(
        (header[p].lstrip("\ufeff").strip(), c)
        for c, p in sorted(index.items(), key=lambda i: i[1])
    )
    return index, read, tuple(ignored)


def _header_where(name: str, line: int, header: Sequence[str]) -> str:
    """An input and the row read as its header, for a message about its columns: a title
    block taken for the header shows itself.

    >>> _header_where("q1.csv", 2, ["Từ ngày:", "01/01/2024", "", ""])
    "q1.csv, header read at line 2 ('Từ ngày:', '01/01/2024')"
    """
    cells = [c.strip() for c in header if c and c.strip()]
    shown = ", ".join(quoted(c) for c in cells[:4]) + (", …" if len(cells) > 4 else "")
    return f"{name}, header read at line {line} ({shown})"


def check_columns(
    present: Iterable[str], where: str = "the header", *, catalogue_limits: bool = False
) -> None:
    """Refuse an input without the required columns, naming them and how to map them
    (with ``catalogue_limits``, a ``procedure_code`` column stands in for ``due_at`` and
    ``time_limit``)."""
    from tthc.report._records import REQUIRED_COLUMNS

    names = set(present)
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    due_columns = ("due_at", "time_limit") + (("procedure_code",) if catalogue_limits else ())
    no_due = not names.intersection(due_columns)
    if no_due:
        missing.append("due_at (or time_limit)")
    if missing:
        raise InputFormatError(
            f"{where}: missing required column(s): "
            + ", ".join(missing)
            + "; the interchange format needs "
            + ", ".join(REQUIRED_COLUMNS)
            + " and due_at or time_limit (Vietnamese headers such as 'Mã hồ sơ', 'Ngày tiếp "
            "nhận' are recognised; map other headers with --columns FILE"
            + (
                "; --limits-from-catalogue takes the catalogue's time limit for the procedure_code)"
                if no_due and "procedure_code" in names and not catalogue_limits
                else ")"
            )
        )


# --------------------------------------------------------------------------- decoding

_DECODE_ERRORS = [0]
"""Invalid bytes met by any decoder of this module (see :func:`_mark_invalid`): a reader
checks its rows for them only after this count moved."""


def _mark_invalid(error: UnicodeError) -> tuple[str, int]:
    """Decode invalid bytes as lone surrogates (as ``surrogateescape``) and count them, so
    that the row holding them is rejected by line instead of the whole file failing."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _DECODE_ERRORS[0] += 1
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + b) for b in bad), error.end


codecs.register_error("tthc-mark-invalid", _mark_invalid)

_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _bad_text(cells: Iterable[str]) -> int | None:
    """The index of the first cell holding invalid bytes or a lone surrogate, if any."""
    for i, cell in enumerate(cells):
        if _SURROGATE.search(cell):
            return i
    return None


_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _detect_encoding(head: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    if head[:1000].count(b"\x00") > 10:
        odd = head[1:1000:2].count(b"\x00") > head[0:1000:2].count(b"\x00")
        guess = "utf-16-le" if odd else "utf-16-be"
        raise InputFormatError(
            f"{name}: looks like UTF-16 text without a byte-order mark; give its encoding "
            f"(--encoding {guess}), or save it as 'CSV UTF-8' from Excel"
        )
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the end of the sample
            line = head.count(b"\n", 0, exc.start) + 1
            raise InputFormatError(
                f"{name}: not UTF-8 text (byte {head[exc.start]:#04x} at offset {exc.start}, "
                f"line {line}); "
                "save it as 'CSV UTF-8' from Excel, or give its encoding, e.g. "
                "--encoding cp1258 (Vietnamese Windows) or --encoding utf-16-le (UTF-16 "
                "without a byte-order mark; utf-16-be if its bytes are the other way round)"
            ) from None
    return "utf-8"


def _undecodable(name: str, encoding: str, error: Exception) -> InputFormatError:
    """The error for a file its (given) encoding cannot read at all, with the fix: the
    byte order for UTF-16 or UTF-32 without a byte-order mark, else another encoding.

    >>> print(_undecodable("q1.csv", "utf-16", UnicodeError("UTF-16 stream does not start with BOM")))
    q1.csv: cannot be read as utf-16: UTF-16 stream does not start with BOM; give --encoding utf-16-le or utf-16-be for UTF-16 without a byte-order mark
    """
    reason = " ".join(str(error).split()) or type(error).__name__
    size = "32" if "32" in codecs.lookup(encoding).name else "16"
    fix = (
        f"give --encoding utf-{size}-le or utf-{size}-be for UTF-{size} without a byte-order mark"
        if "BOM" in reason
        else "give the file's text encoding with --encoding, e.g. cp1258 or utf-16-le"
    )
    return InputFormatError(f"{name}: cannot be read as {encoding}: {reason}; {fix}")


def _detect_delimiter(line: str) -> str:
    """The delimiter of a header line: the most frequent of ``,`` ``;`` tab outside quotes
    (``,`` on a tie)."""
    outside = re.sub(r'"[^"]*"', "", line)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    best = max(counts.values())
    if best == 0:
        return ","
    return next(d for d in (",", ";", "\t") if counts[d] == best)


# --------------------------------------------------------------------------- the input


RawRow = tuple[int, Sequence[str]]
"""One row's line (1-based physical line; the record's position for JSON arrays; the sheet
row for XLSX) and its cells in :data:`~tthc.report.COLUMNS` order."""


class Input:
    """An opened input: its raw rows, what was read (:attr:`info`), and the end check.

    Iterate :attr:`rows` (``RawRow`` or ``RowRejectedError``); call :meth:`close` when done
    (also by ``with``). :meth:`finish` raises :class:`~tthc.InputFormatError` when the file
    changed while it was read (its size or modification time moved)."""

    def __init__(
        self,
        rows: Iterator[RawRow | RowRejectedError],
        info: SourceInfo,
        close: Callable[[], None] = lambda: None,
        path: str | None = None,
        fused: Callable[[Callable[[Sequence[str], int], Any], Input], Iterator[Any]] | None = None,
    ) -> None:
        self.rows = rows
        self.info = info
        self._fused = fused
        self._close = close
        self._path = path
        self._stat = _stat(path) if path is not None else None

    def parsed(self, parse: Callable[[Sequence[str], int], Any]) -> Iterator[Any]:
        """Every row through ``parse(cells, line)`` (its :class:`~tthc.RowRejectedError`
        yielded, not raised), rejections passed on; after the last row the input is checked
        unchanged (:meth:`finish`), and however the iteration ends it is closed. One generator
        from file to validated rows for delimited text (each layer costs every row)."""
        if self._fused is not None:
            return self._fused(parse, self)
        return self._parse_rows(parse)

    def _parse_rows(self, parse: Callable[[Sequence[str], int], Any]) -> Iterator[Any]:
        try:
            yield from _parse_each(self.rows, parse)
            self.finish()
        finally:
            self.close()

    def finish(self) -> None:
        """Check the file did not change while it was read."""
        if self._path is None or self._stat is None:
            return
        now = _stat(self._path)
        if now != self._stat:
            raise InputChangedError(self._path, self._stat, now or (0, 0))

    def close(self) -> None:
        """Close the underlying file."""
        self._close()

    def __enter__(self) -> Input:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _name_of(source: Source) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<input>"


def open_input(source: Source, options: IntakeOptions | None = None) -> Input:
    """Open a path or an open file (text or binary) for reading rows; see the module
    docstring for what is detected.

    >>> import io
    >>> text = "Mã hồ sơ;Lĩnh vực;Kênh thực hiện;Ngày tiếp nhận;Trạng thái;Ngày hẹn trả\\n" \\
    ...        "A-1;Hộ tịch;Trực tuyến;14/03/2024 08:00;Đang xử lý;19/03/2024\\n"
    >>> opened = open_input(io.StringIO(text))
    >>> opened.info.describe()
    "<input>: csv, delimiter ';', dates day/month/year"
    >>> [cells[:4] for _line, cells in opened.rows]
    [('A-1', 'Hộ tịch', 'Trực tuyến', '14/03/2024 08:00')]

    Raises:
        InputFormatError: the input cannot be read (its encoding, a missing column, a
            repeated header…), saying how to fix it.
    """
    opts = options or IntakeOptions()
    name = _name_of(source)
    path = os.fspath(source) if isinstance(source, str | os.PathLike) else None
    stat0 = _stat(path) if path is not None else None
    if path is not None:
        try:  # a buffer as large as what is sniffed, so that peek() sees all of it
            raw: IO[bytes] = open(path, "rb", buffering=_SNIFF_BYTES)  # noqa: SIM115 - closed by Input.close
        except OSError as exc:
            raise InputFormatError(f"cannot open {path}: {exc.strerror or exc}") from None
        owned = True
    elif isinstance(source, io.TextIOBase) or (
        hasattr(source, "mode") and "b" not in getattr(source, "mode", "b")
    ):
        _check_no_sheet(name, opts)
        return _open_text_stream(source, name, opts)  # type: ignore[arg-type]
    else:
        raw = source  # type: ignore[assignment]
        owned = False
    try:
        head = raw.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(raw, "peek") else b""
        if len(head) < _SNIFF_BYTES and not owned:  # peek() gives at most its buffer
            head = raw.read(_SNIFF_BYTES)
            raw = io.BufferedReader(_Prefixed(head, raw), buffer_size=_READ_BUFFER)
        kind = opts.input_format
        if head.startswith(_PARQUET_MAGIC):
            raise InputFormatError(
                f"{name}: a Parquet file, which this reader does not read (CSV, XLSX, JSON): "
                "give it to the columnar engine (tthc report --engine columnar, or "
                "tthc.report.build_report_columnar), or read its rows with "
                'tthc.report.parquet_rows; both need DuckDB: pip install "tthc[columnar]"'
            )
        if head.startswith(b"PK\x03\x04"):
            if kind != "auto" and kind != "xlsx":
                raise InputFormatError(
                    f"{name}: a zip file (an XLSX workbook?), not {kind}: give --input-format "
                    "xlsx or leave it out"
                )
            kind = "xlsx"
        if kind == "xlsx":
            if path is None:
                raise InputFormatError(f"{name}: an XLSX workbook must be read from a file path")
            raw.close()
            return _open_xlsx(path, opts)
        _check_no_sheet(name, opts)
        encoding = opts.encoding or _detect_encoding(head, name)
        text = io.TextIOWrapper(
            raw,
            encoding=encoding,
            errors="tthc-mark-invalid",
            newline="",
        )
    except BaseException:
        if owned:
            raw.close()
        raise
    try:
        opened = _open_text(text, name, opts, encoding, check_text=False, path=path)
    except BaseException:
        if owned:
            text.close()
        raise
    opened._close = (lambda: text.close()) if owned else (lambda: None)
    opened._path = path
    opened._stat = stat0
    return opened


def _check_no_sheet(name: str, opts: IntakeOptions) -> None:
    """Refuse a sheet asked of an input that is not an XLSX workbook (it would be ignored)."""
    if opts.sheet is not None:
        raise InputFormatError(
            f"{name}: a sheet ({opts.sheet!r}, --sheet) is asked for, but this is not an XLSX "
            "workbook; leave --sheet out for CSV or JSON input"
        )


_READ_BUFFER: Final = 1 << 20
"""Bytes read at a time through :class:`_Prefixed` (whose reads are Python calls)."""


class _Prefixed(io.RawIOBase):
    """A binary stream with bytes already read put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n


def _open_text_stream(text: IO[str], name: str, opts: IntakeOptions) -> Input:
    return _open_text(text, name, opts, None, check_text=True)


def _open_text(
    text: IO[str],
    name: str,
    opts: IntakeOptions,
    encoding: str | None,
    *,
    check_text: bool,
    path: str | None = None,
) -> Input:
    kind = opts.input_format
    first_chars = _peek_text(text, name)
    if kind == "auto":
        stripped = first_chars.lstrip("\ufeff \t\r\n")
        kind = "jsonl" if stripped[:1] in ("{", "[") else "csv"
    if kind in ("jsonl", "portal"):
        return _open_json(text, name, opts, encoding, kind)
    return _open_csv(text, name, opts, encoding, check_text, path)


def _peek_text(text: IO[str], name: str) -> str:
    """The first characters of a text stream (up to :data:`_SNIFF_BYTES` bytes of it, decoded
    in its encoding), without consuming them when it can seek.

    Raises:
        InputFormatError: the encoding cannot decode them at all (``utf-16`` without a
            byte-order mark, ``idna``…), naming the file and the fix.
    """
    buffer = getattr(text, "buffer", None)
    if buffer is not None and hasattr(buffer, "peek"):
        peeked: bytes = buffer.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
        encoding = getattr(text, "encoding", None) or "utf-8"
        try:
            decoder = codecs.getincrementaldecoder(encoding)
            return decoder("replace").decode(peeked).lstrip("\ufeff")
        except (UnicodeError, LookupError) as exc:
            raise _undecodable(name, encoding, exc) from None
    if text.seekable():
        pos = text.tell()
        head = text.read(_SNIFF_BYTES)
        text.seek(pos)
        return head
    return ""


# --------------------------------------------------------------------------- CSV


def _open_csv(
    text: IO[str],
    name: str,
    opts: IntakeOptions,
    encoding: str | None,
    check_text: bool,
    path: str | None = None,
) -> Input:
    csv.field_size_limit(MAX_CELL_CHARS)
    since = _DECODE_ERRORS[0]  # before the first bytes are decoded (with the header line)
    header_line = _read_header_line(text, name)
    if opts.delimiter is not None and opts.delimiter not in header_line:
        seen = _detect_delimiter(header_line)
        if seen != opts.delimiter and seen in header_line:
            shown = "tab" if seen == "\t" else repr(seen)
            raise InputFormatError(
                f"{name}: the first line holds no {opts.delimiter!r} but {shown} "
                f"({header_line.count(seen)} times): the file seems separated by {shown}; give "
                f"--delimiter {shown} or leave --delimiter out to detect it"
            )
    titles = 0  # lines of a title block above the header ("UBND PHƯỜNG …;;;;")
    while True:
        delimiter = opts.delimiter or _detect_delimiter(header_line)
        try:
            header = next(csv.reader([header_line], delimiter=delimiter), None)
        except csv.Error as exc:
            raise InputFormatError(f"{name}: cannot read the header: {exc}") from None
        if titles >= TITLE_ROWS or not _is_title(header or [], opts.columns):
            break
        following = text.readline()
        if not following:
            break
        titles += 1
        header_line = following.rstrip("\r\n")
    if not header or _bad_text(header) is not None:
        raise InputFormatError(
            f"{name}: the header is empty or not readable text; expected a header row with the "
            "column names"
        )
    index, read, ignored = map_header(
        header,
        opts.columns,
        where=_header_where(name, titles + 1, header),
        catalogue_limits=opts.catalogue_limits,
    )
    from tthc.report._records import COLUMNS

    width = len(header)
    cells_of, padded = _cells_getter(index, width)
    reader = csv.reader(text, delimiter=delimiter)
    offset = 1 + titles  # the lines before the rows: the title block and the header
    raw_rows = _csv_rows(reader, width, cells_of, offset, check_text, since=since, padded=padded)
    rescan = None
    if path is not None:

        def rescan() -> Generator[RawRow | RowRejectedError]:
            with open(
                path, encoding=encoding or "utf-8", errors="tthc-mark-invalid", newline=""
            ) as again:
                again_since = _DECODE_ERRORS[0]
                for _ in range(offset):
                    again.readline()
                again_rows = csv.reader(again, delimiter=delimiter)
                yield from _csv_rows(
                    again_rows, width, cells_of, offset, since=again_since, padded=padded
                )

    order, held, rest = _decide_order(raw_rows, opts, index, COLUMNS, rescan)
    info = SourceInfo(name, "csv", encoding, delimiter, order, read, ignored)

    def fused(parse: Callable[[Sequence[str], int], Any], opened: Input) -> Iterator[Any]:
        return _csv_rows(
            reader,
            width,
            cells_of,
            offset,
            check_text,
            parse,
            since=since,
            padded=padded,
            held=held,
            opened=opened,
        )

    return Input(itertools.chain(held, rest), info, fused=fused)


def _read_header_line(text: IO[str], name: str) -> str:
    """The first line (the header), read as the csv module would (a quoted newline inside a
    header name is not supported)."""
    line = text.readline()
    if not line:
        raise InputFormatError(f"{name}: the file is empty: expected a header row")
    return line.rstrip("\r\n")


def _cells_getter(
    index: Mapping[str, int], width: int
) -> tuple[Callable[[Sequence[str]], Sequence[str]], bool]:
    """The cells of a row in :data:`~tthc.report.COLUMNS` order (without the
    ``TRAILING_COLUMNS`` when the input has none of them: fewer cells to gather every row), and
    whether a row must be padded first: absent columns read an extra empty cell appended to
    each row at position ``width``."""
    from operator import itemgetter

    from tthc.report._records import COLUMNS

    wanted = COLUMNS
    if not any(c in index for c in TRAILING_COLUMNS):
        wanted = COLUMNS[: -len(TRAILING_COLUMNS)]
    getter = itemgetter(*(index.get(c, width) for c in wanted))
    return getter, any(c not in index for c in wanted)


def _parse_each(
    items: Iterable[RawRow | RowRejectedError], parse: Callable[[Sequence[str], int], Any]
) -> Iterator[Any]:
    """Each raw row parsed (or the rejection it raises); rejections read earlier pass through."""
    for item in items:
        if isinstance(item, RowRejectedError):
            yield item
            continue
        try:
            yield parse(item[1], item[0])
        except RowRejectedError as exc:
            if not _blank(item[1]):
                yield exc


def _blank(cells: Sequence[str]) -> bool:
    """Whether a row holds nothing but empty or white-space cells (a blank line, ``;;;;;;``
    under an Excel sheet's last row): no record, so not read, counted or rejected — as a blank
    row of a workbook and a blank line of JSON lines. Looked at only for a row the parser
    rejects (a blank row has no code), never on the common path."""
    return not any(cell.strip() for cell in cells)


def _csv_rows(
    reader: Iterator[list[str]],
    width: int,
    cells_of: Callable[[Sequence[str]], Sequence[str]],
    line_offset: int = 0,
    check_text: bool = False,
    parse: Callable[[Sequence[str], int], object] | None = None,
    *,
    since: int,
    padded: bool = True,
    held: Iterable[RawRow | RowRejectedError] = (),
    opened: Input | None = None,
) -> Iterator[Any]:
    """The rows of a CSV reader as cells (or, given ``parse``, as what it returns: the
    readers' fused loop, one generator from file to validated rows, starting with the ``held``
    rows read ahead, and ending with ``opened``'s :meth:`~Input.finish` and
    :meth:`~Input.close`); each row holding invalid bytes (decoded as lone surrogates) is
    rejected by line — looked for only once the decoder met some since ``since``
    (:data:`_DECODE_ERRORS` before the file's first bytes were decoded: the decoder works
    ahead of the rows), or always with ``check_text`` (a text stream from Python, which may
    hold lone surrogates). ``padded``: a full row gets the empty cell ``cells_of`` reads absent
    columns from."""
    decode_errors = -1 if check_text else since
    previous = 0
    try:
        if parse is not None:
            yield from _parse_each(held, parse)
        while True:
            try:
                for row in reader:
                    line = reader.line_num + line_offset  # type: ignore[attr-defined]
                    n = len(row)
                    if n == width:
                        if padded:
                            row.append("")
                    elif n > width:
                        code = str(cells_of(row)[0]).strip() or None  # the code, if readable
                        yield RowRejectedError(
                            line, None, f"{n} cells but the header has {width} columns", code
                        )
                        continue
                    elif n == 0 or (n == 1 and not row[0].strip()):
                        continue  # a blank line holds no record (see _blank)
                    else:  # short rows: the missing trailing cells are empty
                        row.extend([""] * (width + 1 - n))
                    if _DECODE_ERRORS[0] != decode_errors:
                        bad = _bad_text(row)
                        if bad is not None:
                            yield RowRejectedError(
                                line,
                                None,
                                f"cell {bad + 1} holds bytes that are not valid text in the "
                                "file's encoding (or a lone surrogate)",
                            )
                            continue
                    if parse is None:
                        yield line, cells_of(row)
                        continue
                    try:
                        yield parse(cells_of(row), line)
                    except RowRejectedError as exc:
                        if not _blank(row):
                            yield exc
                break
            except csv.Error as exc:
                line = reader.line_num + line_offset  # type: ignore[attr-defined]
                if line == previous:  # no progress: the reader cannot go on
                    raise InputFormatError(f"line {line}: cannot read the file: {exc}") from None
                previous = line
                reason = str(exc)
                if "field larger than field limit" in reason:
                    reason = f"a cell of more than {MAX_CELL_CHARS:,} characters"
                yield RowRejectedError(line, None, f"cannot read this row: {reason}")
        if opened is not None:
            opened.finish()
    finally:
        if opened is not None:
            opened.close()


def _order_of(cells: Sequence[str], positions: Sequence[int]) -> tuple[bool, str | None]:
    """Whether ``cells`` hold a ``dd/mm/yyyy``-like date, and the order one of them proves."""
    seen = False
    for p in positions:
        m = _SLASHED_DATE.match(cells[p])
        if m is None:
            continue
        seen = True
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            return True, "dmy"
        if b > 12 >= a:
            return True, "mdy"
    return seen, None


def _decide_order(
    rows: Iterator[RawRow | RowRejectedError],
    opts: IntakeOptions,
    index: Mapping[str, int],
    columns: Sequence[str],
    rescan: Callable[[], Generator[RawRow | RowRejectedError]] | None = None,
) -> tuple[str | None, list[RawRow | RowRejectedError], Iterator[RawRow | RowRejectedError]]:
    """The day/month order of the input's ``dd/mm/yyyy`` dates, decided once for the file
    from the first date that cannot be read both ways (a number above 12), and the rows, none
    lost. Rows are held back while looking ahead; past :data:`_BUFFER_ROWS` undecided rows, a
    file that can be read again (``rescan``) is scanned whole. Undecided (no such date, or
    every one ambiguous), the order is ``None`` and the parser rejects each ``dd/mm/yyyy``
    date asking for the order: never a guess per cell."""
    if opts.date_format is not None:
        return opts.date_format, [], rows
    positions = [columns.index(c) for c in INSTANT_FIELDS if c in index]
    if not positions:
        return None, [], rows
    held: list[RawRow | RowRejectedError] = []
    seen_slashed = False
    order: str | None = None
    for item in rows:
        held.append(item)
        if not isinstance(item, RowRejectedError):
            seen, order = _order_of(item[1], positions)
            seen_slashed = seen_slashed or seen
            if order is not None:
                break
        if len(held) >= (_BUFFER_ROWS if seen_slashed else _LOOK_AHEAD_ROWS):
            if seen_slashed and rescan is not None:
                with contextlib.closing(rescan()) as everything:
                    for other in everything:
                        if not isinstance(other, RowRejectedError):
                            order = _order_of(other[1], positions)[1]
                            if order is not None:
                                break
            break

    return order, held, rows


# --------------------------------------------------------------------------- JSON


class _RepeatedKey(dict[str, object]):
    """A JSON object that gives one key twice (or holds such an object): ``json`` keeps the last
    value silently, so the record is rejected instead (:func:`_pairs`)."""

    key: str = ""
    inner: bool = False  # the repeat is in an object this one holds, not in this one


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """``object_pairs_hook`` of the JSON readers: a mapping, marked when a key repeats in it or
    in an object it holds (directly, or in a list)."""
    out: dict[str, object] = {}
    repeated = None
    inner = False
    for key, value in pairs:
        if key in out and repeated is None:
            repeated = key
        out[key] = value
        if repeated is None:
            held = value if isinstance(value, _RepeatedKey) else None
            if isinstance(value, list):
                held = next((v for v in value if isinstance(v, _RepeatedKey)), None)
            if held is not None:
                repeated, inner = held.key, True
    if repeated is None:
        return out
    marked = _RepeatedKey(out)
    marked.key = repeated
    marked.inner = inner
    return marked


def _repeated_key(line: int, record: _RepeatedKey) -> RowRejectedError:
    return RowRejectedError(
        line,
        record.key,
        f"the key {quoted(record.key)} is given twice in this record (which value is meant "
        "is not known)",
    )


def nested_value(line: int, record: Mapping[str, object]) -> RowRejectedError | None:
    """The rejection of a record whose interchange column holds an array or an object instead
    of a value (other keys are not read, whatever they hold), or ``None``.

    >>> nested_value(4, {"code": "A-1", "domain": ["Hộ tịch"], "notes": {"x": 1}}).reason
    "'domain' holds an array, not a value"
    """
    if not any(map(_is_collection, record.values())):  # the usual row: no column looked up
        return None
    from tthc.report._records import COLUMNS

    key = next(
        (k for k, v in record.items() if _is_collection(v) and str(k).lower() in COLUMNS),
        None,
    )
    if key is None:
        return None
    kind = "an object" if isinstance(record[key], Mapping) else "an array"
    return RowRejectedError(line, key.lower(), f"{quoted(key)} holds {kind}, not a value")


def _is_collection(value: object) -> bool:
    return isinstance(value, list | dict | tuple | set)


def _json_value(text: str, line: int) -> object:
    try:
        value = json.loads(text)  # C speed; a key can repeat only where keys outnumber fields
        if isinstance(value, dict) and text.count('":') > len(value):
            value = json.loads(text, object_pairs_hook=_pairs)
        return value
    except RecursionError:
        raise RowRejectedError(line, None, "not valid JSON: nested too deeply") from None
    except ValueError as exc:
        raise RowRejectedError(line, None, f"not valid JSON: {exc}") from None


def _open_json(
    text: IO[str], name: str, opts: IntakeOptions, encoding: str | None, kind: str
) -> Input:
    first = _peek_text(text, name).lstrip("\ufeff \t\r\n")[:1]
    if first == "[":
        try:
            whole = text.read()
        except UnicodeDecodeError as exc:
            raise InputFormatError(f"{name}: not readable text: {exc}") from None
        try:
            value = json.loads(whole.lstrip("\ufeff"), object_pairs_hook=_pairs)
        except RecursionError:
            raise InputFormatError(f"{name}: not valid JSON: nested too deeply") from None
        except ValueError as exc:
            raise InputFormatError(f"{name}: not valid JSON: {exc}") from None
        if not isinstance(value, list):
            raise InputFormatError(f"{name}: expected a JSON array of records")
        objects: Iterator[tuple[int, object]] = enumerate(value, start=1)
    else:

        def lines() -> Iterator[tuple[int, object]]:
            for number, line in enumerate(text, start=1):
                if not line.strip():
                    continue
                if number == 1:
                    line = line.lstrip("\ufeff")
                try:
                    yield number, _json_value(line, number)
                except RowRejectedError as exc:
                    yield number, exc

        objects = lines()
    peeked: list[tuple[int, object]] = []
    for item in objects:
        peeked.append(item)
        if isinstance(item[1], dict):
            break
    sample = next((v for _n, v in peeked if isinstance(v, dict)), None)
    # Records keyed like the portal's (``MaHoSo`` and no ``code``) are the portal's, whether
    # the format was detected or sharpened to ``jsonl`` by a ``.jsonl`` suffix.
    portal = kind == "portal" or (
        isinstance(sample, dict)
        and "MaHoSo" in sample
        and not any(str(k).lower() == "code" for k in sample)
    )

    def all_objects() -> Iterator[tuple[int, object]]:
        yield from peeked
        yield from objects

    if portal:
        rows = _portal_rows(all_objects(), opts)
        return Input(rows, SourceInfo(name, "portal", encoding))
    if sample is not None:
        check_columns(
            (str(k).lower() for k in sample), where=name, catalogue_limits=opts.catalogue_limits
        )
    rows = _object_rows(all_objects())
    return Input(rows, SourceInfo(name, "jsonl", encoding))


def cells_of_mapping(mapping: Mapping[str, object]) -> list[str]:
    """The cells of an interchange mapping (keys case-insensitive; values strings, enums,
    numbers or datetimes; ``None`` = empty) in :data:`~tthc.report.COLUMNS` order."""
    from tthc.report._records import COLUMNS

    lowered = {str(k).lower(): v for k, v in mapping.items()}
    return [_cell(lowered.get(c)) for c in COLUMNS]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    inner = getattr(value, "value", None)
    if isinstance(inner, str):  # enums
        return inner
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _not_text(line: int, record: Mapping[object, object]) -> RowRejectedError:
    """The rejection of a JSON record holding a value that is not text: bytes the file's
    encoding cannot decode (read as lone surrogates) or a lone surrogate written as a JSON
    escape (``"\\ud800"``), naming the first key whose value holds one."""
    key = next(
        (str(k) for k, v in record.items() if _bad_text([str(k), _cell(v)]) is not None), None
    )
    return RowRejectedError(
        line,
        None if key is None or _bad_text([key]) is not None else key,
        "a value holds bytes that are not valid text in the file's encoding (or a lone surrogate)",
    )


def _object_rows(objects: Iterable[tuple[int, object]]) -> Iterator[RawRow | RowRejectedError]:
    from tthc.report._records import COLUMNS

    for number, value in objects:
        if isinstance(value, RowRejectedError):
            yield value
            continue
        if not isinstance(value, dict):
            yield RowRejectedError(number, None, "not a JSON object")
            continue
        if isinstance(value, _RepeatedKey) and not value.inner and value.key.lower() in COLUMNS:
            yield _repeated_key(number, value)  # a column read twice (other keys are not read)
            continue
        nested = nested_value(number, value)
        if nested is not None:
            yield nested
            continue
        cells = cells_of_mapping(value)
        bad = _bad_text(cells)
        if bad is not None:
            yield _not_text(number, value)
            continue
        yield number, cells


def _portal_status_map(opts: IntakeOptions) -> PortalStatusMap:
    """:attr:`IntakeOptions.portal_statuses` with the codes :attr:`IntakeOptions.statuses`
    maps (``--status-map``: ``'12' = 'refused'``) added: a portal record's TrangThaiHoSo
    reads as the same code in a CSV's status column does, the user's mapping first."""
    codes = {
        key.strip(): _STATE_OF_STATUS[status]
        for key, status in opts.status_values.items()
        if key.strip().isdigit()
    }
    if not codes:
        return opts.portal_statuses
    return opts.portal_statuses.extended(
        codes, source=f"{opts.portal_statuses.source}, with the status map"
    )


def _portal_rows(
    objects: Iterable[tuple[int, object]], opts: IntakeOptions
) -> Iterator[RawRow | RowRejectedError]:
    from tthc.portal import record_cells

    status_map = _portal_status_map(opts)
    for number, value in objects:
        if isinstance(value, RowRejectedError):
            yield value
            continue
        if not isinstance(value, dict):
            yield RowRejectedError(number, None, "not a JSON object (a portal record)")
            continue
        if isinstance(value, _RepeatedKey):
            yield _repeated_key(number, value)
            continue
        try:
            cells = record_cells(value, status_map=status_map, status_hint=STATUS_MAP_HINT)
        except TthcError as exc:
            column = getattr(exc, "field", None)
            code = value.get("MaHoSo")
            yield RowRejectedError(
                number,
                column if isinstance(column, str) else None,
                getattr(exc, "reason", None) or str(exc),
                code if isinstance(code, str) else None,
            )
            continue
        row = cells_of_mapping(cells)
        if _bad_text(row) is not None:
            yield _not_text(number, value)
            continue
        yield number, row


# --------------------------------------------------------------------------- XLSX


def _open_xlsx(path: str, opts: IntakeOptions) -> Input:
    try:
        import openpyxl
    except ImportError:
        raise InputFormatError(
            f'{path}: reading an XLSX workbook needs openpyxl: pip install "tthc[xlsx]" (or '
            "save the sheet as CSV UTF-8)"
        ) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputFormatError(f"{path}: cannot read this XLSX workbook: {exc}") from None
    try:
        if opts.sheet is not None:
            if opts.sheet not in book.sheetnames:
                raise InputFormatError(
                    f"{path}: no sheet {opts.sheet!r}; the sheets are "
                    + ", ".join(repr(s) for s in book.sheetnames)
                )
            sheet = book[opts.sheet]
        else:  # the first sheet a user sees: a hidden one holds lookups, not the table
            visible = [
                w for w in book.worksheets if getattr(w, "sheet_state", "visible") == "visible"
            ]
            sheet = (visible or book.worksheets)[0]
        cells = sheet.iter_rows()  # cells, not values: a date cell's format tells a date alone
        values = ([c.value for c in row] for row in cells)
        header: Sequence[object] | None = None
        header_row = 0
        titles = 0
        for number, row in enumerate(values, start=1):
            if any(v is not None and str(v).strip() for v in row):
                header, header_row = row, number
                names = ["" if v is None else str(v) for v in header]
                if titles < TITLE_ROWS and _is_title(names, opts.columns):
                    titles += 1  # a title above the table ("UBND PHƯỜNG …"): not the header
                    continue
                break
        if header is None:
            raise InputFormatError(f"{path}: the sheet {sheet.title!r} is empty")
        names = ["" if v is None else str(v) for v in header]
        index, read, ignored = map_header(
            names,
            opts.columns,
            where=_header_where(f"{path}, sheet {sheet.title!r}", header_row, names),
            catalogue_limits=opts.catalogue_limits,
        )
    except BaseException:
        book.close()
        raise
    from tthc.report._records import COLUMNS

    width = len(names)
    cells_of, _padded = _cells_getter(index, width)

    date_only: dict[str, bool] = {}  # number format -> whether it shows a date alone

    def shows_date_alone(cell: Any) -> bool:
        fmt = cell.number_format
        known = date_only.get(fmt)
        if known is None:
            from openpyxl.styles.numbers import is_datetime

            known = date_only[fmt] = is_datetime(fmt) == "date"
        return known

    def rows() -> Iterator[RawRow | RowRejectedError]:
        for number, row in enumerate(cells, start=header_row + 1):
            if not any(c.value is not None and str(c.value).strip() for c in row):
                continue
            texts = [
                _xlsx_cell(c.value, c.value.__class__ is dt.datetime and shows_date_alone(c))
                for c in row[:width]
            ]
            texts.extend([""] * (width + 1 - len(texts)))
            if _bad_text(texts) is not None:
                yield RowRejectedError(number, None, "a cell holds a lone surrogate (not text)")
                continue
            yield number, cells_of(texts)

    order, held, rest = _decide_order(rows(), opts, index, COLUMNS)
    info = SourceInfo(path, "xlsx", None, None, order, read, ignored, sheet=sheet.title)
    return Input(itertools.chain(held, rest), info, book.close, path)


def _xlsx_cell(value: object, date_alone: bool = False) -> str:
    """A workbook cell as text: dates and times typed as such in ISO 8601 (Excel has no time
    zone: UTC+7 wall clock), whole numbers without ``.0``, numbers in date columns kept as
    Excel serials for the reader. A date cell formatted to show a date alone
    (``dd/mm/yyyy``, ``date_alone``) is written as a date alone, so that a due date typed that
    way is the end of that day, as in a CSV export (openpyxl gives it as midnight)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if date_alone and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return _cell(value)
