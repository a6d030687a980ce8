"""The indicators a ward's dossiers cannot give, from a small input file.

Indicators 1.1–1.3, 3.1, 3.2, 3.5, 4.6, 4.7 and 5.1–5.3 come from the national procedure
database or the complaints system, not from dossier data (domain guide section 7). A unit that
knows them — read off the portal — writes them in a small JSON or CSV file; the index shows
them beside its own, marked as given, and adds their scores to the group totals. Anything not
given is "not computed", never invented.

JSON::

    {"1.1": {"score": 5.5}, "3.1": {"numerator": 40, "denominator": 52}}

CSV (header ``indicator,numerator,denominator,score``; empty cells = not given)::

    indicator,numerator,denominator,score
    1.1,,,5.5
    3.1,40,52,
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tthc.errors import InputFormatError
from tthc.index._indicators import INPUT_INDICATORS, IndicatorValue, indicator

__all__ = ["IndexInputs", "read_index_inputs"]


@dataclass(frozen=True, slots=True)
class IndexInputs:
    """Values of the input indicators, applied to a result's totals (:class:`IndicatorValue`
    with ``given=True``): a numerator and denominator, a score, or both.

    >>> inputs = IndexInputs.from_mapping({"1.1": {"score": 5.5}, "3.1": {"numerator": 4,
    ...                                    "denominator": 5}})
    >>> inputs.values["1.1"].score, inputs.values["3.1"].ratio
    (5.5, 0.8)
    >>> IndexInputs.from_mapping({"2.1": {"score": 20}})
    Traceback (most recent call last):
    ...
    tthc.errors.InputFormatError: index inputs: indicator '2.1' is computed from the dossiers, not given; the inputs are 1.1, 1.2, 1.3, 3.1, 3.2, 3.5, 4.6, 4.7, 5.1, 5.2, 5.3
    """

    values: Mapping[str, IndicatorValue] = field(default_factory=dict)
    source: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str | None = None) -> IndexInputs:
        """Read ``{id: {"numerator": n, "denominator": d, "score": s}}`` (each key optional,
        at least one given), checking every value; :class:`~tthc.InputFormatError` names the
        indicator and the field otherwise."""
        where = source or "index inputs"
        if not isinstance(data, Mapping):
            raise InputFormatError(f"{where}: expected an object of indicators")
        values: dict[str, IndicatorValue] = {}
        for id_, entry in data.items():
            values[str(id_)] = _value(str(id_), entry, where)
        return cls(values, source)

    def to_dict(self) -> dict[str, dict[str, object]]:
        """The JSON shape :meth:`from_mapping` reads."""
        out: dict[str, dict[str, object]] = {}
        for id_, value in self.values.items():
            entry: dict[str, object] = {}
            if value.denominator:
                entry["numerator"] = value.numerator
                entry["denominator"] = value.denominator
            if value.score_given is not None:
                entry["score"] = value.score_given
            out[id_] = entry
        return out

    def merge(self, other: IndexInputs | None) -> IndexInputs | None:
        """The inputs of two units together: numerators and denominators add; a score alone
        cannot be added, so an indicator given only as a score on either side is dropped (it
        shows "not computed")."""
        if other is None:
            return None
        values: dict[str, IndicatorValue] = {}
        for id_ in sorted(set(self.values) & set(other.values)):
            a, b = self.values[id_], other.values[id_]
            if a.denominator and b.denominator:
                values[id_] = IndicatorValue(
                    id_, a.numerator + b.numerator, a.denominator + b.denominator, given=True
                )
        return IndexInputs(values, None)


def _value(id_: str, entry: object, where: str) -> IndicatorValue:
    if id_ not in INPUT_INDICATORS:
        try:
            indicator(id_)
        except Exception:
            raise InputFormatError(
                f"{where}: unknown indicator {id_!r}; the inputs are {', '.join(INPUT_INDICATORS)}"
            ) from None
        raise InputFormatError(
            f"{where}: indicator {id_!r} is computed from the dossiers, not given; the inputs "
            f"are {', '.join(INPUT_INDICATORS)}"
        )
    if not isinstance(entry, Mapping):
        raise InputFormatError(f"{where}: indicator {id_}: expected an object")
    unknown = sorted(set(entry) - {"numerator", "denominator", "score"})
    if unknown:
        raise InputFormatError(
            f"{where}: indicator {id_}: unknown field(s) {', '.join(unknown)}; expected "
            "numerator, denominator, score"
        )
    numerator = _count(entry.get("numerator"), id_, "numerator", where)
    denominator = _count(entry.get("denominator"), id_, "denominator", where)
    if (numerator is None) != (denominator is None):
        raise InputFormatError(
            f"{where}: indicator {id_}: give both numerator and denominator, or neither"
        )
    if numerator is not None and denominator is not None and numerator > denominator:
        raise InputFormatError(
            f"{where}: indicator {id_}: numerator {numerator} is over denominator {denominator}"
        )
    score = entry.get("score")
    points: float | None = None
    if score is not None:
        if (
            isinstance(score, bool)
            or not isinstance(score, int | float)
            or not math.isfinite(score)
        ):
            raise InputFormatError(
                f"{where}: indicator {id_}: score must be a number, got {score!r}"
            )
        top = indicator(id_).max_points
        if score < 0 or (top is not None and score > top):
            raise InputFormatError(
                f"{where}: indicator {id_}: score {score} is outside 0–{top if top is not None else '∞'}"
            )
        points = float(score)
    if numerator is None and points is None:
        raise InputFormatError(
            f"{where}: indicator {id_}: give a numerator and denominator, a score, or both"
        )
    return IndicatorValue(id_, numerator or 0, denominator or 0, score_given=points, given=True)


def _count(value: object, id_: str, name: str, where: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputFormatError(
            f"{where}: indicator {id_}: {name} must be a whole number ≥ 0, got {value!r}"
        )
    return value


def _csv_entries(text: str, where: str) -> Iterator[tuple[str, dict[str, object]]]:
    reader = csv.DictReader(io.StringIO(text))
    names = [n.strip().lower() for n in reader.fieldnames or []]
    if "indicator" not in names:
        raise InputFormatError(f"{where}: expected a header indicator,numerator,denominator,score")
    reader.fieldnames = names
    for row in reader:
        line = reader.line_num
        id_ = (row.get("indicator") or "").strip()
        if not id_:
            raise InputFormatError(f"{where}: line {line}: the indicator is missing")
        entry: dict[str, object] = {}
        for name in ("numerator", "denominator", "score"):
            text_value = (row.get(name) or "").strip()
            if not text_value:
                continue
            try:
                entry[name] = float(text_value) if name == "score" else int(text_value)
            except ValueError:
                raise InputFormatError(
                    f"{where}: line {line}, indicator {id_}: bad {name} {text_value!r}"
                ) from None
        yield id_, entry


def read_index_inputs(path: str | os.PathLike[str]) -> IndexInputs:
    """Read an inputs file: JSON (``.json``) or CSV (anything else), see the module docstring.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "inputs.csv")
    >>> _ = open(path, "w", encoding="utf-8").write("indicator,score\\n5.2,4.5\\n")
    >>> read_index_inputs(path).values["5.2"].score
    4.5

    Raises:
        InputFormatError: the file cannot be read, or names the file, line, indicator and field
            of a bad value.
    """
    where = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFormatError(f"{where}: cannot read the index inputs: {exc}") from None
    if Path(where).suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InputFormatError(f"{where}: not valid JSON: {exc}") from None
        return IndexInputs.from_mapping(data, where)
    entries: dict[str, dict[str, object]] = {}
    for id_, entry in _csv_entries(text, where):
        if id_ in entries:
            raise InputFormatError(f"{where}: indicator {id_} is given twice")
        entries[id_] = entry
    return IndexInputs.from_mapping(entries, where)
