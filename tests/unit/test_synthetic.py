"""The benchmark's synthetic dataset generator (bench/make_synthetic.py) writes a valid dataset
in the real format, exactly `factor` times the real one, and never touches data/."""

from bench.make_synthetic import make_synthetic
from components.dataset import load_dataset
from tests.conftest import ROOT

REAL = ROOT / "data"


def test_twice_the_real_dataset_validates(tmp_path):
    real = load_dataset(REAL)
    out = tmp_path / "synthetic"
    written = make_synthetic(2, out, REAL)
    ds = load_dataset(out)  # raises DatasetError listing every problem if invalid
    assert written == len(ds.sessions) == 2 * len(real.sessions)
    assert ds.sessions["session_id"].is_unique
    copies = ds.sessions[ds.sessions["session_id"].str.endswith("-s1")]
    assert len(copies) == len(real.sessions)
    # Same layout: sessions/<body>/<date>-<city>[-s<k>].yaml and the top-level files.
    for name in ("README.md", "countries.yaml", "bodies.yaml", "memberships.yaml"):
        assert (out / name).read_bytes() == (REAL / name).read_bytes()
    assert sorted(p.parent.name for p in (out / "sessions").glob("*/")) == sorted(
        p.parent.name for p in (REAL / "sessions").glob("*/"))
    # Document chains stay within one copy.
    linked = ds.documents.dropna(subset=["prior_document_id"])
    linked = linked[linked["session_id"].str.endswith("-s1")]
    assert len(linked) and linked["prior_document_id"].str.contains("-s1-").all()


def test_refuses_to_write_into_the_real_dataset(tmp_path):
    import pytest

    with pytest.raises(ValueError):
        make_synthetic(2, REAL / "sessions" / "synthetic", REAL)
