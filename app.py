"""CIS Meetings Dashboard: `streamlit run app.py` (or `make run`)."""

import os
from pathlib import Path

from components.dataset import DATA_DIR
from components.ui import main

# CIS_DATA_DIR lets tests point the app at a fixture dataset; users never need it.
main(Path(os.environ.get("CIS_DATA_DIR", DATA_DIR)))
