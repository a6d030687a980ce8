"""``tthc completion bash|zsh``: the scripts are valid shell and complete what the parser knows."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tthc.cli import build_parser, main

BASH = shutil.which("bash")
ZSH = shutil.which("zsh")


def _script(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


@pytest.fixture
def bash_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "tthc.bash"
    path.write_text(_script("bash", capsys), encoding="utf-8")
    return path


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
def test_bash_script_is_syntactically_valid(bash_script: Path) -> None:
    assert BASH is not None
    result = subprocess.run([BASH, "-n", str(bash_script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _bash_complete(script: Path, words: list[str], cwd: Path) -> list[str]:
    assert BASH is not None
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    program = (
        f"source '{script}'\n"
        f"COMP_WORDS=({quoted}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n"
        "_tthc_complete\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        [BASH, "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
    )
    return sorted(line for line in result.stdout.splitlines() if line)


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["tthc", "ca"], ["calendar", "catalog"]),
        (["tthc", "--debug", "ca"], ["calendar", "catalog"]),
        (["tthc", "dossier", ""], ["replay", "slip"]),
        (["tthc", "due", ""], ["now"]),
        (["tthc", "due", "now", "05 ngày", "--fo"], ["--format"]),
        (["tthc", "due", "now", "x", "--format", ""], ["json", "text"]),
        (["tthc", "report", "--format", "j"], ["json"]),
        (["tthc", "report", "--withdrawn", ""], ["by_date", "exclude", "on_time"]),
        (
            ["tthc", "dossier", "slip", "--kind", "re"],
            ["receipt", "refusal"],
        ),
        (["tthc", "catalog", "--domain", "ho"], ["ho_tich"]),
        (["tthc", "schema", "Doss"], ["Dossier", "DossierEvent"]),
        (["tthc", "completion", ""], ["bash", "zsh"]),
        # An option's value is not taken for a sub-command.
        (["tthc", "report", "--format", "json", "--wi"], ["--withdrawn"]),
    ],
)
def test_bash_completes_subcommands_options_and_values(
    bash_script: Path, tmp_path: Path, words: list[str], expected: list[str]
) -> None:
    assert _bash_complete(bash_script, words, tmp_path) == expected


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
def test_bash_completes_files_where_a_file_is_expected(bash_script: Path, tmp_path: Path) -> None:
    (tmp_path / "q1.csv").write_text("code\n", encoding="utf-8")
    (tmp_path / "q2.csv").write_text("code\n", encoding="utf-8")
    assert _bash_complete(bash_script, ["tthc", "report", "q"], tmp_path) == ["q1.csv", "q2.csv"]
    assert _bash_complete(bash_script, ["tthc", "due", "x", "y", "--overlay", "q1"], tmp_path) == [
        "q1.csv"
    ]


def test_every_subcommand_is_in_both_scripts(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.choices and a.dest == "command").choices
    assert commands is not None
    for shell in ("bash", "zsh"):
        script = _script(shell, capsys)
        line = next(s for s in script.splitlines() if s.strip().startswith('"_") echo'))
        assert set(line.split('"')[3].split()) == set(commands)


@pytest.mark.skipif(ZSH is None, reason="zsh is not installed")
def test_zsh_script_is_valid_and_completes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ZSH is not None
    script = tmp_path / "_tthc"
    script.write_text(_script("zsh", capsys), encoding="utf-8")
    assert subprocess.run([ZSH, "-n", str(script)], capture_output=True).returncode == 0
    # compsys needs a terminal; stand-ins for compdef/compadd/_files record what is offered.
    program = (
        "compdef() { : }\n"
        'compadd() { [[ $1 == -- ]] && shift; print -l -- "$@" }\n'
        "_files() { print -- '<files>' }\n"
        f"source '{script}'\n"
        "words=(tthc dossier slip --kind ''); CURRENT=${#words}; _tthc\n"
        "words=(tthc report ''); CURRENT=${#words}; _tthc\n"
    )
    result = subprocess.run([ZSH, "-f", "-c", program], capture_output=True, text=True, check=True)
    offered = result.stdout.split()
    assert {"receipt", "refusal", "apology", "control_sheet", "supplement_request"} <= set(offered)
    assert "<files>" in offered


def test_unknown_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "fish"]) == 2
    assert "invalid choice" in capsys.readouterr().err
