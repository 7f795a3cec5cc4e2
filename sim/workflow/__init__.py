"""The workflow: step DAG, value bindings, decision rules."""
