"""``tthc completion bash|zsh``: print a shell completion script (no extra dependency).

The script is generated from the command line's own argument parser, so it always knows every
sub-command, option and choice of the installed version: sub-commands (``tthc ca<TAB>`` →
``calendar catalog``), options (``tthc report --fo<TAB>``), option values with a fixed list
(``--format <TAB>`` → ``table csv json …``), files where a file is expected, ``now`` for
``tthc due``'s receipt instant and the model names of ``tthc schema``. Install it once::

    # bash (bash-completion loads it on demand)
    tthc completion bash > ~/.local/share/bash-completion/completions/tthc
    # zsh (a directory of your $fpath, then restart the shell)
    tthc completion zsh > ~/.zfunc/_tthc

or load it from the shell's start-up file: ``eval "$(tthc completion bash)"`` in ``~/.bashrc``,
``source <(tthc completion zsh)`` after ``compinit`` in ``~/.zshrc``.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tthc._cli._exit import EXIT_OK
from tthc._version import __version__

__all__ = ["SHELLS", "Context", "completion_contexts", "register", "render_bash", "render_zsh"]

SHELLS = ("bash", "zsh")
"""The shells ``tthc completion`` writes a script for."""

FILE = "@file"
"""Marker: complete file names."""

_SAFE_WORD = re.compile(r"[A-Za-z0-9_.:+/=-]+")
"""Words written into the script unquoted; anything else is left out (never a broken script)."""

_FILE_WORDS = ("FILE", "JSONL", "CSV", "DIR", "OUT", "PATH")
"""Metavars (or destinations) that name a file or directory argument."""

_POSITIONAL_WORDS: dict[tuple[str, ...], tuple[str, ...] | None] = {
    ("due",): ("now",),
}
"""Positional values argparse does not know: ``tthc due now …``. ``tthc schema``'s model
names are added at run time (they are the public models of the installed version)."""


@dataclass
class Context:
    """What can follow at one level of the command line (``tthc``, ``tthc due``,
    ``tthc dossier replay``…)."""

    options: list[str] = field(default_factory=list)
    value_options: dict[str, list[str]] = field(default_factory=dict)
    subcommands: list[str] = field(default_factory=list)
    positional: list[str] = field(default_factory=list)


def _is_file(action: argparse.Action) -> bool:
    names = [str(action.metavar or ""), str(action.dest or "")]
    if action.type is Path or isinstance(action.type, argparse.FileType):
        return True
    return any(word in name.upper() for name in names for word in _FILE_WORDS)


def _values(action: argparse.Action) -> list[str]:
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        return [str(c) for c in action.choices if _SAFE_WORD.fullmatch(str(c))]
    return [FILE] if _is_file(action) else []


def completion_contexts(parser: argparse.ArgumentParser) -> dict[tuple[str, ...], Context]:
    """Every level of ``parser`` (the key is the sub-command path) with what can follow it.

    >>> from tthc.cli import build_parser
    >>> contexts = completion_contexts(build_parser())
    >>> "calendar" in contexts[()].subcommands, contexts[("due",)].value_options["--format"]
    (True, ['text', 'json'])
    """
    out: dict[tuple[str, ...], Context] = {}

    def walk(p: argparse.ArgumentParser, key: tuple[str, ...]) -> None:
        ctx = out.setdefault(key, Context())
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    if _SAFE_WORD.fullmatch(name):
                        ctx.subcommands.append(name)
                        walk(sub, (*key, name))
                continue
            if action.option_strings:
                ctx.options.extend(o for o in action.option_strings if _SAFE_WORD.fullmatch(o))
                if action.nargs != 0:
                    for option in action.option_strings:
                        ctx.value_options[option] = _values(action)
            else:
                for value in _values(action):
                    if value not in ctx.positional:
                        ctx.positional.append(value)
        for value in _POSITIONAL_WORDS.get(key) or ():
            if value not in ctx.positional:
                ctx.positional.append(value)

    walk(parser, ())
    schema = out.get(("schema",))
    if schema is not None:
        from tthc._cli._catalog import public_models

        schema.positional.extend(n for n in public_models() if _SAFE_WORD.fullmatch(n))
    catalog = out.get(("catalog",))
    if catalog is not None and "--domain" in catalog.value_options:
        from tthc.catalog import domains

        catalog.value_options["--domain"] = [
            d.code for d in domains() if _SAFE_WORD.fullmatch(d.code)
        ]
    return out


def _key(path: tuple[str, ...]) -> str:
    return "_".join(path) or "_"


def _words(values: list[str]) -> str:
    return " ".join(values)


def _case(name: str, arms: list[tuple[str, str]], args: str) -> str:
    lines = [f"{name}() {{", f'    case "{args}" in']
    lines += [f'        "{pattern}") echo "{body}" ;;' for pattern, body in arms]
    lines += ["    esac", "}"]
    return "\n".join(lines)


def _data_functions(contexts: dict[tuple[str, ...], Context]) -> str:
    """The shell functions holding the parser's data (valid in bash and zsh alike)."""
    subs = [(_key(k), _words(c.subcommands)) for k, c in contexts.items() if c.subcommands]
    opts = [(_key(k), _words(c.options)) for k, c in contexts.items() if c.options]
    valopts = [(_key(k), _words(list(c.value_options))) for k, c in contexts.items()]
    values = [
        (f"{_key(k)} {option}", _words(v))
        for k, c in contexts.items()
        for option, v in c.value_options.items()
        if v
    ]
    positional = [(_key(k), _words(c.positional)) for k, c in contexts.items() if c.positional]
    return "\n\n".join(
        [
            _case("_tthc_subs", subs, "$1"),
            _case("_tthc_opts", opts, "$1"),
            _case("_tthc_valopts", [v for v in valopts if v[1]], "$1"),
            _case("_tthc_values", values, "$1 $2"),
            _case("_tthc_positional", positional, "$1"),
        ]
    )


_HEADER = (
    "# {shell} completion for tthc {version}, generated by `tthc completion {shell}`.\n"
    "# Regenerate after upgrading tthc. See docs/cli.md (Shell completion) to install it."
)

_BASH_MAIN = r"""
_tthc_complete() {
    local cur prev key w i skip values
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev=""
    (( COMP_CWORD > 0 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"
    key="_"
    skip=0
    for (( i=1; i<COMP_CWORD; i++ )); do
        w="${COMP_WORDS[i]}"
        if (( skip )); then skip=0; continue; fi
        case "$w" in
            -*=*) continue ;;
            -*) [[ " $(_tthc_valopts "$key") " == *" $w "* ]] && skip=1; continue ;;
        esac
        if [[ " $(_tthc_subs "$key") " == *" $w "* ]]; then
            if [[ $key == "_" ]]; then key="$w"; else key="${key}_$w"; fi
        fi
    done
    COMPREPLY=()
    if [[ " $(_tthc_valopts "$key") " == *" $prev "* ]]; then
        values="$(_tthc_values "$key" "$prev")"
    elif [[ $cur == -* ]]; then
        values="$(_tthc_opts "$key")"
    elif [[ -n "$(_tthc_subs "$key")" ]]; then
        values="$(_tthc_subs "$key")"
    else
        values="$(_tthc_positional "$key")"
    fi
    if [[ " $values " == *" @file "* ]]; then
        values="${values//@file/}"
        compopt -o filenames 2>/dev/null
        COMPREPLY=( $(compgen -f -- "$cur") )
    fi
    COMPREPLY+=( $(compgen -W "$values" -- "$cur") )
    return 0
}

complete -F _tthc_complete tthc
"""

_ZSH_MAIN = r"""
_tthc() {
    local cur prev key w i skip values
    local -a choices
    cur="${words[CURRENT]}"
    prev="${words[CURRENT-1]}"
    key="_"
    skip=0
    for (( i=2; i<CURRENT; i++ )); do
        w="${words[i]}"
        if (( skip )); then skip=0; continue; fi
        case "$w" in
            -*=*) continue ;;
            -*) [[ " $(_tthc_valopts "$key") " == *" $w "* ]] && skip=1; continue ;;
        esac
        if [[ " $(_tthc_subs "$key") " == *" $w "* ]]; then
            if [[ $key == "_" ]]; then key="$w"; else key="${key}_$w"; fi
        fi
    done
    if [[ " $(_tthc_valopts "$key") " == *" $prev "* ]]; then
        values="$(_tthc_values "$key" "$prev")"
    elif [[ $cur == -* ]]; then
        values="$(_tthc_opts "$key")"
    elif [[ -n "$(_tthc_subs "$key")" ]]; then
        values="$(_tthc_subs "$key")"
    else
        values="$(_tthc_positional "$key")"
    fi
    choices=( ${=values} )
    if (( ${choices[(I)@file]} )); then
        choices=( ${choices:#@file} )
        _files
    fi
    (( ${#choices} )) && compadd -- "${choices[@]}"
    return 0
}

if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then
    _tthc "$@"
else
    compdef _tthc tthc
fi
"""


def render_bash(parser: argparse.ArgumentParser) -> str:
    """The bash completion script for ``parser`` (``tthc completion bash``).

    >>> from tthc.cli import build_parser
    >>> script = render_bash(build_parser())
    >>> "complete -F _tthc_complete tthc" in script
    True
    """
    header = _HEADER.format(shell="bash", version=__version__)
    return f"{header}\n\n{_data_functions(completion_contexts(parser))}\n{_BASH_MAIN}"


def render_zsh(parser: argparse.ArgumentParser) -> str:
    """The zsh completion script for ``parser`` (``tthc completion zsh``): a ``#compdef``
    file for a directory of ``$fpath``, which also works when sourced after ``compinit``.

    >>> from tthc.cli import build_parser
    >>> render_zsh(build_parser()).splitlines()[0]
    '#compdef tthc'
    """
    header = _HEADER.format(shell="zsh", version=__version__)
    return f"#compdef tthc\n{header}\n\n{_data_functions(completion_contexts(parser))}\n{_ZSH_MAIN}"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``completion`` to ``subparsers``."""
    p = subparsers.add_parser(
        "completion",
        help="print a shell completion script (bash or zsh)",
        description="Print the completion script of SHELL for tthc's sub-commands, options and "
        "values. Install: `tthc completion bash > "
        "~/.local/share/bash-completion/completions/tthc`, or `tthc completion zsh > "
        "~/.zfunc/_tthc` (a directory of $fpath); or load it from ~/.bashrc with "
        '`eval "$(tthc completion bash)"` / from ~/.zshrc with `source <(tthc completion zsh)`.',
    )
    p.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash or zsh")
    p.set_defaults(func=_completion)


def _completion(args: argparse.Namespace) -> int:
    from tthc._cli import build_parser

    parser = build_parser()
    print(render_bash(parser) if args.shell == "bash" else render_zsh(parser), end="")
    return EXIT_OK
