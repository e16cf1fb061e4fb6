"""Support for tests and benches that any app's tests, tests/ and bench/ may import.

Plain modules, not a tests package: nothing here imports Django models at import time.
"""
