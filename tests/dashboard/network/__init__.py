"""Tests of dashboard.network: the tree and 研判, pure."""
