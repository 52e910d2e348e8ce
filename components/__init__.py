"""CIS Meetings Dashboard: dataset, view state, filters and figure builders (no Streamlit here)."""
