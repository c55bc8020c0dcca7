"""Write a big community-format (simplify) list for measuring an import's memory.

    python bench/big_list.py OUT.json [--copies 14] [--source-file PATH]

The list is the shared community file repeated `--copies` times, each copy
under new ids and new job addresses (a `copy=N` query parameter), so every
record is a job of its own: 14 copies of the summer 2025 list are 44.6 MB and
90,958 records. The shared file is found as the benchmark finds it
(BENCH_SIMPLIFY_FILE, else shared/data/ next to the project).
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import find_simplify_file  # noqa: E402


def copy_url(url, n):
    if not isinstance(url, str) or not url.strip():
        return url  # stays invalid, as in the shared file
    base, hash_, fragment = url.partition("#")
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}copy={n}{hash_}{fragment}"


def write_big_list(out, copies, source):
    records = json.loads(Path(source).read_text(encoding="utf-8"))
    with open(out, "w", encoding="utf-8") as file:
        file.write("[")
        first = True
        for n in range(copies):
            for record in records:
                if isinstance(record, dict):
                    record = {**record, "url": copy_url(record.get("url"), n)}
                    if isinstance(record.get("id"), str):
                        record["id"] = f"{record['id']}-{n}"
                file.write(("" if first else ",\n") + json.dumps(record))
                first = False
        file.write("]\n")
    return copies * len(records)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--copies", type=int, default=14)
    parser.add_argument("--source-file", default=None)
    args = parser.parse_args()
    source = args.source_file or find_simplify_file()
    if source is None:
        raise SystemExit("big_list: the shared community file was not found")
    count = write_big_list(args.out, args.copies, source)
    size = Path(args.out).stat().st_size
    print(f"{args.out}: {count:,} records, {size / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    main()
