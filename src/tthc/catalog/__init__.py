"""The bundled procedure catalogue: common commune-level procedures, as validated models.

The data file ``tthc/catalog/procedures.json`` ships inside the package (read with
:mod:`importlib.resources`, so it works from a wheel or a zip). Its shape::

    {"catalog_version": "...", "procedures": [{...Procedure fields...}, ...]}

Each entry must validate as a :class:`tthc.Procedure` and name at least one source (the
publication decision or portal page); one domain code has one name throughout the file. A user
catalogue in the same shape can be loaded with ``load(path)``.

Domains (lĩnh vực) are listed by :func:`domains` and looked up by :func:`find_domain`, by code
(``ho_tich``) or name (``Hộ tịch``, ``ho tich``, ``Civil status``), ignoring case, diacritics and
the Unicode form.

>>> from tthc.catalog import find_domain, load
>>> procedures = load()
>>> all(p.sources for p in procedures)
True
>>> find_domain("HO TICH").code
'ho_tich'
"""

from __future__ import annotations

import functools
import json
import os
import unicodedata
from importlib import resources
from typing import Any, NamedTuple

from pydantic import ValidationError

from tthc._public import publish
from tthc.errors import CatalogError
from tthc.models import Domain, Procedure

__all__ = ["CATALOG_FILE", "catalog_version", "domains", "find_domain", "get", "load"]

CATALOG_FILE = "procedures.json"
"""Name of the bundled data file inside the ``tthc.catalog`` package."""

_NATIONAL_CODE_PARTS = 2
"""A national procedure code is the first two dot-separated parts (``1.001193``); a province
adds a suffix (``.H38``, or ``.000.00.00.H38``; :data:`tthc.models._types.PROCEDURE_CODE_PATTERN`)."""


def _read_text(path: str | os.PathLike[str] | None) -> tuple[str, str]:
    if path is None:
        where = f"bundled catalogue tthc/catalog/{CATALOG_FILE}"
        res = resources.files(__name__).joinpath(CATALOG_FILE)
        if not res.is_file():
            raise CatalogError(f"the {where} is missing from this installation; reinstall tthc")
        return res.read_text(encoding="utf-8"), where
    where = f"catalogue {os.fspath(path)}"
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read(), where
    except FileNotFoundError:
        raise CatalogError(f"{where}: file not found") from None


def _describe(entry: Any, index: int) -> str:
    if isinstance(entry, dict):
        return f"entry {index} ({entry.get('code') or 'no code'} {entry.get('name', '?')})"
    return f"entry {index}"


def _parse(text: str, where: str) -> tuple[str, tuple[Procedure, ...]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{where}: not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("procedures"), list):
        raise CatalogError(
            f"{where}: expected an object {{'catalog_version': ..., 'procedures': [...]}}"
        )
    version = doc.get("catalog_version")
    if not isinstance(version, str) or not version.strip():
        raise CatalogError(f"{where}: 'catalog_version' must be a non-empty string")
    unknown = sorted(set(doc) - {"catalog_version", "procedures"})
    if unknown:
        raise CatalogError(f"{where}: unknown top-level keys {unknown}")
    problems: list[str] = []
    procedures: list[Procedure] = []
    seen: dict[str, int] = {}
    domain_names: dict[str, tuple[Domain, int]] = {}
    for index, entry in enumerate(doc["procedures"]):
        label = _describe(entry, index)
        try:
            proc = Procedure.model_validate(entry)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
                problems.append(f"{label}: {loc}: {err['msg']}")
            continue
        if not proc.sources:
            problems.append(f"{label}: sources: name the publication decision or portal page")
        if proc.code is not None:
            if proc.code in seen:
                problems.append(f"{label}: code {proc.code} repeats entry {seen[proc.code]}")
            seen.setdefault(proc.code, index)
        first = domain_names.setdefault(proc.domain.code, (proc.domain, index))
        if first[0] != proc.domain:
            problems.append(
                f"{label}: domain {proc.domain.code!r} is named {proc.domain.name_vi!r} / "
                f"{proc.domain.name_en!r} here but {first[0].name_vi!r} / "
                f"{first[0].name_en!r} in entry {first[1]}; one code, one name"
            )
        procedures.append(proc)
    if problems:
        raise CatalogError(f"{where}: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return version, tuple(procedures)


@functools.lru_cache(maxsize=1)
def _bundled() -> tuple[str, tuple[Procedure, ...]]:
    return _parse(*_read_text(None))


def _get(path: str | os.PathLike[str] | None) -> tuple[str, tuple[Procedure, ...]]:
    return _bundled() if path is None else _parse(*_read_text(path))


def _national(code: str) -> str:
    return ".".join(code.split(".")[:_NATIONAL_CODE_PARTS])


class _Index(NamedTuple):
    """Lookups of one catalogue for :func:`get` (catalogue order kept within each list)."""

    by_code: dict[str | None, Procedure]
    by_national: dict[str, tuple[Procedure, ...]]


def _index(procedures: tuple[Procedure, ...]) -> _Index:
    by_code: dict[str | None, Procedure] = {}
    by_national: dict[str, list[Procedure]] = {}
    for proc in procedures:
        by_code.setdefault(proc.code, proc)  # codes are unique (_parse refuses repeats)
        if proc.code is not None:
            by_national.setdefault(_national(proc.code), []).append(proc)
    return _Index(by_code, {k: tuple(v) for k, v in by_national.items()})


@functools.lru_cache(maxsize=1)
def _bundled_index() -> _Index:
    return _index(_bundled()[1])


def load(path: str | os.PathLike[str] | None = None) -> list[Procedure]:
    """The procedures of the bundled catalogue (or of the catalogue file at ``path``).

    The bundled file is parsed once per process; the returned list is new on each call (the
    procedures themselves are immutable).

    >>> len(load()) > 0 and all(p.name for p in load())
    True

    Raises:
        CatalogError: for a missing or unreadable file, or listing every invalid entry.
    """
    return list(_get(path)[1])


def catalog_version(path: str | os.PathLike[str] | None = None) -> str:
    """The ``catalog_version`` string of the bundled catalogue (or of ``path``).

    >>> isinstance(catalog_version(), str)
    True

    Raises:
        CatalogError: as :func:`load`.
    """
    return _get(path)[0]


def get(code: str, path: str | os.PathLike[str] | None = None) -> Procedure:
    """The catalogue procedure whose code is ``code``.

    A province form of a national code (``1.001193.H38``, ``1.001193.000.00.00.H38``) finds
    the national entry ``1.001193`` when the catalogue has no entry for that exact code; a
    national code finds the one province entry with that national part. Another province's
    entry is never returned for a province code, and several candidates are an error rather
    than a guess.

    >>> birth = next(p for p in load() if p.code)
    >>> get(birth.code) == birth
    True
    >>> get(birth.code + ".H40") == birth  # the province form of a national entry
    True

    Raises:
        CatalogError: if no procedure has that code, if several entries match, or as
            :func:`load`.
    """
    index = _bundled_index() if path is None else _index(_get(path)[1])
    found = index.by_code.get(code)
    if found is not None:
        return found
    national = _national(code)
    candidates: tuple[Procedure, ...]
    if national != code:  # a province code: only the national entry stands in for it
        entry = index.by_code.get(national)
        candidates = (entry,) if entry is not None else ()
    else:  # a national code: a province entry of it, if there is exactly one
        candidates = index.by_national.get(national, ())
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        names = ", ".join(str(p.code) for p in candidates)
        raise CatalogError(
            f"code {code!r} matches several catalogue entries ({names}); give one", code=code
        )
    raise CatalogError(f"no procedure with code {code!r} in the catalogue", code=code)


def _fold(text: str) -> str:
    """A lookup key: NFC, case-folded, diacritics removed (``đ`` read as ``d``), ``_`` and
    ``-`` read as spaces, runs of space collapsed. ``"Hộ tịch"``, ``"HO TICH"``, ``"ho_tich"``
    and the decomposed ``"Ho\u0323 ti\u0323ch"`` all fold to ``"ho tich"``."""
    text = unicodedata.normalize("NFC", text).casefold().replace("đ", "d")
    plain = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)
    )
    return " ".join(plain.replace("_", " ").replace("-", " ").split())


def domains(path: str | os.PathLike[str] | None = None) -> list[Domain]:
    """The domains (lĩnh vực) of the bundled catalogue (or of ``path``), in catalogue order.

    Each is a :class:`~tthc.models.Domain` with its code, Vietnamese and English names; the
    code is what ``--domain`` and :func:`find_domain` accept besides the names.

    >>> [(d.code, d.name_vi) for d in domains()][:2]
    [('ho_tich', 'Hộ tịch'), ('chung_thuc', 'Chứng thực')]

    Raises:
        CatalogError: as :func:`load`.
    """
    found: dict[str, Domain] = {}
    for proc in _get(path)[1]:
        found.setdefault(proc.domain.code, proc.domain)
    return list(found.values())


def find_domain(text: str, path: str | os.PathLike[str] | None = None) -> Domain:
    """The catalogue domain whose code, Vietnamese name or English name is ``text``.

    Case, diacritics, the Unicode form (composed or decomposed) and ``_`` / ``-`` / space are
    ignored, so ``"ho_tich"``, ``"Hộ tịch"``, ``"ho tich"`` and ``"HỘ TỊCH"`` find the same
    domain. Only whole codes and names match (no prefix or partial match: that would be a
    guess); if two domains fold to the same text, that is an error, never a pick.

    >>> find_domain("Hộ tịch").code, find_domain("chung_thuc").name_vi
    ('ho_tich', 'Chứng thực')
    >>> find_domain("dat dai").name_en
    'Land'
    >>> find_domain("Hộ khẩu")
    Traceback (most recent call last):
    ...
    tthc.errors.CatalogError: no domain 'Hộ khẩu' in the catalogue; known domains: ho_tich (Hộ tịch), ...

    Raises:
        CatalogError: no domain matches (the message lists the known ones), several do, or
            as :func:`load`.
    """
    if not isinstance(text, str) or not text.strip():
        raise CatalogError(
            f"domain {text!r}: give a domain code or name, e.g. ho_tich or Hộ tịch", domain=text
        )
    key = _fold(text)
    known = domains(path)
    matches = [d for d in known if key in {_fold(d.code), _fold(d.name_vi), _fold(d.name_en)}]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(f"{d.code} ({d.name_vi})" for d in matches)
        raise CatalogError(
            f"domain {text!r} matches several domains ({names}); give the code", domain=text
        )
    listing = ", ".join(f"{d.code} ({d.name_vi})" for d in known)
    raise CatalogError(
        f"no domain {text!r} in the catalogue; known domains: {listing}", domain=text
    )


publish(__name__, globals(), __all__)
