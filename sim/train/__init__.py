"""Training and evaluation of retrieval models (embedding fine-tuning, verifiers)."""
