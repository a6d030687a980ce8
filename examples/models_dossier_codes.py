"""Issue Decree 118 Art. 28 dossier codes for a morning's receptions and round-trip the dossiers.

Each dossier gets ``<agency id>-<yymmdd>-<sequence>``; the sequence restarts every day (UTC+7).
The dossiers are written to ``dossiers.jsonl`` and read back unchanged.
"""

import datetime as dt
from pathlib import Path

import tthc

RECEPTIONS = [  # (received at, office wall clock; procedure; applicant; channel)
    (dt.datetime(2024, 3, 29, 7, 45), "1.001193", "Trần Văn Nam", "direct"),
    (dt.datetime(2024, 3, 29, 9, 10), "2.000815", "Lê Thị Thu", "direct"),
    (dt.datetime(2024, 3, 29, 22, 5), "1.004873", "Phạm Minh Đức", "online"),
    (dt.datetime(2024, 4, 1, 7, 30), "1.000656", "Hoàng Văn Sơn", "postal"),
]

if __name__ == "__main__":
    gen = tthc.models.DossierCodeGenerator("000.17.22.H40")
    dossiers = []
    for received, procedure, name, channel in RECEPTIONS:
        dossiers.append(
            tthc.Dossier(
                code=gen.next(received),
                procedure_code=procedure,
                applicant=tthc.models.Applicant(name=name),
                channel=channel,
                received_at=received,  # naive: read as UTC+7
                events=[tthc.DossierEvent(kind="received", at=received)],
            )
        )
    for d in dossiers:
        parts = d.code_parts
        print(
            f"{d.code}  day {parts.received_on}  #{parts.sequence}  {d.procedure_code}  "
            f"{d.channel.label_vi}"
        )

    path = Path("dossiers.jsonl")
    path.write_text("".join(d.model_dump_json() + "\n" for d in dossiers), encoding="utf-8")
    again = [
        tthc.Dossier.model_validate_json(line) for line in path.read_text("utf-8").splitlines()
    ]
    assert again == dossiers
    print(f"round-tripped {len(again)} dossiers through {path}")
