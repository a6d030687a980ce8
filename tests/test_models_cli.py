"""The ``tthc schema`` and ``tthc catalog`` sub-commands."""

from __future__ import annotations

import json
import unicodedata

import pytest

import tthc.catalog
from tthc import Procedure
from tthc.catalog import load
from tthc.cli import main


def test_schema_of_a_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "Dossier"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Dossier"
    assert {"code", "procedure_code", "applicant", "events"} <= set(schema["properties"])


def test_schema_of_unknown_model_lists_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "Dosier"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tthc schema: error: unknown model 'Dosier'")  # the one error format
    assert "Dossier" in err
    assert "Procedure" in err
    assert main(["schema"]) == 2


def test_schema_of_a_catalogue_form(capsys: pytest.CaptureFixture[str]) -> None:
    with_fields = [p for p in load() if p.fields and p.code]
    if not with_fields:
        pytest.skip("no catalogue procedure declares form fields")
    assert main(["schema", "--form", with_fields[0].code or ""]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema["properties"]) == {f.name for f in with_fields[0].fields}


def test_schema_form_of_unknown_code_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--form", "9.999999"]) == 2
    assert "no procedure with code" in capsys.readouterr().err


def test_catalog_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog"]) == 0
    out = capsys.readouterr().out
    procs = load()
    assert f"{len(procs)} procedures" in out
    for p in procs:
        if p.code:
            assert p.code in out
    assert "Trực tiếp" in out
    assert "In person" in out


def test_catalog_json_and_domain_filter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--format", "json", "--domain", "ho_tich"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["procedures"]
    assert {p["domain"]["code"] for p in doc["procedures"]} == {"ho_tich"}
    assert main(["catalog", "--domain", "khong_co"]) == 2


def test_catalog_with_missing_bundled_file_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tthc.catalog as catalog

    monkeypatch.setattr(catalog, "CATALOG_FILE", "missing.json")
    catalog._bundled.cache_clear()
    try:
        assert main(["catalog"]) == 2
        assert "missing.json is missing" in capsys.readouterr().err
    finally:
        monkeypatch.undo()
        catalog._bundled.cache_clear()


def test_catalog_one_procedure_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    proc = next(p for p in load() if p.code and p.channels and p.sources)
    assert main(["catalog", "--code", proc.code or ""]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{proc.code}  {proc.name}")
    assert "Cách thức thực hiện / Channels:" in out
    assert proc.sources[0] in out
    assert main(["catalog", "--code", proc.code or "", "--format", "json"]) == 0
    assert Procedure.model_validate_json(capsys.readouterr().out) == proc


def test_catalog_unconfirmed_channels_are_shown_as_such(capsys: pytest.CaptureFixture[str]) -> None:
    unconfirmed = [p for p in load() if not p.channels and p.code]
    if not unconfirmed:
        pytest.skip("every catalogue procedure has confirmed channels")
    assert main(["catalog", "--code", unconfirmed[0].code or ""]) == 0
    assert "not confirmed" in capsys.readouterr().out
    assert main(["catalog"]) == 0
    assert "? = channels / time limit not confirmed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "domain", ["ho_tich", "Hộ tịch", "ho tich", "HỘ TỊCH", unicodedata.normalize("NFD", "Hộ tịch")]
)
def test_catalog_domain_by_code_or_name(domain: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--format", "json", "--domain", domain]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {p["domain"]["code"] for p in doc["procedures"]} == {"ho_tich"}


def test_catalog_unknown_domain_lists_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--domain", "Hộ khẩu"]) == 2
    err = capsys.readouterr().err
    assert "no domain 'Hộ khẩu'" in err
    assert "ho_tich (Hộ tịch)" in err
    assert "Traceback" not in err


def test_catalog_domains_lists_code_and_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--domains"]) == 0
    out = capsys.readouterr().out
    assert "ho_tich" in out
    assert "Hộ tịch" in out
    assert "Civil status" in out
    assert main(["catalog", "--domains", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = {d["code"]: d for d in doc["domains"]}
    assert rows["ho_tich"]["name_vi"] == "Hộ tịch"
    assert sum(d["procedures"] for d in doc["domains"]) == len(tthc.catalog.load())


def test_catalog_domains_with_a_filter_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--domains", "--domain", "ho_tich"]) == 2


def test_catalog_code_legal_basis_has_no_empty_brackets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--code", "1.001193"]) == 0
    out = capsys.readouterr().out
    assert "04/2024/TT-BTP" in out
    assert "(," not in out
    assert "()" not in out


@pytest.mark.parametrize("domain", ["", "  "])
def test_catalog_empty_domain_is_an_error(domain: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--domain", domain]) == 2
    assert "give a domain code or name" in capsys.readouterr().err
