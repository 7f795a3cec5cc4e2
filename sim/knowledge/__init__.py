"""Facts, near-miss twins, the knowledge base and cases, generated from a scenario's YAML."""
