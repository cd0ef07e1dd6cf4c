"""Tests of dashboard.ops."""
