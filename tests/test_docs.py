"""Every ```python block in README.md and docs/*.md runs, page by page, in one namespace.

A block meant only to be read must use another fence language (``text``, ``console``, ``toml``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = FENCE.findall(page.read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for i, block in enumerate(blocks):
        code = compile(block, f"{page.name}[block {i + 1}]", "exec")
        exec(code, namespace)


def test_docs_have_examples() -> None:
    # Guards the harness itself: if the fence pattern broke, every page would pass vacuously.
    assert FENCE.findall((ROOT / "README.md").read_text(encoding="utf-8"))
