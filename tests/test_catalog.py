"""The catalogue loader: the bundled file and user catalogues in the same shape."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

import tthc.catalog as catalog
from tthc import CatalogError, Channel, Procedure
from tthc.calendar import TimeLimitUnit

FIXTURE = Path(__file__).parent / "data" / "catalog_small.json"


def fixture_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return doc


def write(tmp_path: Path, doc: Any) -> Path:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_load_a_user_catalogue() -> None:
    procs = catalog.load(FIXTURE)
    assert [p.code for p in procs] == ["1.001193", None]
    birth = procs[0]
    assert birth.time_limit_for(Channel.ONLINE).unit is TimeLimitUnit.SAME_DAY
    assert birth.time_limit_for("direct") == birth.time_limit_for("online")
    assert catalog.catalog_version(FIXTURE) == "test-1"
    assert catalog.get("1.001193", FIXTURE) is not None
    assert catalog.get("1.001193.H40", FIXTURE).code == "1.001193"  # province form of the code


def test_bundled_catalogue_validates() -> None:
    procs = catalog.load()
    assert len(procs) >= 10
    assert all(isinstance(p, Procedure) for p in procs)
    assert all(p.sources for p in procs)
    codes = [p.code for p in procs if p.code]
    assert len(codes) == len(set(codes))
    for p in procs:
        if p.code is None or not p.channels:
            assert p.notes, p.name
    assert isinstance(catalog.catalog_version(), str)
    assert catalog.load() is not catalog.load()  # a new list each call


def test_bundled_catalogue_covers_the_three_founding_domains() -> None:
    domains = {p.domain.name_en.casefold() for p in catalog.load()}
    text = " ".join(domains)
    assert "civil status" in text
    assert "land" in text or "construction" in text
    assert "social" in text


def test_missing_bundled_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "CATALOG_FILE", "no-such-file.json")
    catalog._bundled.cache_clear()
    try:
        with pytest.raises(CatalogError, match=r"no-such-file\.json is missing"):
            catalog.load()
    finally:
        monkeypatch.undo()
        catalog._bundled.cache_clear()
    assert catalog.load()


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="file not found"):
        catalog.load(tmp_path / "nope.json")


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        ("[]", "expected an object"),
        ('{"catalog_version": "1"}', "expected an object"),
        ('{"catalog_version": "", "procedures": []}', "catalog_version"),
        ('{"catalog_version": "1", "procedures": [], "extra": 1}', "unknown top-level keys"),
        ("{not json", "not valid JSON"),
    ],
)
def test_malformed_documents(tmp_path: Path, doc: str, reason: str) -> None:
    path = tmp_path / "c.json"
    path.write_text(doc, encoding="utf-8")
    with pytest.raises(CatalogError, match=reason):
        catalog.load(path)


def test_every_bad_entry_is_listed(tmp_path: Path) -> None:
    doc = fixture_doc()
    good = doc["procedures"][0]
    no_source = {**good, "code": "1.000656", "sources": []}
    bad_fee = json.loads(json.dumps(good))
    bad_fee["code"] = "1.000894"
    bad_fee["channels"][0]["fees"][0]["amount_vnd"] = 10.5
    bad_limit = json.loads(json.dumps(good))
    bad_limit["code"] = "2.000815"
    bad_limit["channels"][0]["time_limit"] = "tùy trường hợp"
    duplicate = {**good}
    doc["procedures"] += [no_source, bad_fee, bad_limit, duplicate]
    with pytest.raises(CatalogError) as info:
        catalog.load(write(tmp_path, doc))
    msg = str(info.value)
    assert "4 problem(s)" in msg
    assert "entry 2 (1.000656" in msg
    assert "sources" in msg
    assert "entry 3 (1.000894" in msg
    assert "amount_vnd" in msg
    assert "entry 4 (2.000815" in msg
    assert "cannot read time limit" in msg
    assert "entry 5 (1.001193" in msg
    assert "repeats entry 0" in msg


def test_get_never_returns_another_provinces_entry(tmp_path: Path) -> None:
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    birth = next(p for p in doc["procedures"] if p["code"] == "1.001193")
    doc["procedures"] = [{**birth, "code": "1.001193.H38"}]
    path = write(tmp_path, doc)
    assert catalog.get("1.001193.H38", path).code == "1.001193.H38"
    assert catalog.get("1.001193", path).code == "1.001193.H38"  # the one province entry
    with pytest.raises(CatalogError, match=r"no procedure with code '1\.001193\.H40'"):
        catalog.get("1.001193.H40", path)  # another province's entry
    doc["procedures"].append({**birth, "code": "1.001193.H40"})
    path = write(tmp_path, doc)
    with pytest.raises(CatalogError, match="several catalogue entries"):
        catalog.get("1.001193", path)


def test_get_unknown_code() -> None:
    with pytest.raises(CatalogError, match="no procedure with code"):
        catalog.get("9.999999", FIXTURE)


# ---- domains and lookups (issue 15) ----------------------------------------------------------


def test_domains_lists_code_and_names_in_catalogue_order() -> None:
    found = catalog.domains()
    assert [d.code for d in found][:2] == ["ho_tich", "chung_thuc"]
    assert len({d.code for d in found}) == len(found)
    assert {d.code for d in found} == {p.domain.code for p in catalog.load()}
    assert all(d.name_vi and d.name_en for d in found)


@pytest.mark.parametrize(
    "text",
    [
        "ho_tich",
        "Hộ tịch",
        "hộ tịch",
        "HỘ TỊCH",
        "ho tich",
        "Ho Tich",
        "  ho   tich ",
        "ho-tich",
        "Civil status",
        unicodedata.normalize("NFD", "Hộ tịch"),  # decomposed diacritics
    ],
)
def test_find_domain_by_code_or_name(text: str) -> None:
    assert catalog.find_domain(text).code == "ho_tich"


def test_find_domain_with_d_stroke() -> None:
    assert catalog.find_domain("dat dai").code == catalog.find_domain("Đất đai").code == "dat_dai"


@pytest.mark.parametrize("text", ["Hộ", "tich", "Hộ khẩu", "Hoạt động"])
def test_find_domain_never_matches_a_part(text: str) -> None:
    with pytest.raises(CatalogError, match=r"no domain .* known domains: ho_tich \(Hộ tịch\)"):
        catalog.find_domain(text)


@pytest.mark.parametrize("text", ["", "   "])
def test_find_domain_refuses_empty(text: str) -> None:
    with pytest.raises(CatalogError, match="give a domain code or name"):
        catalog.find_domain(text)


def test_find_domain_refuses_two_domains_folding_alike(tmp_path: Path) -> None:
    doc = fixture_doc()
    first = doc["procedures"][0]
    second = {**first, "code": "1.001194"}
    second["domain"] = {"code": "ho_tich_2", "name_vi": "Hô tích", "name_en": "Other"}
    doc["procedures"].append(second)
    path = write(tmp_path, doc)
    with pytest.raises(CatalogError, match="matches several domains"):
        catalog.find_domain("ho tich", path)
    assert catalog.find_domain("ho_tich_2", path).name_en == "Other"


def test_one_domain_code_has_one_name(tmp_path: Path) -> None:
    doc = fixture_doc()
    second = {**doc["procedures"][0], "code": "1.001194"}
    second["domain"] = {**second["domain"], "name_vi": "Tư pháp - Hộ tịch"}
    doc["procedures"].append(second)
    with pytest.raises(CatalogError, match="one code, one name"):
        catalog.load(write(tmp_path, doc))


@pytest.mark.parametrize(
    ("date", "issuer", "expected"),
    [
        ("2015-11-15", "Chính phủ", "123/2015/NĐ-CP Nghị định (15/11/2015, Chính phủ)"),
        (None, "Bộ Tư pháp", "123/2015/NĐ-CP Nghị định (Bộ Tư pháp)"),
        ("2015-11-15", None, "123/2015/NĐ-CP Nghị định (15/11/2015)"),
        (None, None, "123/2015/NĐ-CP Nghị định"),
        (None, "  ", "123/2015/NĐ-CP Nghị định"),
    ],
)
def test_citation_leaves_out_missing_parts(
    date: str | None, issuer: str | None, expected: str
) -> None:
    from tthc.models import LegalDocument

    doc = LegalDocument(number="123/2015/NĐ-CP", title="Nghị định", date=date, issuer=issuer)
    assert doc.citation == expected
    assert "(," not in doc.citation
    assert "()" not in doc.citation


def test_a_failed_lookup_carries_what_was_looked_up() -> None:
    with pytest.raises(CatalogError) as e:
        catalog.get("9.999999")
    assert (e.value.code, e.value.domain) == ("9.999999", None)
    with pytest.raises(CatalogError) as e:
        catalog.find_domain("Hộ khẩu")
    assert (e.value.code, e.value.domain) == (None, "Hộ khẩu")
