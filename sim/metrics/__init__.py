"""Metrics computed from trace tables alone."""
