"""Where the trainer's bundled data lives: the one module that knows.

Scenarios, fonts, the expert reference and any later data ship inside the package, under
`trainer/data/`, and are found through `importlib.resources`, so an installed wheel has them with no
repository around it. Read data through these functions, never through `__file__`:

- `data_file("expert_reference.json")`, `data_dir("scenarios")`: Traversables to read
  (`read_text`, `read_bytes`, `open`, `iterdir`).
- `data_path("fonts")`: a real file-system path, for libraries that want one (pygame and matplotlib
  fonts, file stamps); data that is not on disk (a zipped install) is copied once to the user cache.
- `writable_data_file("expert_reference.json")`: where bundled data may be rebuilt in place, which is
  only in a source checkout; an installed package's data never changes under its users.
"""

from __future__ import annotations

import os
import shutil
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

PACKAGE = "trainer"
DATA_FOLDER = "data"
APP_NAME = "thoracic-trainer"
INSTALLED_FOLDERS = frozenset({"site-packages", "dist-packages"})  # where installers put packages


def data_root() -> Traversable:
    """The folder of all bundled data."""
    return files(PACKAGE) / DATA_FOLDER


def data_file(*parts: str) -> Traversable:
    """A bundled file, e.g. `data_file("fonts", "DejaVuSans.ttf")` (reading a missing one raises OSError)."""
    return _resource(parts)


def data_dir(*parts: str) -> Traversable:
    """A bundled folder, e.g. `data_dir("scenarios")`; `iterdir()` lists it."""
    return _resource(parts)


def data_path(*parts: str) -> Path:
    """A bundled file or folder as a real file-system path."""
    resource = _resource(parts)
    if isinstance(resource, Path):
        return resource
    target = Path(platformdirs.user_cache_dir(APP_NAME)).joinpath("data", *parts)
    if not target.exists():
        copy_tree(resource, target)
    return target


def writable_data_file(*parts: str) -> Path | None:
    """The bundled file's own path when this is a writable source checkout (run from the repository
    or installed editable), else None: rebuilt data then has to be written somewhere else."""
    root = data_root()
    if not isinstance(root, Path) or INSTALLED_FOLDERS & set(root.parts) or not os.access(root, os.W_OK):
        return None
    return root.joinpath(*parts)


def copy_tree(source: Traversable, target: Path) -> None:
    """Copy a Traversable file or folder to the file system (written beside, then renamed into place)."""
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    _copy(source, partial)
    try:
        os.replace(partial, target)
    except OSError:  # another process put it there first
        if not target.exists():
            raise
        shutil.rmtree(partial, ignore_errors=True)


def _copy(source: Traversable, target: Path) -> None:
    if source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        return
    target.mkdir(parents=True, exist_ok=True)
    for child in source.iterdir():
        _copy(child, target / child.name)


def _resource(parts: tuple[str, ...]) -> Traversable:
    resource = data_root()
    for part in parts:
        resource = resource / part
    return resource
