"""The demo's storm simulator: feeds the system through the same services as the API."""
