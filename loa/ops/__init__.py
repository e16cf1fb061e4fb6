"""Running the install: the composition root of Loa.

Process control (`loa serve`, `loa worker`, `loa setup`), backup and restore, booking the
recurring jobs, health probes and the gunicorn logger. Nothing imports `ops`; `ops`
may import every app (docs/architecture.md, tests/test_architecture.py).
"""
