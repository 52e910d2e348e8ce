import shutil
from pathlib import Path

import pytest

from components.dataset import load_dataset
from components.filters import vocabulary

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "fixtures" / "good"


@pytest.fixture(scope="session")
def ds():
    return load_dataset(GOOD)


@pytest.fixture(scope="session")
def vocab(ds):
    return vocabulary(ds)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the good fixture dataset, to break on purpose."""
    dest = tmp_path / "data"
    shutil.copytree(GOOD, dest)
    return dest


COUNCILS = ROOT / "tests" / "fixtures" / "councils"


def _fixture_copy(dest: Path, extra_dir: Path, files: tuple[str, ...]) -> Path:
    """The good fixture, with another fixture's sessions, files and memberships added."""
    shutil.copytree(GOOD, dest)
    shutil.copytree(extra_dir / "sessions", dest / "sessions", dirs_exist_ok=True)
    for name in files:
        shutil.copy(extra_dir / name, dest / name)
    members = dest / "memberships.yaml"
    text = members.read_text(encoding="utf-8")
    extra = (extra_dir / "memberships-extra.yaml").read_text(encoding="utf-8")
    members.write_text(text.replace("sources:\n  - {id: m1", extra + "sources:\n  - {id: m1"),
                       encoding="utf-8")
    return dest


def councils_copy(dest: Path) -> Path:
    """The good fixture plus a defence ministers' session (a guest state, a council-specific
    membership) and a heads-of-government session signing a draft the ministers approved."""
    return _fixture_copy(dest, COUNCILS, ("versions.yaml",))


@pytest.fixture(scope="session")
def ds_councils(tmp_path_factory):
    return load_dataset(councils_copy(tmp_path_factory.mktemp("councils") / "data"))


@pytest.fixture
def councils_data(tmp_path) -> Path:
    """A writable copy of the councils fixture, to break on purpose."""
    return councils_copy(tmp_path / "data")


BASIS = ROOT / "tests" / "fixtures" / "basis"


def basis_copy(dest: Path) -> Path:
    """The good fixture plus defence ministers' sessions for format v3: a whole list of
    participants (an observer in it, a member missing from it), an announced delegation,
    numbered and unnumbered sessions, an official count, and standings known as of a day."""
    return _fixture_copy(dest, BASIS, ("counts.yaml",))


@pytest.fixture(scope="session")
def ds_basis(tmp_path_factory):
    return load_dataset(basis_copy(tmp_path_factory.mktemp("basis") / "data"))


@pytest.fixture
def basis_data(tmp_path) -> Path:
    """A writable copy of the format-v3 fixture, to break on purpose."""
    return basis_copy(tmp_path / "data")
