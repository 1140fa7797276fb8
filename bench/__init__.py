"""Benchmarks and the benchmark dataset generator (`python -m bench.dataset`, `bench/report.py`).

Not a distribution and outside the dependency rule: benchmarks may import core and modules."""
