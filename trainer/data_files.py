"""Reading the trainer's TOML data files (procedures, scenarios, the patient): every way a file can
be unreadable becomes one ScenarioError that names the file, the field and the problem.

A file nested thousands of levels deep (`[[[[...]]]]`) would otherwise end in a RecursionError inside
the TOML parser or the validator, and one a few hundred deep in a message about JSON. The shipped
files nest at most 7 levels (a drawn polygon's points), so MAX_TOML_DEPTH leaves room to spare.
"""

from __future__ import annotations

import tomllib
from typing import Any

import pydantic

from trainer.errors import ScenarioError

MAX_TOML_DEPTH = 24


def read_toml(path: str) -> dict[str, Any]:
    """The parsed document, or a ScenarioError naming what is wrong with the file."""
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except OSError as exc:
        raise ScenarioError(path, "(file)", f"cannot be read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, "(syntax)", f"not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ScenarioError(path, "(file)", "not a UTF-8 text file") from None
    except RecursionError:
        raise ScenarioError(path, "(syntax)", f"nested more than {MAX_TOML_DEPTH} levels deep") from None
    deep = too_deep(raw, MAX_TOML_DEPTH)
    if deep is not None:
        raise ScenarioError(
            path, field_name(deep[:6]), f"nested more than {MAX_TOML_DEPTH} levels deep (lists inside lists)"
        )
    return raw


def too_deep(document: Any, limit: int) -> tuple[int | str, ...] | None:
    """The path to the first value nested more than `limit` levels deep, or None (no recursion)."""
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(document, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > limit:
            return path[:limit]
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        stack.extend((child, (*path, key)) for key, child in items)
    return None


def field_name(loc: tuple[int | str, ...]) -> str:
    """`planes[0].structures[2].circle` from a location path (pydantic's union tags left out)."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        elif not part.startswith(("function-", "tagged-union", "list[", "tuple[")):
            name += f".{part}" if name else part
    return name or "(top level)"


def validation_error(path: str, exc: pydantic.ValidationError) -> ScenarioError:
    """The first problem pydantic found, as a ScenarioError."""
    err = exc.errors()[0]
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown key (check the spelling against docs/scenario-format.md)"
    elif err["type"] == "missing":
        msg = "required but missing"
    return ScenarioError(path, field_name(err["loc"]), msg)
