"""Dash callbacks, one module per layouts module; each exposes register(app, services)."""
