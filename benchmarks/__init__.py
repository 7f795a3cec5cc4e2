"""Speed and memory targets; run with ./scripts/bench."""
