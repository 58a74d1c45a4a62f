"""Benchmarks of the issue's speed targets, on PostgreSQL: ``make bench`` (python -m benchmarks)."""
