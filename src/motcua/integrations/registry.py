"""The adapter for each national system, picked from the configuration (``config``).

Each function answers the adapter to use, or None when the system is off; callers show "not
connected" rather than pretending. New systems add one function here.
"""

from __future__ import annotations
