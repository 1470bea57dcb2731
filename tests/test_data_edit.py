"""Values changed in a data file's text (the web workspace's saves): only the value changes, comments
and layout stay, the CLI reads the result, and a full data file round-trips through ``data_yaml``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from drafting.data import load_data
from drafting.data.edit import set_values
from drafting.data.load import validate_raw
from drafting.data.template import data_yaml, template_yaml
from drafting.errors import DataError
from drafting.yamlfile import parse_document

from .conftest import EXAMPLES


def _values(text: str) -> dict[str, object]:
    raw, _ = parse_document(text, "t.yaml", ".yaml")
    assert isinstance(raw, dict)
    return raw


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.splitlines(), after.splitlines()
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def test_a_cell_changes_and_every_other_byte_stays() -> None:
    text = template_yaml("某市某局", 2025)
    after = set_values(text, {"table3.new.natural": 12})
    [(old, new)] = _changed_lines(text, after)
    assert "natural: 0" in old and "natural: 12" in new
    # The official label stays in its comment, at the same column.
    assert new.index("# 一、本年新收") == old.index("# 一、本年新收")
    assert _values(after)["table3"]["new"]["natural"] == 12  # type: ignore[index]


def test_text_dates_money_and_contact_are_written_as_the_loader_reads_them(tmp_path: Path) -> None:
    text = template_yaml("某市某局", 2025)
    after = set_values(
        text,
        {
            "agency.short_name": "某局",
            "agency.contact.phone": "0451-1234567",
            "published": dt.date(2026, 1, 20),
            "table2.admin_fees": 12.5,
            "fees.billed": Decimal("30.00"),
            "fees.notices": 1,
        },
    )
    path = tmp_path / "2025.yaml"
    path.write_text(after, encoding="utf-8")
    data = load_data(path).data
    assert data.agency.short_name == "某局"
    assert data.agency.contact is not None and data.agency.contact.phone == "0451-1234567"
    assert data.published == dt.date(2026, 1, 20)
    assert data.table2.admin_fees == Decimal("12.5")
    assert data.fees.billed == Decimal("30")
    assert after.count("\n") == text.count("\n")  # no line added or lost
    assert "# 简称（可不填）" in after


def test_facts_move_between_not_given_nothing_to_add_and_a_list() -> None:
    text = template_yaml("某市某局", 2025)
    listed = set_values(text, {"facts.active": ["通过门户网站公开120条", "更新专栏"], "facts.other": []})
    facts = _values(listed)["facts"]
    assert facts["active"] == ["通过门户网站公开120条", "更新专栏"]  # type: ignore[index]
    assert facts["other"] == []  # type: ignore[index]
    assert "# 主动公开：" in listed  # the topic's hint comment stays on its line
    cleared = set_values(listed, {"facts.active": None, "facts.other": ["无其他事项"]})
    facts = _values(cleared)["facts"]
    assert facts["active"] is None and facts["other"] == ["无其他事项"]  # type: ignore[index]
    back = set_values(cleared, {"facts.other": None})
    assert back == text


def test_an_invalid_value_is_kept_and_validate_names_it_at_its_line(tmp_path: Path) -> None:
    text = template_yaml("某市某局", 2025)
    path = tmp_path / "2025.yaml"
    path.write_text(set_values(text, {"table3.new.natural": "12a", "table3.new.legal": None}), "utf-8")
    with pytest.raises(DataError) as caught:
        load_data(path)
    messages = {i.path: i for i in caught.value.issues}
    assert "“12a”" in messages["table3.new.natural"].message
    assert messages["table3.new.natural"].line is not None
    assert "不能留空" in messages["table3.new.legal"].message


def test_a_missing_cell_or_key_is_added() -> None:
    text = "agency:\n  name: 某局  # 全称\nyear: 2025\ntable4:\n  review: {upheld: 0, corrected: 0}\n"
    after = set_values(text, {"table4.review.other": 3, "fees.notices": 1, "agency.website": "http://x.cn"})
    values = _values(after)
    assert values["table4"] == {"review": {"upheld": 0, "corrected": 0, "other": 3}}
    assert values["fees"] == {"notices": 1}
    assert values["agency"] == {"name": "某局", "website": "http://x.cn"}
    assert "# 全称" in after


def test_anchors_fall_back_to_the_round_trip_dump_with_the_same_values() -> None:
    text = "base: &row {natural: 0, other: 0}\nrows:\n  a: *row  # 别名\n  b: 1\n"
    after = set_values(text, {"rows.b": 2})
    assert _values(after)["rows"]["b"] == 2  # type: ignore[index]


def test_json_files_stay_json() -> None:
    text = json.dumps({"year": 2025, "fees": {"billed": 1.5}}, indent=2)
    after = set_values(text, {"fees.billed": 2.25, "agency.name": "某局"}, ".json")
    assert json.loads(after) == {"year": 2025, "fees": {"billed": 2.25}, "agency": {"name": "某局"}}


@pytest.mark.parametrize("name", ["daxinganling-2023.yaml", "pingtan-2022.yaml", "township-2024.yaml"])
def test_data_yaml_writes_every_field_of_the_data(name: str) -> None:
    data = load_data(EXAMPLES / name).data
    raw, positions = parse_document(data_yaml(data), "t.yaml", ".yaml")
    assert validate_raw(raw, "t.yaml", positions).data == data
