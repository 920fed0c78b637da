"""`studykit --help` against the `--help` of a bare Typer app declaring the same commands.

Rich help alone costs about twice a bare `import typer`, so a bare Typer app with the same
commands and options is the fair baseline: the goal (at most 1.2x) means nothing of studykit's
own lies on the way to help.

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import typer.main
from timing import alternate, report

from studykit.cli.app import app


def baseline_source() -> str:
    """Python source of a Typer app with studykit's commands, options and help, and no body."""
    group = typer.main.get_command(app)
    lines = [
        "from typing import Annotated, Optional",
        "import typer",
        "",
        "app = typer.Typer(add_completion=False, no_args_is_help=True)",
        "",
    ]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        params = []
        for param in command.params:
            if param.name in (None, "help"):
                continue
            help_text = repr(getattr(param, "help", None) or "")
            if type(param).__name__.endswith("Argument"):
                kind = (
                    "Optional[list[str]]"
                    if param.multiple or param.nargs == -1
                    else "Optional[str]"
                )
                params.append(f"{param.name}: Annotated[{kind}, typer.Argument()] = None")
            elif getattr(param, "is_flag", False):
                decls = ", ".join(repr(o) for o in [*param.opts, *param.secondary_opts])
                option = f"typer.Option({decls}, help={help_text})"
                params.append(f"{param.name}: Annotated[bool, {option}] = False")
            else:
                decls = ", ".join(repr(o) for o in param.opts)
                option = f"typer.Option({decls}, help={help_text})"
                params.append(f"{param.name}: Annotated[Optional[str], {option}] = None")
        doc = repr(command.help or "")
        lines += [
            f"@app.command({name!r})",
            f"def cmd_{name}({', '.join(params)}) -> None:",
            f"    {doc}",
            "",
        ]
    lines += ["if __name__ == '__main__':", "    app()"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        baseline = Path(tmp) / "bare_typer_app.py"
        baseline.write_text(baseline_source())
        medians = alternate(
            {
                "studykit --help": [sys.executable, "-m", "studykit", "--help"],
                "bare Typer app --help": [sys.executable, str(baseline), "--help"],
            },
            args.runs,
        )
    goals = {"bare Typer app --help": 1.2}
    ok = report("startup: --help", medians, "studykit --help", goals)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
