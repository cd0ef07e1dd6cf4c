"""Operational plumbing around the core: process metrics, background loops, shared caches, logging and JSON."""
