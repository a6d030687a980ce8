"""Generate the ILLUSTRATIVE service-index columns of the demo (``tthc demo --index``).

The bundled demo (ward Nghi Hương, Q1 2024; ``generate_demo_data.py``) holds the columns of
Biểu số 06 only. The Decision 766/QĐ-TTg service index also needs what a one-stop system syncs
to the national portal: whether each dossier was synced, paid online, digitised, given an
electronic result… This script draws those columns for the 403 demo dossiers, **invented for
illustration** (seeded, reproducible) — they describe no real ward — and writes them as a
separate CSV joined to the demo by ``code``, so the demo's own file and numbers are unchanged.
Every row says so in its ``sample`` column.

Shares drawn (plausible for a ward in 2024, not measured): synced to the portal 97 %; paid
online 45 % of the dossiers with a fee (online ones 80 %); digitised 88 %; an electronic result
for 75 % of online dossiers and 35 % of the others; data reused 40 %; from the citizen's data
store 20 %; VNeID 90 % online, 30 % otherwise; a complaint or "dislike" 1 %. ``fee`` is the
catalogue's fee for the procedure and channel (0 when the procedure has none or is not in the
catalogue); ``paper_result`` is 1 (every demo procedure's result is a paper document).

Run with no arguments to write ``nghi_huong_2024q1_service.csv`` into the current directory, or
give an output path; the output equals the file bundled in the package, byte for byte (a test
checks it).
"""

from __future__ import annotations

import csv
import io
import random
import sys
from importlib import resources
from pathlib import Path

from tthc.index import lookup_catalogue
from tthc.report import SERVICE_COLUMNS, read_csv

SEED = 20240766
OUTPUT_NAME = "nghi_huong_2024q1_service.csv"
SAMPLE = "minh họa (illustrative)"
COLUMNS = ("code", "sample", *SERVICE_COLUMNS)


def _flag(rng: random.Random, share: float) -> str:
    return "1" if rng.random() < share else "0"


def generate() -> str:
    """The CSV text (UTF-8, no BOM, ``\\n`` line ends)."""
    rng = random.Random(SEED)
    demo = resources.files("tthc.report").joinpath("data", "nghi_huong_2024q1.csv")
    with demo.open("rb") as raw:
        records = list(read_csv(io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        assert not isinstance(record, Exception), record
        online = record.channel.value == "online"
        fee = 0
        if record.procedure_code:
            fee = lookup_catalogue(record.procedure_code, record.channel).fee or 0
        paid = "0"
        if fee and rng.random() < (0.8 if online else 0.45):
            paid = rng.choice(["1", "2"])
        writer.writerow(
            [
                record.code,
                SAMPLE,
                _flag(rng, 0.97),
                paid,
                str(fee),
                "1",
                _flag(rng, 0.75 if online else 0.35),
                _flag(rng, 0.88),
                _flag(rng, 0.40),
                _flag(rng, 0.20),
                _flag(rng, 0.90 if online else 0.30),
                _flag(rng, 0.01),
            ]
        )
    return out.getvalue()


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(OUTPUT_NAME)
    target.write_text(generate(), encoding="utf-8", newline="")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
