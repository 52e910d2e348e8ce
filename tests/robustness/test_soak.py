"""Soak: one long session of at least 2,000 reruns (filters, views, languages, pages) on the
real dataset, with the process's resident memory sampled every 100 reruns. The growth is
printed; it must level off: after warm-up, the mean of the last quarter of the samples
may exceed the mean of the second quarter by at most 8 MB.

SOAK_RERUNS overrides the count (`make soak` runs 10,000)."""

import gc
import os

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

RERUNS = int(os.environ.get("SOAK_RERUNS", "2000"))
SAMPLE_EVERY = 100


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def steps(at: AppTest, i: int) -> None:
    """One user action per rerun, cycling through every kind of change."""
    kind = i % 8
    if kind == 0:
        at.radio(key="w_tab").set_value(["timeline", "countries", "documents", "sessions",
                                         "coverage", "signatures", "map"][i // 8 % 7])
    elif kind == 1:
        lo = 1992 + i % 30
        at.slider(key="w_years").set_value((lo, min(lo + 5, 2026)))
    elif kind == 2:
        at.multiselect(key="w_countries").set_value([["KAZ"], ["ARM", "RUS"], []][i % 3])
    elif kind == 3:
        at.text_input(key="w_q").set_value(["", "связь", "Lavrov", "Almaty"][i % 4])
    elif kind == 4:
        at.multiselect(key="w_bodies").set_value([["cfm"], ["cmo", "chg"], []][i % 3])
    elif kind == 5:
        at.radio(key="w_lang").set_value(["en", "ru"][i % 2])
    elif kind == 6:
        at.radio(key="w_tab").set_value("sessions")
    else:
        at.button(key="reset").click()
    at.run()


def test_memory_levels_off_over_a_long_session(capsys):
    os.environ["CIS_DATA_DIR"] = str(ROOT / "data")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    samples = [rss_mb()]
    for i in range(RERUNS):
        steps(at, i)
        assert not at.exception, (i, [e.value for e in at.exception])
        if (i + 1) % SAMPLE_EVERY == 0:
            gc.collect()
            samples.append(rss_mb())
    # Compare window means, not single samples (RSS moves a few MB either way between
    # samples): after warm-up (the first quarter) the level may not keep rising.
    quarter = max(1, len(samples) // 4)
    early = sum(samples[quarter:2 * quarter]) / quarter
    late = sum(samples[-quarter:]) / quarter
    warmup = samples[quarter] - samples[0]
    with capsys.disabled():
        print(f"\nsoak: {RERUNS} reruns; RSS MB every {SAMPLE_EVERY}: "
              + " ".join(f"{x:.0f}" for x in samples)
              + f"\nsoak: warm-up {warmup:+.1f} MB; mean of 2nd quarter {early:.1f} MB, "
                f"of last quarter {late:.1f} MB ({late - early:+.1f} MB)")
    assert late - early <= 8.0, samples
