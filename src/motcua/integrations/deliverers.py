"""What the integrations deliver from the outbox (see ``motcua.outbox.delivery``)."""

from __future__ import annotations

from motcua.integrations.dvcqg import services as national_portal
from motcua.outbox.delivery import batch_deliverer

batch_deliverer(national_portal.TARGET)(national_portal.deliver_many)
