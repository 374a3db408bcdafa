"""Reading the YAML files people write (goals, experiments): validated against a pydantic
model, every problem reported with its field path and the closest known key."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from socialkpi.config import PLATFORMS
from socialkpi.config.settings import SettingsError, read_yaml


def read_checked(path: str | Path, model: type[BaseModel], error: type[Exception], what: str):
    """A YAML file (goals, experiments) validated as ``model``; otherwise ``error`` naming
    the file and every problem by its field path."""
    path = Path(path)
    try:
        data = read_yaml(path, what)
    except SettingsError as err:
        raise error(err.message()) from err
    try:
        return model.model_validate(data)
    except ValidationError as err:
        lines = field_problems(err, model)
        raise error(f"{path}: {len(lines)} problem(s)\n" + "\n".join(lines)) from err


def known_platforms(platforms: list[str]) -> list[str]:
    """``platforms`` if socialkpi knows each one, else a ValueError naming the others."""
    unknown = [p for p in platforms if p not in PLATFORMS]
    if unknown:
        raise ValueError(f"unknown platforms {unknown}; use {', '.join(PLATFORMS)}")
    return platforms


def repeated(ids: list[str]) -> list[str]:
    """The ids listed more than once, sorted."""
    return sorted({i for i in ids if ids.count(i) > 1})


def field_problems(err: ValidationError, model: type[BaseModel] | None = None) -> list[str]:
    """A YAML file's validation errors, one line each with its field path
    (``  goals[0].target: give exactly one of ...``); a key no field has gets the closest
    field name of ``model`` (``did you mean 'target'?``)."""
    import difflib

    names = sorted(_field_names(model)) if model is not None else []
    lines = []
    for e in err.errors():
        where = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in e["loc"])
        where = where.replace(".[", "[")
        said = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden" and e["loc"]:
            key = str(e["loc"][-1])
            close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
            said = f"unknown key {key!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
        lines.append(f"  {where or '(file)'}: {said}")
    return lines


def _field_names(model, seen=None) -> set[str]:
    """Every field name of a pydantic model and of the models inside it."""
    import typing

    seen = seen if seen is not None else set()
    if not (isinstance(model, type) and issubclass(model, BaseModel)) or model in seen:
        return set()
    seen.add(model)
    out = set(model.model_fields)
    for info in model.model_fields.values():
        stack = [info.annotation]
        while stack:
            kind = stack.pop()
            stack += list(typing.get_args(kind))
            out |= _field_names(kind, seen)
    return out
