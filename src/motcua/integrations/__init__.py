"""The national systems MotCua talks to (contract §8, ../shared/integrations.md §10).

One sub-package per counterpart, each laid out the same way:

- ``ports.py``: a ``Protocol`` and frozen dataclasses in our own vocabulary (no wire names);
- ``wire.py``: the mapping to and from the exact wire fields, plain Python;
- ``client.py``: the real adapter, on ``transport`` (httpx with timeouts, retries and backoff).

``registry`` picks the adapter from the province's configuration (``config``); a system that is not
configured is off (``None``), and every page that would use it says so. The stand-ins that speak the
same wire formats live apart, in ``motcua.standins``, and run as their own process.
"""
