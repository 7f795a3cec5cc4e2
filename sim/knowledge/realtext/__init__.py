"""Structural twins of real English text: one operator per near-miss category over spaCy's dependency parse."""
