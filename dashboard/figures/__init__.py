"""Figures: pure formulas behind the executive figures (no database, no clock)."""
