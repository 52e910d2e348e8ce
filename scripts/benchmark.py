"""Print how long loading and each view's building take on the real dataset.

Usage: .venv/bin/python scripts/benchmark.py [REPEAT]
Figures, not assertions: speed is measured here, never in timed tests.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from components import attendance_map, documents, participation, sessions, timeline  # noqa: E402
from components.dataset import load_dataset  # noqa: E402
from components.downloads import csv_bytes  # noqa: E402
from components.filters import apply, vocabulary  # noqa: E402
from components.state import ViewState  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs), max(runs)


def main(repeat: int = 20) -> None:
    t0 = time.perf_counter()
    ds = load_dataset()
    load_ms = (time.perf_counter() - t0) * 1000
    vocab = vocabulary(ds)
    state = ViewState()
    f = apply(state, ds, vocab)
    last = f.sessions[f.sessions["status"] == "held"].iloc[-1]["session_id"]
    cases = {
        "filter (all)": lambda: apply(state, ds, vocab),
        "filter (q=связь)": lambda: apply(ViewState(q="связь"), ds, vocab),
        "timeline": lambda: (timeline.build_timeline(f.sessions, ds.bodies),
                             timeline.build_attendance_strip(f.sessions)),
        "map (session)": lambda: attendance_map.build_session_map(
            attendance_map.session_frame(ds, last, f.countries), "t"),
        "map (rate)": lambda: attendance_map.build_rate_map(
            attendance_map.rate_frame(f.attendance, ds, f.countries), "t"),
        "countries": lambda: participation.build_grid(
            participation.grid_frame(f.sessions, ds, f.countries), ds),
        "documents": lambda: documents.documents_table(f.documents, f.sessions, ds),
        "sessions + csv": lambda: csv_bytes(sessions.sessions_table(f.sessions, f.attendance, ds)),
    }
    print(f"dataset: {len(ds.sessions)} sessions, {len(ds.attendance)} attendance rows, "
          f"{len(ds.sources)} sources")
    print(f"load + validate (once per process, cached): {load_ms:.0f} ms")
    print(f"{'step':<22}{'median ms':>10}{'max ms':>10}   ({repeat} runs)")
    for name, fn in cases.items():
        med, worst = timed(fn, repeat)
        print(f"{name:<22}{med:>10.1f}{worst:>10.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
