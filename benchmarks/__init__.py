"""Benchmarks: `python -m benchmarks [--quick]` prints ratios measured side by side."""
