"""Command-line option values converted without Pydantic, for the command group of `app.py`.

Recent Typer converts every option value, defaults included, through a Pydantic `TypeAdapter`:
importing Pydantic and building one adapter per option cost about a third of an everyday
command's run (`python -X importtime -m studykit check`). studykit's options are plain strings,
paths, lists of strings and bounded numbers, so `FastGroup` gives each of its commands'
options a converter for exactly those. Anything else, and any value that is not plainly
valid (an out-of-range number, a word where a number goes), takes Typer's own path, so
messages for bad input stay Typer's, word for word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from typer._click import Context
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_path
from typer.core import TyperGroup, _TyperParameter

# Strings Python and Pydantic read as the same number; others go to Typer.
_INT = re.compile(r"[0-9]{1,18}")
_FLOAT = re.compile(r"[0-9]{1,15}(\.[0-9]{1,15})?|\.[0-9]{1,15}")


@dataclass(frozen=True)
class _Plain(RuntimeParam):
    """Converts the plain values of one option; hands the rest to Typer's converter."""

    kind: str

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        done = _convert(self.kind, value, self.parameter_info)
        if done is not _UNSURE:
            if self.kind == "path":
                path_type = self.parameter_info.path_type or self.annotation
                return coerce_cli_path(
                    done, self.parameter_info, path_type=path_type, param=param, ctx=ctx
                )
            return done
        typer_param = build_runtime_param(
            TypeDescriptor(self.annotation, self.parameter_info, None)
        )
        return typer_param._coerce_value(value, param=param, ctx=ctx)


_UNSURE = object()


def _convert(kind: str, value: Any, info: Any) -> Any:
    """The value converted as Typer would, or _UNSURE when only Typer can say."""
    if kind in ("str", "bool"):
        return value if type(value).__name__ == kind else _UNSURE
    if kind == "strs":
        ok = isinstance(value, list | tuple) and all(type(v) is str for v in value)
        return list(value) if ok else _UNSURE
    if kind == "path":
        if isinstance(value, Path):
            return value
        return Path(value) if type(value) is str and value else _UNSURE
    number = _number(kind, value)
    if number is None or info.clamp:
        return _UNSURE
    if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
        return _UNSURE
    return number


def _number(kind: str, value: Any) -> int | float | None:
    if kind == "int":
        if type(value) is int:
            return value
        return int(value) if type(value) is str and _INT.fullmatch(value) else None
    if type(value) in (int, float) or (type(value) is str and _FLOAT.fullmatch(value)):
        return float(value)
    return None


def _kind(descriptor: TypeDescriptor) -> str | None:
    """Which plain converter fits an option, or None to leave it to Typer."""
    info, annotation = descriptor.parameter_info, descriptor.annotation
    if descriptor.file_annotation is not None or info.parser is not None:
        return None
    origin: object = get_origin(annotation)
    if origin is list and get_args(annotation) == (str,):
        return "strs"
    if annotation is str or annotation is bool:
        return annotation.__name__
    if annotation is int or annotation is float:
        return annotation.__name__
    plain_path = not (info.exists or info.resolve_path or info.allow_dash or info.path_type)
    if annotation is Path and plain_path:
        return "path"
    return None


class FastGroup(TyperGroup):
    """The command group: gives its own and its commands' options the plain converters above."""

    def get_params(self, ctx: Context) -> list[Any]:
        """The group's options (--version, --help), ready to convert without Pydantic."""
        return _plain(super().get_params(ctx))

    def get_command(self, ctx: Context, cmd_name: str) -> Any:
        """The command named, its options ready to convert values without Pydantic."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            # A command's help option takes its names from the context, the same as here.
            _plain(command.get_params(ctx))
        return command


def _plain(params: list[Any]) -> list[Any]:
    for param in params:
        if isinstance(param, _TyperParameter) and param._runtime_param is None:
            kind = _kind(param.type_descriptor)
            if kind is not None:
                desc = param.type_descriptor
                param._runtime_param = _Plain(desc.parameter_info, desc.annotation, kind)
    return params
