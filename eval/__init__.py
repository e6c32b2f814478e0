"""The evaluation harness: field-level accuracy on benchmark sets, baselines side by side."""
