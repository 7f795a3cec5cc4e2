"""Runs and their results on disk."""
