"""Figures and reports (seaborn)."""
