"""Learned verifiers: a second stage that rejects structural near-misses."""
