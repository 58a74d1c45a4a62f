"""What the integrations deliver from the outbox (see ``motcua.outbox.delivery``)."""

from __future__ import annotations

from motcua.integrations.dvcqg import services as national_portal
from motcua.integrations.inbound import status as channel_status
from motcua.outbox.delivery import batch_deliverer, deliverer

batch_deliverer(national_portal.TARGET)(national_portal.deliver_many)
deliverer(channel_status.TARGET)(channel_status.deliver)
