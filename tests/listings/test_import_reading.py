"""Reading big files a piece at a time: the same records and the same messages
whatever the chunk size, FIFOs refused, keys written twice reported."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from listings.importers import reading
from listings.models import Posting

from .importing import failed_import, run_import, seed_job, seed_record, write_file

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _records(n):
    records = []
    for i in range(n):
        record = seed_job(external_id=f"chunk-{i}", title=f"Intern ☃ {i} " + "é" * i)
        record["hours_per_week"] = 40 + i % 3
        records.append(record)
    return records


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
def test_records_read_across_any_chunk_boundary(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(reading, "CHUNK_BYTES", chunk)
    path = write_file(tmp_path, "feed.json", "\ufeff" + json.dumps(_records(4), indent=1))
    items = [(where, record["title"], dup) for where, record, dup in reading.json_records(path)]
    assert items == [(f"record {i}", f"Intern ☃ {i} " + "é" * i, []) for i in range(4)]
    numbers = write_file(tmp_path, "n.json", "[12345, 6789.25]")
    assert [record for _, record, _ in reading.json_records(numbers)] == [12345, 6789.25]


def test_an_error_deep_in_a_big_file_names_its_line_and_column(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "CHUNK_BYTES", 5)
    text = json.dumps(_records(3), indent=1)
    lines = text.splitlines()
    lines[40] = lines[40] + " oops"
    text = "\n".join(lines)
    with pytest.raises(json.JSONDecodeError) as whole:
        json.loads(text)  # what reading the whole file at once says
    error, _ = failed_import(write_file(tmp_path, "feed.json", text))
    expected = f"{whole.value.msg} (line {whole.value.lineno}, column {whole.value.colno})"
    assert whole.value.lineno == 41
    assert error == f"the file is not valid JSON: {expected}"
    assert not Posting.objects.exists()


def test_a_key_written_twice_makes_that_record_invalid(tmp_path):
    good = json.dumps(seed_record())
    twice = good[:-1] + ', "title": "Other title"}'
    path = write_file(
        tmp_path, "feed.json", f"[{good.replace('seed-instacart', 'first')}, {twice}]"
    )
    error, err = failed_import(path)
    assert error.startswith("1 invalid record in ")
    assert (
        "record 1 (id 'seed-instacart-ml-phd-intern'): (record): has the key 'title' more than once"
        in err
    )
    lines = write_file(tmp_path, "feed.jsonl", twice + "\n")
    _, err = failed_import(lines)
    assert "line 1 (id 'seed-instacart-ml-phd-intern'): (record): has the key 'title'" in err
    record = dict(
        id="s-1", company_name="Acme", title="Intern", url="https://jobs.acme.example.org/1"
    )
    simplify = json.dumps(record)[:-1] + ', "active": true, "active": false}'
    _, err = failed_import(
        write_file(tmp_path, "list.json", f"[{simplify}]"), "--format", "simplify"
    )
    assert "record 0 (id 's-1'): (record): has the key 'active' more than once" in err
    assert not Posting.objects.exists()


def test_nested_keys_written_twice_count_too(tmp_path):
    record = json.dumps(seed_job(company={"name": "A"}))
    record = record.replace('{"name": "A"}', '{"name": "A", "name": "B"}')
    _, err = failed_import(write_file(tmp_path, "feed.json", f"[{record}]"))
    assert "(record): has the key 'name' more than once" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_at_once_with_exit_status_1(tmp_path):
    fifo = tmp_path / "feed.json"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "manage.py", "import_listings", str(fifo)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,  # opening the FIFO would wait for ever
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert done.returncode == 1
    assert f"{fifo} is not a file (not a regular file)" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_csv_file_is_read_row_by_row_with_the_same_messages(tmp_path, monkeypatch):
    rows = ["external_id,title,company,apply_url"] + [
        f"c-{i},Intern {i},Harbor,https://harbor.example.org/{i}" for i in range(30)
    ]
    out, _ = run_import(write_file(tmp_path, "feed.csv", "\ufeff" + "\n".join(rows) + "\n"))
    assert "created 30" in out
    bad = write_file(tmp_path, "bad.csv", ("\n".join(rows) + "\nx,caf\xe9,a,b\n").encode("latin-1"))
    error, _ = failed_import(bad)
    assert "bad.csv is not UTF-8 text (byte 0xe9 at offset" in error
