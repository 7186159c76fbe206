"""The reliability campaigns' command works (a quick, small part of it here; the full run's table is in
docs/reliability.md), and its file fuzzer finds and rewrites whatever TOML files the package ships."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from campaigns.fuzz_files import dump, shipped_toml  # noqa: E402


def test_the_fuzzer_seeds_from_every_shipped_toml_file_and_writes_them_back_exactly():
    seeds = shipped_toml()
    assert {p.name for p in seeds} >= {"esp_block.toml", "gel_phantom.toml"}
    for path in seeds:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        assert tomllib.loads(dump(doc)) == doc, path.name


def test_the_quick_campaigns_run_and_print_one_table_with_no_loss():
    done = subprocess.run(
        [sys.executable, "scripts/reliability.py", "--quick", "--only", "imports,folders"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    table = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert done.returncode == 0, done.stdout + done.stderr
    assert table[0].startswith("| campaign | cases | measure | count | must be 0 |")
    assert len(table) > 10 and not any("FAILED" in line for line in table)
    assert any("two laptops on one shared folder" in line for line in table)


def test_a_campaign_that_crashes_is_a_failed_row_and_the_table_still_prints(tmp_path, capsys, monkeypatch):
    import reliability

    def broken(work, size):
        raise ImportError("cannot import name 'gone'")

    monkeypatch.setitem(reliability.CAMPAIGNS, "broken", broken)
    [row] = reliability.run_campaign("broken", tmp_path, reliability.QUICK)
    assert row.failed and "campaign crashed (ImportError: cannot import name 'gone')" in row.measure
    assert "Traceback" in capsys.readouterr().err
    assert "**FAILED**" in reliability.table([row])


def test_a_quick_fuzz_of_the_procedures_and_the_patient_file_gives_no_traceback_or_hang(tmp_path):
    from campaigns.fuzz_files import campaign, current_toml

    seeds = current_toml()
    assert {p.name for p in seeds} >= {"esp_block.toml", "anatomy.toml"}
    assert not any("archive" in p.parts for p in seeds)
    rows = {row.measure: row.count for row in campaign(tmp_path, 80, seed=9, seeds=seeds, check_every=0)}
    assert rows["tracebacks"] == 0 and rows["hangs (> 10 s)"] == 0, rows
    assert rows["refused with an unclear message"] == 0, rows
    assert rows["refused with a clear message"] > 40, rows
