"""The service index's result: formula objects, N/A and "not computed", scores and group scores,
the inputs file, merging and the JSON round trip."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index_data import PERIOD, make_rows
from tthc.errors import InputFormatError, ReportError
from tthc.index import (
    COMPUTED_INDICATORS,
    GROUPS,
    INDICATORS,
    INPUT_INDICATORS,
    IndexCounts,
    IndexInputs,
    IndicatorValue,
    ServiceIndex,
    build_index,
    demo_index,
    indicator,
    read_index_inputs,
    render_index,
)
from tthc.report import Period


def test_every_indicator_is_a_named_formula_with_its_source() -> None:
    assert [i.id for i in INDICATORS if i.computed] == list(COMPUTED_INDICATORS)
    assert set(COMPUTED_INDICATORS) == {
        "1.4",
        "2.1",
        "2.2",
        "3.3",
        "3.6",
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "4.5",
        "5.4",
    }
    assert {"1.1", "1.2", "1.3", "3.1", "3.2", "3.5", "5.1", "5.2", "5.3"} <= set(INPUT_INDICATORS)
    for ind in INDICATORS:
        assert ind.title_vi
        assert ind.title_en
        assert ind.numerator
        assert ind.denominator
        assert "portal practice, not law" in ind.source
        assert ind.version == "2026"
    assert sum(g.max_points for g in GROUPS) == 100
    # the known point split (domain guide section 7)
    points = {i.id: i.max_points for i in INDICATORS}
    assert [points[i] for i in ("1.1", "1.2", "1.3", "1.4")] == [6, 4, 2, 6]
    assert points["2.1"] == 20
    assert points["3.6"] == 10
    assert [points[f"4.{i}"] for i in range(1, 8)] == [6, 4, 2, 2, 4, 2, 2]
    assert [points[i] for i in ("5.2", "5.3", "5.4")] == [6, 6, 6]
    assert points["3.3"] is None  # the split of the 12 online-service points is unconfirmed
    assert not indicator("3.3").confirmed
    with pytest.raises(ReportError, match=r"unknown indicator '9\.9'"):
        indicator("9.9")


@pytest.mark.parametrize(
    ("id_", "ratio", "score"),
    [
        ("3.3", 0.5, None),
        ("4.2", 0.8, 4.0),
        ("4.2", 0.4, 2.0),
        ("5.4", 0.45, 3.0),
        ("5.4", 0.95, 6.0),
        ("2.1", 0.9, 18.0),
        ("2.2", 1.0, None),
        ("5.4", -0.2, 0.0),
    ],
)
def test_scores_follow_the_thresholds(id_: str, ratio: float, score: float | None) -> None:
    assert indicator(id_).score(ratio) == score


def test_a_zero_denominator_is_not_applicable_never_0_or_100_percent() -> None:
    index = ServiceIndex(
        Period.parse(PERIOD), groups={("X",): IndexCounts.of({"2.1.d": 3, "2.1.n": 3})}
    )
    values = index.values()
    assert values["3.6"].ratio is None
    assert values["3.6"].status == "n/a"
    assert values["3.6"].score is None
    assert values["1.1"].status == "not computed"
    data = index.to_dict()["totals"]["indicators"]
    assert data["3.6"]["ratio"] is None
    assert data["3.6"]["score"] is None
    text = render_index(index, "table", lang="en")
    line_3_6 = next(line for line in str(text).splitlines() if line.startswith("3.6"))
    assert "N/A" in line_3_6
    assert "%" not in line_3_6


def test_unknown_data_is_left_out_and_said() -> None:
    rows = [
        {
            "code": f"A-{i}",
            "domain": "Hộ tịch",
            "channel": "online",
            "received_at": "2024-03-04T08:00",
            "status": "processing",
            "due_at": "2024-04-30T17:00",
            "synced": s,
        }
        for i, s in enumerate(["1", "0", ""])
    ]
    v = build_index(rows, "2024-03").values()["1.4"]
    assert (v.numerator, v.denominator, v.unknown, v.ratio) == (1, 2, 1, 0.5)
    no_column = build_index(
        [{k: x for k, x in r.items() if k != "synced"} for r in rows], "2024-03"
    )
    assert no_column.values()["1.4"].status == "not computed"
    assert no_column.values()["1.4"].unknown == 3


def test_3_3_is_multiplied_by_the_sync_share() -> None:
    index = ServiceIndex(
        Period.parse(PERIOD),
        groups={("X",): IndexCounts.of({"3.3.n": 6, "3.3.d": 10, "1.4.n": 5, "1.4.d": 10})},
    )
    assert index.values()["3.3"].ratio == pytest.approx(0.3)
    no_sync = ServiceIndex(
        Period.parse(PERIOD), groups={("X",): IndexCounts.of({"3.3.n": 6, "3.3.d": 10})}
    )
    assert no_sync.values()["3.3"].ratio is None


def test_group_scores_add_what_is_known_and_name_what_is_missing() -> None:
    index = demo_index()
    scores = {g.id: g for g in index.group_scores()}
    assert scores["progress"].score == 20
    assert scores["progress"].missing == ()
    assert scores["transparency"].missing == ("1.1", "1.2", "1.3")
    assert scores["total"].score == pytest.approx(sum(g.score for g in index.group_scores()[:-1]))
    with_inputs = demo_index()
    with_inputs = ServiceIndex(
        **{
            **{
                f: getattr(with_inputs, f)
                for f in (
                    "period",
                    "group_by",
                    "groups",
                    "policy",
                    "rows_read",
                    "rows_rejected",
                    "unit",
                    "calendar_fingerprint",
                )
            },
            "inputs": IndexInputs.from_mapping(
                {"1.1": {"score": 6}, "1.2": {"numerator": 3, "denominator": 4}}
            ),
        }
    )
    t = {g.id: g for g in with_inputs.group_scores()}["transparency"]
    assert t.missing == ("1.3",)
    assert t.score == pytest.approx(scores["transparency"].score + 6 + 3)


def test_inputs_are_checked_and_read_from_json_or_csv(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="computed from the dossiers"):
        IndexInputs.from_mapping({"4.2": {"score": 1}})
    with pytest.raises(InputFormatError, match="numerator 5 is over denominator 4"):
        IndexInputs.from_mapping({"1.1": {"numerator": 5, "denominator": 4}})
    with pytest.raises(InputFormatError, match="score 7 is outside 0–6"):
        IndexInputs.from_mapping({"1.1": {"score": 7}})
    with pytest.raises(InputFormatError, match="unknown field"):
        IndexInputs.from_mapping({"1.1": {"points": 1}})
    path = tmp_path / "inputs.json"
    path.write_text(json.dumps({"5.2": {"score": 5}}), encoding="utf-8")
    assert read_index_inputs(path).values["5.2"].score == 5
    bad = tmp_path / "inputs.csv"
    bad.write_text("indicator,numerator,denominator\n3.1,x,4\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match=r"line 2, indicator 3\.1: bad numerator 'x'"):
        read_index_inputs(bad)
    twice = tmp_path / "twice.csv"
    twice.write_text("indicator,score\n5.2,1\n5.2,2\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="given twice"):
        read_index_inputs(twice)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 120), cut=st.integers(0, 120))
def test_any_partition_merges_to_the_whole_and_json_round_trips(
    seed: int, n: int, cut: int
) -> None:
    rows = make_rows(random.Random(seed), n, clean=False)
    whole = build_index(rows, PERIOD)
    parts = build_index(rows[:cut], PERIOD) + build_index(rows[cut:], PERIOD)
    assert parts.groups == whole.groups
    again = ServiceIndex.from_dict(json.loads(whole.to_json()))
    assert again == whole
    assert again.to_dict() == whole.to_dict()


def test_the_json_shape_of_the_issue() -> None:
    data = demo_index().to_dict()
    group = data["groups"][0]
    assert set(group) == {"key", "indicators", "groups_score"}
    entry = data["totals"]["indicators"]["2.1"]
    assert {"numerator", "denominator", "ratio", "score", "max_points", "confirmed"} <= set(entry)
    assert data["totals"]["groups_score"]["total"]["max_points"] == 100
    with pytest.raises(ReportError, match="not a service index"):
        ServiceIndex.from_dict({"kind": "report"})


def test_merging_refuses_different_periods() -> None:
    a = ServiceIndex(Period.parse("2024-Q1"))
    with pytest.raises(ReportError, match="different period"):
        a + ServiceIndex(Period.parse("2024-Q2"))


def test_indicator_values_add() -> None:
    a = IndicatorValue("5.4", 1, 2, 0, extra={"late": 1})
    assert (a + a).extra == {"late": 2}
    assert (a + a).denominator == 4


def test_demo_index_is_illustrative_and_leaves_the_demo_unchanged() -> None:
    from tthc.report import demo_report

    index = demo_index()
    assert "illustrative" in (index.source or "")
    assert index.report is not None
    assert index.report.groups == demo_report().groups
    assert all(
        v.status == "computed" for i, v in index.values().items() if i in COMPUTED_INDICATORS
    )


def test_demo_service_data_is_reproduced_by_its_generator(tmp_path: Path) -> None:
    import runpy

    root = Path(__file__).resolve().parent.parent
    target = tmp_path / "out.csv"
    script = root / "examples" / "generate_demo_service_data.py"
    module = runpy.run_path(str(script))
    target.write_text(module["generate"](), encoding="utf-8", newline="")
    bundled = root / "src" / "tthc" / "report" / "data" / "nghi_huong_2024q1_service.csv"
    assert target.read_bytes() == bundled.read_bytes()


def test_a_catalogue_that_cannot_be_read_is_an_error_not_unknown_procedures(
    tmp_path: Path,
) -> None:
    from tthc.catalog import get
    from tthc.errors import CatalogError
    from tthc.index import lookup_catalogue
    from tthc.models import Channel

    rows = make_rows(random.Random(3), 40)
    missing = tmp_path / "nonexist.json"
    broken = tmp_path / "broken.json"
    broken.write_text('{"procedures": ', encoding="utf-8")
    for path in (missing, broken, tmp_path):
        with pytest.raises(CatalogError, match=f"catalogue {path}: "):
            build_index(rows, PERIOD, catalog=str(path))
        with pytest.raises(CatalogError, match=f"catalogue {path}: "):
            lookup_catalogue("9.999999", Channel.ONLINE, str(path))
    valid = tmp_path / "one.json"
    procedure = get("2.000635")
    valid.write_text(
        json.dumps(
            {"catalog_version": "test", "procedures": [procedure.model_dump(mode="json")]},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    assert lookup_catalogue("9.999999", Channel.ONLINE, str(valid)).fee is None
    assert lookup_catalogue("2.000635", Channel.ONLINE, str(valid)).fee == 8000
