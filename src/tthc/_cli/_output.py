"""Where a command's output goes: the format a suffix names, the checks that protect the input,
and writing the file whole or not at all (:func:`tthc._io.atomic_output`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Final

from tthc._io import atomic_output, same_file, written_directly
from tthc.errors import InvalidInputError, OutputError

__all__ = [
    "LISTING_SUFFIX",
    "REJECTIONS_OPTION",
    "SUFFIX_FORMATS",
    "check_not_an_input",
    "check_outputs",
    "output_format",
    "write_output",
]

SUFFIX_FORMATS: Final[dict[str, str]] = {
    ".csv": "csv",
    ".json": "json",
    ".md": "md",
    ".markdown": "md",
    ".xlsx": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".txt": "table",
}
"""The output format each ``-o`` suffix names."""
REJECTIONS_OPTION: Final = "--rejections"
"""The option naming the file that lists every rejected row (:data:`LISTING_SUFFIX`)."""
LISTING_SUFFIX: Final = ".csv"
"""The one suffix a ``--rejections`` file may have: the list is written as CSV."""

_HINTS: Final[dict[str, tuple[str, str, tuple[str, ...]]]] = {
    ".pdf": (
        "there is no PDF output",
        "write the form as {} and print that to PDF",
        ("html", "xlsx"),
    ),
    ".xls": ("the old .xls format is not written", "use {}", ("xlsx",)),
    ".doc": ("there is no Word output", "write {}", ("html", "xlsx")),
    ".docx": ("there is no Word output", "write {}", ("html", "xlsx")),
    ".ods": ("the .ods format is not written", "use {} (LibreOffice opens it)", ("xlsx",)),
}
"""For a suffix people try: what it means, the advice, and the formats the advice may name
instead (only those the command writes are named; without any, the advice is left out)."""


def _hint(suffix: str, formats: Sequence[str]) -> str | None:
    """Why ``suffix`` is not written, advising only among ``formats`` (the command's own).

    >>> _hint(".pdf", ("table", "xlsx", "html"))
    'there is no PDF output: write the form as .html or .xlsx and print that to PDF'
    >>> _hint(".pdf", ("text", "html"))
    'there is no PDF output: write the form as .html and print that to PDF'
    >>> _hint(".pdf", ("text", "json"))
    'there is no PDF output'
    """
    hint = _HINTS.get(suffix)
    if hint is None:
        return None
    what, advice, instead = hint
    usable = [f".{f}" for f in instead if f in formats]
    return f"{what}: {advice.format(' or '.join(usable))}" if usable else what


def output_format(
    given: str | None,
    output: str | os.PathLike[str] | None,
    formats: Sequence[str],
    default: str = "table",
    suffixes: Mapping[str, str] = SUFFIX_FORMATS,
) -> str:
    """The output format: ``--format`` if given, else the one ``-o``'s suffix names (in
    ``suffixes``), else ``default``. A suffix no format owns, or one that contradicts
    ``--format``, is refused. A file name without a suffix (``-o report``) needs
    ``--format``; a device or a pipe (``/dev/null``, ``/dev/stdout`` on a terminal), which
    is written directly, takes ``default`` without it, as standard output does.

    >>> output_format(None, "q1.xlsx", ("table", "xlsx"))
    'xlsx'
    >>> output_format("csv", "q1.xlsx", ("csv", "xlsx"))
    Traceback (most recent call last):
    ...
    tthc.errors.InvalidInputError: -o q1.xlsx names the xlsx format but --format says csv; make them agree
    """
    if output is None or output == "-":
        return given or default
    output = os.fspath(output)
    suffix = Path(output).suffix.lower()
    if not suffix and given is not None:
        return given  # -o /dev/null --format json, -o report --format csv
    if not suffix and written_directly(output):
        return default  # -o /dev/null: as standard output
    named = suffixes.get(suffix)
    if named is None or named not in formats:
        hint = _hint(suffix, formats)
        known = ", ".join(s for s, f in suffixes.items() if f in formats)
        raise InvalidInputError(
            f"-o {output}: "
            + (
                hint
                if hint
                else (
                    f"no output format is written as {suffix!r}"
                    if suffix
                    else "a file name without a suffix needs --format"
                )
            )
            + f"; the suffixes are {known}"
        )
    if given is not None and given != named:
        raise InvalidInputError(
            f"-o {output} names the {named} format but --format says {given}; make them agree"
        )
    return named


def check_not_an_input(
    output: str | os.PathLike[str] | None,
    inputs: Iterable[str | os.PathLike[str]],
    option: str = "-o",
) -> None:
    """Refuse an output that is one of the inputs (the same file: another spelling of the
    path or a hard link counts), which writing would destroy; ``option`` is the option that
    gave ``output`` (``-o``, ``--rejections``), named in the message.

    Raises:
        OutputError: naming the option and both files.
    """
    if output is None or os.fspath(output) == "-":
        return
    for name in inputs:
        if os.fspath(name) != "-" and same_file(output, name):
            raise OutputError(
                f"{option} {output} is the input file {name}: writing it would replace the data; "
                "choose another output name"
            )


def _same_output(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two outputs would write the same file: the same path once symbolic links and
    ``..`` are resolved (the files may not exist yet), or the same existing file (a hard
    link). A device or a pipe (``/dev/null``) may take two outputs."""
    if written_directly(a) or written_directly(b):
        return False
    return os.path.realpath(a) == os.path.realpath(b) or same_file(a, b)


def _check_target(option: str, output: str | os.PathLike[str]) -> None:
    """Refuse an output file that cannot be made: its folder does not exist, or it is a
    folder. ``option`` (``-o``, ``--rejections``) is named in the message.

    Raises:
        OutputError: naming the option and the path.
    """
    directory = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(directory):
        raise OutputError(f"{option} {output}: the folder {directory} does not exist")
    if os.path.isdir(output):
        raise OutputError(f"{option} {output} is a folder; give a file name")


def _check_listing_suffix(option: str, output: str | os.PathLike[str]) -> None:
    """Refuse a ``--rejections`` name whose suffix is not ``.csv``: the list is always CSV,
    and a ``.xlsx`` or ``.json`` file holding CSV would not open as one. A name without a
    suffix (``/dev/null``) is taken as it is.

    Raises:
        InvalidInputError: naming the option and the suffix.
    """
    suffix = Path(output).suffix
    if suffix and suffix.lower() != LISTING_SUFFIX:
        raise InvalidInputError(
            f"{option} {output}: the list of rejected rows is written as CSV only, not as "
            f"{suffix!r}; name it {Path(output).with_suffix(LISTING_SUFFIX).name}"
        )


def check_outputs(
    inputs: Iterable[str | os.PathLike[str]],
    *outputs: tuple[str, str | os.PathLike[str] | None],
) -> None:
    """Refuse, before anything is read, an output that is an input
    (:func:`check_not_an_input`) or the same file as another output of the command (another
    spelling of the path, a symbolic or a hard link counts), which would replace the first
    one written; an output whose folder does not exist or that is a folder; and a
    ``--rejections`` list not named ``.csv`` (:data:`LISTING_SUFFIX`). ``outputs`` are
    ``(option, path)`` pairs, ``path`` ``None`` when not given; ``-`` (standard output) is
    never a file.

    >>> check_outputs(["in.csv"], ("-o", "q1.csv"), ("--rejections", "./q1.csv"))
    Traceback (most recent call last):
    ...
    tthc.errors.OutputError: q1.csv is given for two outputs (-o q1.csv and --rejections ./q1.csv): the second written would replace the first; give each its own name

    Raises:
        OutputError: naming the option(s) and the file(s).
    """
    given = [(option, path) for option, path in outputs if path is not None]
    for option, path in given:
        check_not_an_input(path, inputs, option)
        if os.fspath(path) != "-":
            _check_target(option, path)
            if option == REJECTIONS_OPTION:
                _check_listing_suffix(option, path)
    for i, (option, path) in enumerate(given):
        for other_option, other in given[i + 1 :]:
            if "-" in (os.fspath(path), os.fspath(other)):
                continue
            if _same_output(path, other):
                raise OutputError(
                    f"{path} is given for two outputs ({option} {path} and {other_option} "
                    f"{other}): the second written would replace the first; give each its "
                    "own name"
                )


def write_output(data: str | bytes, output: str | None, fmt: str) -> None:
    """Write ``data`` to ``output`` whole or not at all (a temporary file in the same folder,
    renamed into place when complete), or to standard output when ``output`` is ``None``
    (binary formats only when it is not a terminal).

    Raises:
        InvalidInputError: a binary format for a terminal.
        OutputError: the file cannot be written.
    """
    if output is not None and output != "-":
        _check_target("-o", output)
        mode = "wb" if isinstance(data, bytes) else "w"
        with atomic_output(output, mode) as handle:
            handle.write(data)
        return
    if isinstance(data, bytes):
        if sys.stdout.isatty():
            raise InvalidInputError(f"{fmt} output is binary: write it to a file with -o OUT.{fmt}")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    sys.stdout.write(data)
    sys.stdout.flush()
