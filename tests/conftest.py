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
