"""The example in docs/scenario-format.md is a valid scenario."""

import re
from pathlib import Path

import trainer

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"


def test_documented_example_loads(tmp_path):
    example = re.search(r"## Example\n\n```toml\n(.*?)```", DOC.read_text(), re.S)
    assert example is not None
    path = tmp_path / "gel_phantom.toml"
    path.write_text(example.group(1))
    sc = trainer.load_scenario(path)
    assert sc.id == "gel_phantom" and sc.primary.structure("cyst").kind == "fluid"
