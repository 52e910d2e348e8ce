"""One module per view of the dashboard."""
