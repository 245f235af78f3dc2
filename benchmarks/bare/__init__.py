"""A bare one-view Django project: the yardstick of benchmarks/ratios.py."""
