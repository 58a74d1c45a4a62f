"""What each action of contract §5 takes, as one typed input each. Plain Python, no Django import.

The API's serializer, the back-office form handler and the services all speak these, so an
action's arguments are written down once: ``build`` turns a checked mapping (a serializer's
``validated_data``, a form's ``cleaned_data``) into the command, and ``required`` says which keys
must be present for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from datetime import datetime
from typing import Any, ClassVar

from motcua.dossiers.workflow import CLOSING, Action


@dataclass(frozen=True)
class Applicant:
    kind: str
    full_name: str
    id_number: str
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class DocumentIn:
    """A document handed in: ``file_id`` of an upload, ``warehouse_id`` of a document the applicant's
    warehouse already holds (reused, not uploaded again), or neither (seen on paper at the desk)."""

    code: str
    name: str
    file_id: str | None = None
    warehouse_id: int | None = None


@dataclass(frozen=True)
class Receive:
    action: ClassVar[Action] = Action.RECEIVE


@dataclass(frozen=True)
class RequestSupplement:
    """Yêu cầu bổ sung (form 02): once and in full."""

    items: Sequence[str]
    reason: str
    action: ClassVar[Action] = Action.REQUEST_SUPPLEMENT


@dataclass(frozen=True)
class Supplement:
    documents: Sequence[DocumentIn]
    action: ClassVar[Action] = Action.SUPPLEMENT


@dataclass(frozen=True)
class Close:
    """Refuse (form 03), withdraw, or stop (form 05): the dossier ends without a result."""

    closing: Action
    reason: str

    @property
    def action(self) -> Action:
        return self.closing


@dataclass(frozen=True)
class Forward:
    """Chuyển hồ sơ: to another agency (một cửa liên thông) or to the next step within one."""

    agency_code: str | None = None
    step: str | None = None
    note: str = ""
    action: ClassVar[Action] = Action.FORWARD


@dataclass(frozen=True)
class PaymentItem:
    """One line of a payment order: a fee (phí) or a charge (lệ phí)."""

    name: str
    amount_vnd: int
    kind: str = "fee"


@dataclass(frozen=True)
class RequestPayment:
    """Yêu cầu thực hiện nghĩa vụ tài chính: a payment order; its lines, when given, add up to the amount."""

    amount_vnd: int
    items: Sequence[PaymentItem] = ()
    action: ClassVar[Action] = Action.REQUEST_PAYMENT


@dataclass(frozen=True)
class Pay:
    """``gateway`` says which channel took an online payment (the national portal by default; ``vietqr``
    for a bank transfer the desk or a statement confirmed). ``payment_id`` names the order when the
    payment is for a known one (a platform's confirmation); otherwise the latest order awaited."""

    amount_vnd: int
    method: str
    reference: str = ""
    gateway: str | None = None
    payment_id: int | None = None
    action: ClassVar[Action] = Action.PAY


@dataclass(frozen=True)
class Extend:
    """Xin lỗi và gia hạn (form 04)."""

    new_due_at: datetime
    reason: str
    action: ClassVar[Action] = Action.EXTEND


@dataclass(frozen=True)
class Resolve:
    outcome: str
    note: str = ""
    result_file_id: str | None = None
    action: ClassVar[Action] = Action.RESOLVE


@dataclass(frozen=True)
class ReturnResult:
    method: str
    action: ClassVar[Action] = Action.RETURN_RESULT


Command = (
    Receive
    | RequestSupplement
    | Supplement
    | Close
    | Forward
    | RequestPayment
    | Pay
    | Extend
    | Resolve
    | ReturnResult
)

_TYPES: dict[Action, type[Any]] = {
    Action.RECEIVE: Receive,
    Action.REQUEST_SUPPLEMENT: RequestSupplement,
    Action.SUPPLEMENT: Supplement,
    Action.FORWARD: Forward,
    Action.REQUEST_PAYMENT: RequestPayment,
    Action.PAY: Pay,
    Action.EXTEND: Extend,
    Action.RESOLVE: Resolve,
    Action.RETURN_RESULT: ReturnResult,
    **dict.fromkeys(CLOSING, Close),
}


def required(action: Action) -> list[str]:
    """The keys a request for ``action`` must carry."""
    return [
        f.name
        for f in fields(_TYPES[action])
        if f.default is MISSING and f.default_factory is MISSING and f.name != "closing"
    ]


def documents(items: Sequence[DocumentIn | Mapping[str, Any]] | None) -> tuple[DocumentIn, ...]:
    """Documents as checked by a serializer or a form ({"code", "name", "file_id"?, "warehouse_id"?}),
    or as given."""
    out = []
    for raw in items or ():
        if isinstance(raw, DocumentIn):
            out.append(raw)
        else:
            file_id, warehouse_id = raw.get("file_id"), raw.get("warehouse_id")
            out.append(
                DocumentIn(
                    str(raw["code"]),
                    str(raw["name"]),
                    str(file_id) if file_id else None,
                    int(warehouse_id) if warehouse_id else None,
                )
            )
    return tuple(out)


def build(action: Action, data: Mapping[str, Any]) -> Command:
    """The command for ``action`` from checked data; keys the action does not take are ignored,
    blank optional strings count as absent."""
    kind = _TYPES[action]
    values: dict[str, Any] = {}
    for f in fields(kind):
        if f.name == "closing":
            values["closing"] = action
        elif (f.name in data and data[f.name] not in (None, "")) or f.default is MISSING:
            values[f.name] = data[f.name]
    if "documents" in values:
        values["documents"] = documents(values["documents"])
    if "items" in values:
        values["items"] = (
            payment_items(values["items"])
            if action is Action.REQUEST_PAYMENT
            else tuple(str(i) for i in values["items"])
        )
    for name in ("file_id", "result_file_id"):
        if values.get(name) is not None:
            values[name] = str(values[name])
    command: Command = kind(**values)
    return command


PAYMENT_ITEM_KINDS = ("fee", "charge")


def payment_items(raw: Sequence[Any]) -> tuple[PaymentItem, ...]:
    """Payment lines from ``{"name", "amount_vnd", "kind"?}`` objects; ValueError names what is wrong."""
    out = []
    for entry in raw:
        if isinstance(entry, PaymentItem):
            out.append(entry)
            continue
        if not isinstance(entry, Mapping):
            raise ValueError("each item is an object {name, amount_vnd, kind?}")
        name, amount, kind = entry.get("name"), entry.get("amount_vnd"), entry.get("kind") or "fee"
        if not isinstance(name, str) or not name.strip():
            raise ValueError("each item needs a name")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise ValueError("each item needs a positive whole amount_vnd")
        if kind not in PAYMENT_ITEM_KINDS:
            raise ValueError("kind is fee or charge")
        out.append(PaymentItem(name.strip(), amount, kind))
    return tuple(out)
