"""The form options of ``tthc report`` and ``tthc demo``: language, the form's columns only,
the receiving unit and the signature block (:class:`tthc.report.FormOptions`).

Each option is free text escaped like the data cells at the output edge (see
``docs/reporting.md``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
from typing import Final

from tthc._time import VN_TZ
from tthc.errors import InvalidInputError
from tthc.report import DEFAULT_WIDTH, LANGUAGES, FormOptions

__all__ = [
    "FORM_ONLY_OPTIONS",
    "add_form_arguments",
    "form_options",
    "refuse_form_options",
    "terminal_width",
]

TODAY = "today"
"""``--signed-on today``: the current date in Vietnam (UTC+7)."""


def _date(text: str) -> dt.date:
    """A ``--signed-on`` value: ``YYYY-MM-DD``, ``DD/MM/YYYY`` or ``today``."""
    text = text.strip()
    if text.lower() == TODAY:
        return dt.datetime.now(VN_TZ).date()
    for parse in (dt.date.fromisoformat, lambda t: dt.datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(
        f"not a date: {text!r} (write YYYY-MM-DD, DD/MM/YYYY or {TODAY})"
    )


def add_form_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the form options (``--lang``, ``--form-only``, ``--receiving-unit``,
    ``--prepared-by``, ``--approved-by``, ``--place``, ``--signed-on``) to ``parser``.

    >>> p = argparse.ArgumentParser()
    >>> add_form_arguments(p)
    >>> form_options(p.parse_args(["--lang", "vi", "--signed-on", "05/04/2024"])).signed_on
    datetime.date(2024, 4, 5)
    """
    group = parser.add_argument_group("form (Biểu số 06/VPCP/KSTT)")
    group.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of the rendering: vi (Vietnamese only), en, or bilingual "
        "(default: vi for xlsx and html, bilingual for the others)",
    )
    group.add_argument(
        "--form-only",
        action="store_true",
        help="exactly the columns of Biểu số 06: no indicator columns, no chart",
    )
    group.add_argument(
        "--receiving-unit",
        metavar="NAME",
        help="the unit the report is sent to (Đơn vị nhận báo cáo), e.g. 'UBND thị xã Cửa Lò'",
    )
    group.add_argument(
        "--prepared-by", metavar="NAME", help="who prepared the form (Người lập biểu)"
    )
    group.add_argument(
        "--approved-by", metavar="NAME", help="the head of the unit who signs (Thủ trưởng đơn vị)"
    )
    group.add_argument(
        "--place", metavar="PLACE", help="place name of the signing line, e.g. 'Nghi Hương'"
    )
    group.add_argument(
        "--signed-on",
        type=_date,
        metavar="DATE",
        help="date of the signing line: YYYY-MM-DD, DD/MM/YYYY or 'today' "
        "(default: blanks to fill in by hand)",
    )


FORM_ONLY_OPTIONS: Final = {
    "form_only": "--form-only",
    "receiving_unit": "--receiving-unit",
    "prepared_by": "--prepared-by",
    "approved_by": "--approved-by",
    "place": "--place",
    "signed_on": "--signed-on",
}
"""The form options (``dest`` → option) that fill Biểu số 06 only: a service index has no
receiving unit, signature block or indicator columns to leave out (it takes ``--lang``)."""


def refuse_form_options(args: argparse.Namespace, what: str) -> None:
    """Refuse the :data:`FORM_ONLY_OPTIONS` given for an output that is not the Biểu số 06
    form (``what``: "a service index"), rather than ignore them (exit 2).

    >>> p = argparse.ArgumentParser()
    >>> add_form_arguments(p)
    >>> refuse_form_options(p.parse_args(["--lang", "vi"]), "a service index")
    >>> refuse_form_options(p.parse_args(["--place", "Nghi Hương"]), "a service index")
    Traceback (most recent call last):
    ...
    tthc.errors.InvalidInputError: --place applies to the Biểu số 06 form only, not to a service index: drop it
    """
    given = [option for dest, option in FORM_ONLY_OPTIONS.items() if getattr(args, dest, None)]
    if given:
        them = "them" if len(given) > 1 else "it"
        apply = "apply" if len(given) > 1 else "applies"
        raise InvalidInputError(
            f"{', '.join(given)} {apply} to the Biểu số 06 form only, not to {what}: drop {them}"
        )


def form_options(args: argparse.Namespace) -> FormOptions:
    """The :class:`~tthc.report.FormOptions` the parsed arguments ask for.

    >>> p = argparse.ArgumentParser()
    >>> add_form_arguments(p)
    >>> form_options(p.parse_args(["--form-only", "--place", "Nghi Hương"])).place
    'Nghi Hương'
    """
    return FormOptions(
        lang=args.lang,
        form_only=args.form_only,
        receiving_unit=args.receiving_unit,
        prepared_by=args.prepared_by,
        approved_by=args.approved_by,
        place=args.place,
        signed_on=args.signed_on,
        # On standard output the rejected rows are already on standard error: not twice.
        list_rejections=getattr(args, "output", None) not in (None, "-"),
    )


def terminal_width(output: str | None = None) -> int:
    """Columns for the ``table`` format: ``$COLUMNS`` when set; else, printed on standard
    output, the width of its terminal; else (``-o FILE``, a pipe) the library's
    :data:`~tthc.report.DEFAULT_WIDTH`, so that a table written to a file does not depend on
    the terminal the command was typed in.

    >>> terminal_width("q1.txt") == (int(os.environ.get("COLUMNS", 0) or 0) or DEFAULT_WIDTH)
    True
    """
    if output in (None, "-"):
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    try:
        return int(os.environ.get("COLUMNS", "")) or DEFAULT_WIDTH
    except ValueError:
        return DEFAULT_WIDTH
