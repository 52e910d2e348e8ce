"""The rendering layer: the only package that imports streamlit.

One ViewState in session_state drives every widget and the URL (sync); the page furniture
(sidebar, chips, footer) and each view (views/) draw from the filtered tables; shared pieces
(tables, downloads, charts) live in widgets. Builders of figures and tables are pure and live
outside this package.
"""

from .app import TAB_LABELS, main
from .cache import cached_dataset
from .widgets import md_escape

__all__ = ["TAB_LABELS", "cached_dataset", "main", "md_escape"]
