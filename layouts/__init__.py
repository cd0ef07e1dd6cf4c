"""Pure functions that return Dash components; one module per page or panel, ids in ids.py."""
