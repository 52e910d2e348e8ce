"""Command line: `python -m components validate`, `... export OUT_DIR`, `... coverage`,
`... dictionary` (regenerate the data dictionary's derived tables)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .coverage import format_report
from .dataset import DATA_DIR, export, load_dataset
from .problems import DatasetError
from .tables import with_dictionary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m components")
    parser.add_argument("--data", default=str(DATA_DIR), help="dataset folder (default: data/)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check the dataset; list every problem")
    ex = sub.add_parser("export", help="write the tidy tables as UTF-8 CSV")
    ex.add_argument("out_dir")
    sub.add_parser("coverage", help="per council: sessions known and fields filled, by year and decade")
    sub.add_parser("dictionary", help="rewrite the derived tables in data/README.md from the specs")
    args = parser.parse_args(argv)
    if args.command == "dictionary":
        path = Path(args.data) / "README.md"
        path.write_text(with_dictionary(path.read_text(encoding="utf-8")), encoding="utf-8")
        print(path)
        return 0
    try:
        ds = load_dataset(args.data)
    except DatasetError as err:
        print(f"{len(err.problems)} problem(s) found:", file=sys.stderr)
        for p in err.problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    if args.command == "validate":
        s = ds.sessions
        print(f"OK: {len(s)} sessions, {len(ds.attendance)} attendance rows, "
              f"{len(ds.agenda_items)} agenda items, {len(ds.documents)} documents, "
              f"{len(ds.sources)} sources")
        return 0
    if args.command == "coverage":
        print(format_report(ds.sessions, ds.attendance, ds.counts, ds.facts))
        return 0
    for path in export(ds, args.out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
