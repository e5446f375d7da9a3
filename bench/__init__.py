"""Benchmarks (`make bench`): each measured as a ratio against a floor timed in the same run."""
