"""The template registry (contract §8.4, integrations.md §6): one template per event × channel.

Plain data, no Django. SMS texts are the brandname templates registered with the gateway: ASCII
only, within one 160-character GSM segment even with the longest parameters, placeholders
``#MaHoSo`` (the dossier's code), ``#NgayHenTra`` (the appointment, dd/mm/yyyy) and ``#SoTien``
(an amount in VND). The gateway knows each by its ``sms_id`` and takes the parameters in the order
the placeholders appear. Zalo ZNS templates are approved by Zalo under a ``zalo_id`` with named
parameters. E-mails are Django templates (``notifications/email.{txt,html}``) filled with the
event's Vietnamese subject and lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHANNELS = ("sms", "zalo", "email")
SMS_SEGMENT = 160

# Our parameter names (the outbox payload's), and the placeholder each fills in an SMS text.
PLACEHOLDERS = {"#MaHoSo": "code", "#NgayHenTra": "due_date", "#SoTien": "amount"}
ZALO_NAMES = {"code": "ma_ho_so", "due_date": "ngay_hen_tra", "amount": "so_tien"}

# The GSM 03.38 basic alphabet's ASCII characters: each costs one of the segment's 160.
GSM_ASCII = frozenset(
    "@$\n\r !\"#%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)

_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))


@dataclass(frozen=True)
class Template:
    event: str
    sms_id: str
    sms: str
    zalo_id: str
    subject: str  # the e-mail's, Vietnamese
    lines: tuple[str, ...]  # the e-mail's body, Vietnamese; ``{code}``-style parameters

    @property
    def params(self) -> tuple[str, ...]:
        """The parameters this event needs, in the SMS template's order."""
        return tuple(PLACEHOLDERS[p] for p in _PLACEHOLDER.findall(self.sms))

    def sms_params(self, values: dict[str, str]) -> list[str]:
        """The gateway's numbered parameters (PARAMS 1, 2, …), ASCII."""
        return [ascii_text(values.get(name, "")) for name in self.params]

    def sms_text(self, values: dict[str, str]) -> str:
        """The text the citizen's phone shows."""
        return _PLACEHOLDER.sub(lambda m: ascii_text(values.get(PLACEHOLDERS[m.group(0)], "")), self.sms)

    def zalo_data(self, values: dict[str, str]) -> dict[str, str]:
        """ZNS ``template_data``: the named parameters."""
        return {ZALO_NAMES[name]: values.get(name, "") for name in self.params}


TEMPLATES: dict[str, Template] = {
    t.event: t
    for t in (
        Template(
            "received",
            "MC_TIEPNHAN",
            "Ho so #MaHoSo da duoc tiep nhan. Ngay hen tra ket qua: #NgayHenTra. "
            "Tra cuu tai Cong dich vu cong.",
            "300101",
            "Hồ sơ {code} đã được tiếp nhận",
            (
                "Hồ sơ {code} của ông/bà đã được tiếp nhận.",
                "Ngày hẹn trả kết quả: {due_date}.",
            ),
        ),
        Template(
            "supplement_requested",
            "MC_BOSUNG",
            "Ho so #MaHoSo can bo sung giay to. Xem yeu cau tai Cong dich vu cong hoac Bo phan mot cua.",
            "300102",
            "Hồ sơ {code} cần bổ sung giấy tờ",
            (
                "Hồ sơ {code} của ông/bà cần bổ sung giấy tờ.",
                "Ông/bà xem nội dung cần bổ sung trên Cổng dịch vụ công hoặc tại Bộ phận một cửa.",
            ),
        ),
        Template(
            "payment_requested",
            "MC_THANHTOAN",
            "Ho so #MaHoSo can nop phi, le phi #SoTien dong. Thanh toan tai Cong dich vu cong "
            "hoac Bo phan mot cua.",
            "300103",
            "Hồ sơ {code}: đề nghị nộp phí, lệ phí",
            (
                "Hồ sơ {code} của ông/bà cần nộp phí, lệ phí {amount} đồng.",
                "Ông/bà thanh toán trên Cổng dịch vụ công hoặc tại Bộ phận một cửa.",
            ),
        ),
        Template(
            "extended",
            "MC_GIAHAN",
            "Xin loi ong/ba: ho so #MaHoSo tra ket qua cham. Ngay hen tra moi: #NgayHenTra. "
            "Mong ong/ba thong cam.",
            "300104",
            "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
            (
                "Cơ quan giải quyết chân thành xin lỗi ông/bà vì hồ sơ {code} chưa có kết quả đúng hẹn.",
                "Ngày hẹn trả kết quả mới: {due_date}. Mong ông/bà thông cảm.",
            ),
        ),
        Template(
            "refused",
            "MC_TUCHOI",
            "Ho so #MaHoSo khong duoc tiep nhan. Ly do xem tai Cong dich vu cong hoac Bo phan mot cua.",
            "300105",
            "Hồ sơ {code} không được tiếp nhận",
            (
                "Hồ sơ {code} của ông/bà không được tiếp nhận.",
                "Lý do được nêu trên Cổng dịch vụ công và tại Bộ phận một cửa.",
            ),
        ),
        Template(
            "stopped",
            "MC_DUNGXULY",
            "Ho so #MaHoSo da dung xu ly. Chi tiet xem tai Cong dich vu cong hoac Bo phan mot cua.",
            "300106",
            "Hồ sơ {code} đã dừng xử lý",
            (
                "Hồ sơ {code} của ông/bà đã dừng xử lý.",
                "Chi tiết xem trên Cổng dịch vụ công hoặc tại Bộ phận một cửa.",
            ),
        ),
        Template(
            "result_ready",
            "MC_COKETQUA",
            "Ho so #MaHoSo da co ket qua. Moi ong/ba nhan ket qua tai Bo phan mot cua "
            "hoac Cong dich vu cong.",
            "300107",
            "Hồ sơ {code} đã có kết quả",
            (
                "Hồ sơ {code} của ông/bà đã có kết quả.",
                "Mời ông/bà nhận kết quả tại Bộ phận một cửa hoặc trên Cổng dịch vụ công.",
            ),
        ),
    )
}

# The dossier actions (contract §5) that tell the applicant something, and what.
EVENT_OF_ACTION = {
    "receive": "received",
    "request_supplement": "supplement_requested",
    "request_payment": "payment_requested",
    "extend": "extended",
    "refuse": "refused",
    "stop": "stopped",
    "resolve": "result_ready",
}

_VIETNAMESE = str.maketrans(
    "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
    "ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ",
    "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"
    "AAAAAAAAAAAAAAAAAEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYYD",
)


def ascii_text(value: str) -> str:
    """Vietnamese without diacritics (RemoveDiacritics), and nothing outside GSM's ASCII."""
    return "".join(c if c in GSM_ASCII else "?" for c in value.translate(_VIETNAMESE))


def fits_one_segment(text: str) -> bool:
    return len(text) <= SMS_SEGMENT and all(c in GSM_ASCII for c in text)
