"""Write a synthetic dataset `factor` times the real one, in the real dataset's format.

Usage: .venv/bin/python bench/make_synthetic.py FACTOR OUT_DIR [--data data]

For benchmarks only: it never writes into data/. OUT_DIR gets the same layout
(sessions/<body>/<date>-<city>.yaml, countries.yaml, bodies.yaml, memberships.yaml,
versions.yaml, README.md copied as they are). The real sessions are copied unchanged, and
each further copy k = 1 .. factor-1 of every session file gets:
- the id with a suffix, `cfm-2025-04-11` -> `cfm-2025-04-11-s3` (ids may carry a suffix
  after body-date, so the id still starts with body-date as validation requires);
- the file name with the same suffix, `2025-04-11-almaty-s3.yaml` (still starts with the date);
- every `prior:` link pointed at copy k of the session it names, so document chains stay
  inside one copy and never point to a later date;
- the same date, body, attendance and sources, so dates, memberships and the "held
  sessions only up to today" rule stay valid.
The text is rewritten line by line (not re-dumped), so the YAML keeps its exact layout.
Synthetic sessions are not listed in versions.yaml: they belong to the current version.
`python -m components --data OUT_DIR validate` passes on the result.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
COPIED = ("README.md", "countries.yaml", "bodies.yaml", "memberships.yaml", "versions.yaml")
_ID_LINE = re.compile(r"^id:[ \t]*(['\"]?)([^'\"\s#]+)\1[ \t]*$", re.MULTILINE)
_PRIOR_LINE = re.compile(r"^([ \t-]*prior:[ \t]*)(['\"]?)([^'\"\s#]+)\2", re.MULTILINE)


def _session_id(text: str, path: Path) -> str:
    m = _ID_LINE.search(text)
    if not m:
        raise ValueError(f"{path}: no top-level `id:` line")
    return m.group(2)


def _owner(doc_id: str, ids: list[str]) -> str | None:
    """The session a global document id belongs to (`<session id>-<local id>`); longest match."""
    best = None
    for sid in ids:
        if doc_id.startswith(sid + "-") and (best is None or len(sid) > len(best)):
            best = sid
    return best


def make_synthetic(factor: int, out: Path | str, data: Path | str = DATA_DIR) -> int:
    """Write the dataset `factor` x the real one into `out` (emptied first); return the number
    of session files written."""
    if factor < 1:
        raise ValueError("factor must be at least 1")
    src, dest = Path(data).resolve(), Path(out).resolve()
    if dest == src or src in dest.parents:
        raise ValueError(f"refusing to write inside the real dataset folder {src}")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in COPIED:
        if (src / name).exists():
            shutil.copy2(src / name, dest / name)
    files = sorted((src / "sessions").rglob("*.yaml"))
    texts = {p: p.read_text(encoding="utf-8") for p in files}
    ids = {p: _session_id(t, p) for p, t in texts.items()}
    known = sorted(set(ids.values()))
    owners: dict[str, str] = {}  # prior document id -> the session it belongs to
    for t in texts.values():
        for m in _PRIOR_LINE.finditer(t):
            owner = _owner(m.group(3), known)
            if owner is None:
                raise ValueError(f"prior {m.group(3)!r} names no session of the dataset")
            owners[m.group(3)] = owner
    written = 0
    for path, text in texts.items():
        folder = dest / path.parent.relative_to(src)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / path.name).write_text(text, encoding="utf-8")
        written += 1
        sid = ids[path]
        for k in range(1, factor):
            suffix = f"-s{k}"

            def new_prior(m: re.Match, suffix=suffix) -> str:
                doc = m.group(3)
                owner = owners[doc]
                return f"{m.group(1)}{m.group(2)}{owner}{suffix}{doc[len(owner):]}{m.group(2)}"

            copy = _ID_LINE.sub(lambda m, s=suffix: f"id: {m.group(1)}{sid}{s}{m.group(1)}",
                                text, count=1)
            copy = _PRIOR_LINE.sub(new_prior, copy)
            (folder / f"{path.stem}{suffix}.yaml").write_text(copy, encoding="utf-8")
            written += 1
    (dest / "SYNTHETIC.md").write_text(
        f"Synthetic benchmark dataset: {factor} x {src}, written by bench/make_synthetic.py.\n"
        "Not real data: copies k >= 1 of every session carry the id suffix -s<k>.\n",
        encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("factor", type=int)
    parser.add_argument("out")
    parser.add_argument("--data", default=str(DATA_DIR), help="real dataset (default: data/)")
    args = parser.parse_args(argv)
    n = make_synthetic(args.factor, args.out, args.data)
    print(f"{n} session files written to {args.out} ({args.factor} x {args.data})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
