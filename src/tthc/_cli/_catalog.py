"""Sub-commands ``tthc schema`` and ``tthc catalog``.

* ``tthc schema <Model>`` prints the JSON Schema of a public pydantic model (``tthc.<Model>``),
  or with ``--form CODE`` the JSON Schema of a catalogue procedure's declaration form.
* ``tthc catalog`` lists the bundled procedures: code, name, domain, time limit per channel
  and fees, as a table (default) or JSON; ``--domain`` takes a domain's code or name (case,
  diacritics and Unicode form ignored); ``--domains`` lists the domains with code and names.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from typing import Any

from pydantic import BaseModel

from tthc._cli._exit import EXIT_OK, EXIT_USAGE
from tthc._enums import Channel, TimeLimitUnit
from tthc._timelimit import TimeLimit
from tthc.errors import InvalidInputError
from tthc.models import ChannelOption, Procedure

_NAME_WIDTH = 44


def public_models() -> dict[str, type[BaseModel]]:
    """Every pydantic model exported as ``tthc.<Name>``, and the national portal's record
    (``tthc.portal.PortalRecord``), by name."""
    import tthc
    from tthc.portal import PortalRecord

    found: dict[str, type[BaseModel]] = {"PortalRecord": PortalRecord}
    for name in tthc.__all__:
        obj = getattr(tthc, name)
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            found[name] = obj
    return dict(sorted(found.items()))


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``schema`` and ``catalog`` to ``subparsers``."""
    p = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of a model (e.g. Dossier, Procedure) or of a form",
        description="Print the JSON Schema of a public tthc model, e.g. `tthc schema Dossier`; "
        "with --form CODE, the schema of that catalogue procedure's declaration form.",
    )
    p.add_argument("model", nargs="?", help="model name, e.g. Dossier, Procedure, FieldSpec")
    p.add_argument("--form", metavar="CODE", help="a catalogue procedure code, e.g. 1.001193")
    p.add_argument("--indent", type=int, default=2, help="JSON indent (default 2)")
    p.set_defaults(func=_schema)

    c = subparsers.add_parser(
        "catalog",
        help="list the bundled procedure catalogue",
        description="List the bundled procedures: code, name, domain, time limit per channel "
        "(trực tiếp / trực tuyến / bưu chính) and fees.",
    )
    c.add_argument("--format", choices=("table", "json"), default="table")
    c.add_argument(
        "--domain",
        metavar="DOMAIN",
        help="only procedures of this domain: its code or name, e.g. ho_tich, 'Hộ tịch', "
        "'ho tich' (case, diacritics and Unicode form ignored)",
    )
    c.add_argument(
        "--domains",
        action="store_true",
        help="list the domains (lĩnh vực): code, Vietnamese and English name, procedures",
    )
    c.add_argument(
        "--code", help="show one procedure in full (steps, components, fees, sources, notes)"
    )
    c.set_defaults(func=_catalog)


def _schema(args: argparse.Namespace) -> int:
    models = public_models()
    if args.form is not None:
        if args.model is not None:
            print("tthc schema: error: give a model name or --form CODE, not both", file=sys.stderr)
            return EXIT_USAGE
        from tthc.catalog import get

        schema = get(args.form).form_json_schema()
    elif args.model is None or args.model not in models:
        what = "a model name is required" if args.model is None else f"unknown model {args.model!r}"
        print(f"tthc schema: error: {what}; known models: {', '.join(models)}", file=sys.stderr)
        return EXIT_USAGE
    elif args.model == "PortalRecord":
        from tthc.portal import portal_record_json_schema

        schema = portal_record_json_schema()  # the portal's field names
    else:
        schema = models[args.model].model_json_schema()
    print(json.dumps(schema, ensure_ascii=False, indent=args.indent))
    return EXIT_OK


def short_limit(limit: TimeLimit) -> str:
    """A compact Vietnamese time limit for tables: ``"05 ngày làm việc"``, and for a same-day
    limit with a receipt cut-off ``"Trong ngày (15h)"`` (after 15:00: next working day)."""
    if limit.unit is TimeLimitUnit.SAME_DAY and limit.cutoff is not None:
        minutes = f"{limit.cutoff.minute:02d}" if limit.cutoff.minute else ""
        return f"Trong ngày ({limit.cutoff.hour}h{minutes})"
    return str(limit)


def vnd(amount: int) -> str:
    """An amount in đồng with dot thousands separators, e.g. ``"50.000 đ"``."""
    return f"{amount:,} đ".replace(",", ".")


def _option_fee(option: ChannelOption) -> str:
    if not option.fees:
        return "—"
    noted = any(f.note for f in option.fees)
    return vnd(option.total_fee) + ("*" if noted else "")


def _fees(proc: Procedure) -> str:
    if not proc.channels:
        return "?"
    shown = {o.channel: _option_fee(o) for o in proc.channels}
    if len(set(shown.values())) == 1:
        return next(iter(shown.values()))
    return "; ".join(f"{ch.label_vi}: {v}" for ch, v in shown.items())


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _cut(text: str, width: int) -> str:
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _rows(procs: list[Procedure]) -> list[list[str]]:
    rows = []
    for p in procs:
        limits = {o.channel: short_limit(o.time_limit) for o in p.channels}
        rows.append(
            [
                p.code or "—",
                _cut(p.name, _NAME_WIDTH),
                p.domain.name_vi,
                *(limits.get(ch, "—" if p.channels else "?") for ch in Channel),
                _fees(p),
            ]
        )
    return rows


def describe(proc: Procedure) -> str:
    """A procedure in full, as readable text (``tthc catalog --code CODE``)."""
    lines = [
        f"{proc.code or '(mã chưa xác nhận / code unconfirmed)'}  {proc.name}",
        *([proc.name_en] if proc.name_en else []),
        f"Lĩnh vực / Domain: {proc.domain.name_vi} ({proc.domain.name_en})",
        f"Cấp thực hiện / Level: {proc.level.label}",
        f"Dịch vụ công trực tuyến / Online service: {proc.online_service_level.label}",
    ]
    for title, agency in (
        ("Cơ quan thực hiện / Implementing agency", proc.implementing_agency),
        ("Cơ quan có thẩm quyền / Competent agency", proc.competent_agency),
    ):
        if agency is not None:
            lines.append(f"{title}: {agency.name}")
    lines.append("Cách thức thực hiện / Channels:")
    if not proc.channels:
        lines.append("  ? chưa xác nhận / not confirmed (see notes)")
    for option in proc.channels:
        lines.append(f"  - {option.channel.label}: {option.time_limit}")
        for fee in option.fees:
            note = f" — {fee.note}" if fee.note else ""
            lines.append(f"      {fee.name}: {vnd(fee.amount_vnd)}{note}")
    sections: list[tuple[str, list[str]]] = [
        (
            "Trình tự / Steps",
            [
                s.name
                + (f" [{s.agency.name}]" if s.agency else "")
                + (f" ({s.time_budget})" if s.time_budget else "")
                for s in proc.steps
            ],
        ),
        (
            "Thành phần hồ sơ / Components",
            [
                f"{c.name}: {c.originals} bản chính, {c.copies} bản sao"
                + (f" ({c.copy_kind})" if c.copy_kind else "")
                + ("" if c.required else " — không bắt buộc / optional")
                for c in proc.components
            ],
        ),
        (
            "Trường tờ khai / Form fields",
            [f"{f.name} ({f.type.value}): {f.label}" for f in proc.fields],
        ),
        ("Kết quả / Result", [proc.result] if proc.result else []),
        ("Yêu cầu, điều kiện / Requirements", list(proc.requirements)),
        (
            "Căn cứ pháp lý / Legal basis",
            [d.citation for d in proc.legal_basis],
        ),
        ("Nguồn / Sources", list(proc.sources)),
        ("Ghi chú / Notes", list(proc.notes)),
    ]
    for title, items in sections:
        if items:
            lines.append(f"{title}:")
            lines.extend(f"  - {item}" for item in items)
    return "\n".join(lines)


def _domains(args: argparse.Namespace) -> int:
    from tthc.catalog import catalog_version, domains, load

    procs = load()
    counts = {d.code: sum(p.domain.code == d.code for p in procs) for d in domains()}
    if args.format == "json":
        out = {
            "catalog_version": catalog_version(),
            "domains": [
                {**d.model_dump(mode="json"), "procedures": counts[d.code]} for d in domains()
            ],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    header_vi = ["Mã", "Tên lĩnh vực", "Tên tiếng Anh", "Số thủ tục"]
    header_en = ["Code", "Domain (Vietnamese)", "Domain (English)", "Procedures"]
    rows = [[d.code, d.name_vi, d.name_en, str(counts[d.code])] for d in domains()]
    table = [header_vi, header_en, *rows]
    widths = [max(_width(r[i]) for r in table) for i in range(len(header_vi))]
    print(f"tthc catalogue {catalog_version()}: {len(rows)} domains (lĩnh vực)")
    for header in (header_vi, header_en):
        print("  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip())
    print("\n--domain takes the code or either name (case and diacritics ignored).")
    return EXIT_OK


def _catalog(args: argparse.Namespace) -> int:
    from tthc.catalog import catalog_version, find_domain, load

    if args.domains:
        if args.code or args.domain:
            raise InvalidInputError("--domains lists every domain; drop --code/--domain")
        return _domains(args)
    if args.code:
        if args.domain is not None:
            raise InvalidInputError(
                "--code shows one procedure, whatever its domain; drop --domain (or --code to "
                "list the domain's procedures)"
            )
        from tthc.catalog import get

        proc = get(args.code)
        if args.format == "json":
            print(proc.model_dump_json(indent=2))
        else:
            print(describe(proc))
        return EXIT_OK
    procs = load()
    if args.domain is not None:
        domain = find_domain(args.domain)
        procs = [p for p in procs if p.domain.code == domain.code]
    if args.format == "json":
        out = {
            "catalog_version": catalog_version(),
            "procedures": [p.model_dump(mode="json") for p in procs],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    header_vi = ["Mã", "Thủ tục", "Lĩnh vực", *(ch.label_vi for ch in Channel), "Phí, lệ phí"]
    header_en = ["Code", "Procedure", "Domain", *(ch.label_en for ch in Channel), "Fees"]
    rows = _rows(procs)
    table = [header_vi, header_en, *rows]
    widths = [max(_width(r[i]) for r in table) for i in range(len(header_vi))]
    noun = "procedure" if len(procs) == 1 else "procedures"
    print(f"tthc catalogue {catalog_version()}: {len(procs)} {noun}")
    for header in (header_vi, header_en):
        print("  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip())
    unconfirmed = [p for p in procs if not p.channels or p.code is None]
    print("\nTrong ngày (15h): same day; received after 15:00, the next working day.")
    print("Fees: * = conditions or exemptions in the fee note; — = no fee recorded.")
    print("— in a channel column = channel not offered.")
    if unconfirmed:
        print("? = channels / time limit not confirmed; see the notes (--format json).")
    return EXIT_OK
