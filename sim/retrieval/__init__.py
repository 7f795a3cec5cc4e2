"""Retrieval backends behind one seam (`Retriever`), built by name from a registry."""
