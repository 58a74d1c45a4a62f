"""MotCua's settings with the look-up throttle switched off — only to measure what the throttle costs.

DRF's ScopedRateThrottle lets everything through when its scope's rate is None.
"""

from typing import Any

from motcua.conf.settings import *  # noqa: F403
from motcua.conf.settings import REST_FRAMEWORK

_rates: dict[str, Any] = dict(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])  # type: ignore[call-overload]
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**_rates, "lookup": None}}
