"""VNPT's ``send_sms_list`` (integrations.md §6.1): the RQST we send and the RPLY we read.

``ERROR`` "0" is success. VNPT's list of other codes is not public ([U]); we treat the ones that
mean "busy, try again" (``RETRYABLE``) as a delay, every other code as a refusal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from motcua.integrations.sms.ports import Sms

RETRYABLE = frozenset({"99"})


class WireError(ValueError):
    """The body is not an RPLY."""


def request(message: Sms, account: Mapping[str, str]) -> dict[str, Any]:
    return {
        "RQST": {
            "name": "send_sms_list",
            "REQID": message.key,
            "LABELID": account["label_id"],
            "CONTRACTTYPEID": account["contract_type_id"],
            "CONTRACTID": account["contract_id"],
            "TEMPLATEID": message.template_id,
            "PARAMS": [{"NUM": str(n), "CONTENT": value} for n, value in enumerate(message.params, start=1)],
            "SCHEDULETIME": "",
            "MOBILELIST": message.to,
            "ISTELCOSUB": "0",
            "AGENTID": account["agent_id"],
            "APIUSER": account["api_user"],
            "APIPASS": account["api_pass"],
            "USERNAME": account["username"],
            "DATACODING": "0",
        }
    }


def parse_reply(body: bytes) -> tuple[str, str]:
    """(ERROR, ERROR_DESC)."""
    try:
        reply = json.loads(body)["RPLY"]
        return str(reply["ERROR"]), str(reply.get("ERROR_DESC", ""))
    except (ValueError, KeyError, TypeError) as exc:
        raise WireError("not a send_sms_list RPLY") from exc
