"""Structured logs of imports: one JSON line on stdout for the operator's log
pipeline, while the human summary stays the command's last line."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "listings" / "fixtures"


@pytest.fixture
def manage(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ENV")}
    env["SQLITE_PATH"] = str(tmp_path / "db.sqlite3")

    def run(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )

    assert run("migrate", "--noinput").returncode == 0
    return run


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_an_import_logs_one_structured_line(manage):
    result = manage("import_listings", str(FIXTURES / "canonical_two.jsonl"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("created 2, updated 0")
    [entry] = [e for e in json_lines(result.stdout) if e["logger"] == "internboard.import"]
    assert entry["message"] == "import finished"
    assert (entry["postings_created"], entry["postings_updated"]) == (2, 0)
    assert entry["records_invalid"] == 0
    assert entry["format"] == "canonical" and entry["level"] == "info"

    again = manage("import_listings", str(FIXTURES / "canonical_two.jsonl"))
    [entry] = [e for e in json_lines(again.stdout) if e["logger"] == "internboard.import"]
    assert (entry["postings_created"], entry["postings_unchanged"]) == (0, 2)


def test_a_refused_import_is_logged(manage, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": ""}\n', encoding="utf-8")
    result = manage("import_listings", str(bad), "--format", "canonical")
    assert result.returncode == 1
    [entry] = [e for e in json_lines(result.stdout) if e["logger"] == "internboard.import"]
    assert entry["message"] == "import refused" and entry["records_invalid"] == 1
    assert entry["level"] == "warning"
