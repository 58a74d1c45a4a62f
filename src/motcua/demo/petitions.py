"""A year of plausible petitions (PAKN) for the demo province, deterministic for a seed.

Most petitions are about procedures (delays, papers asked for beyond the list, fees), some about
officers' conduct or a regulation; most are answered within the deadlines and published, a few are
refused, forwarded to the competent agency, late, still open, or judged unsatisfactory by their
sender. Each gets the event log the services would have written (without an actor), and the daily
serials behind the codes move on. Rows go in by ``bulk_create``: a few hundred petitions take well
under a second.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.agencies.models import Agency, AgencyKind
from motcua.calendar.selectors import get_calendar
from motcua.core.text import fold
from motcua.petitions.lifecycle import Deadlines, Status, format_code
from motcua.petitions.models import Evaluation, Petition, PetitionEvent, PetitionSerial, Submitter

# (about, title, content, answer): what people in Đắk Lắk write about, and how agencies answer.
TOPICS: list[tuple[str, str, str, str]] = [
    (
        "procedure",
        "Chậm trả kết quả cấp giấy chứng nhận quyền sử dụng đất",
        "Tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất tại Bộ phận một cửa, đã quá hẹn trả kết quả "
        "hơn 10 ngày nhưng chưa nhận được kết quả và không được thông báo lý do.",
        "Hồ sơ của ông/bà phải lấy ý kiến xác minh nguồn gốc đất nên chậm so với giấy hẹn. Cơ quan đã "
        "gửi văn bản xin lỗi, trả kết quả ngày làm việc tiếp theo và chấn chỉnh việc thông báo gia hạn.",
    ),
    (
        "procedure",
        "Yêu cầu nộp thêm giấy tờ ngoài danh mục khi đăng ký khai sinh",
        "Khi đăng ký khai sinh cho con, cán bộ yêu cầu nộp thêm bản sao sổ hộ khẩu dù thủ tục không "
        "yêu cầu giấy tờ này và dữ liệu dân cư đã có trên hệ thống.",
        "Theo quy định hiện hành, không yêu cầu xuất trình sổ hộ khẩu. UBND xã đã nhắc nhở cán bộ tư "
        "pháp - hộ tịch và khai thác thông tin từ Cơ sở dữ liệu quốc gia về dân cư.",
    ),
    (
        "procedure",
        "Không nộp được lệ phí trực tuyến khi đăng ký hộ kinh doanh",
        "Tôi nộp hồ sơ đăng ký hộ kinh doanh trực tuyến nhưng bước thanh toán lệ phí báo lỗi nhiều lần, "
        "phải đến trực tiếp để nộp.",
        "Lỗi do kết nối với cổng thanh toán trong thời gian bảo trì. Sự cố đã được khắc phục; lệ phí đã "
        "nộp trực tiếp được ghi nhận đầy đủ.",
    ),
    (
        "procedure",
        "Thời gian cấp giấy phép xây dựng nhà ở riêng lẻ quá dài",
        "Thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ phải đi lại nhiều lần để bổ sung, mỗi lần chỉ "
        "được hướng dẫn một phần.",
        "Sở Xây dựng đã quán triệt việc hướng dẫn bổ sung hồ sơ một lần, đầy đủ bằng phiếu yêu cầu bổ "
        "sung theo mẫu, và công khai danh mục thành phần hồ sơ tại Bộ phận một cửa.",
    ),
    (
        "procedure",
        "Đề nghị cho phép nộp bản sao điện tử khi chứng thực",
        "Đề nghị cho phép người dân sử dụng bản sao điện tử từ kho dữ liệu cá nhân khi làm thủ tục "
        "chứng thực chữ ký để giảm đi lại.",
        "Kiến nghị được ghi nhận. Phường đã triển khai chứng thực bản sao điện tử từ bản chính; người dân "
        "có thể sử dụng kết quả lưu trong kho dữ liệu trên Cổng Dịch vụ công quốc gia.",
    ),
    (
        "staff_conduct",
        "Thái độ của cán bộ tiếp nhận hồ sơ chưa đúng mực",
        "Cán bộ tiếp nhận hồ sơ tại quầy trả lời cộc lốc, không hướng dẫn cụ thể khi tôi hỏi về thành "
        "phần hồ sơ.",
        "Trung tâm đã làm việc với cán bộ liên quan, yêu cầu rút kinh nghiệm và thực hiện đúng quy tắc "
        "ứng xử khi tiếp công dân. Cảm ơn ông/bà đã phản ánh.",
    ),
    (
        "staff_conduct",
        "Cán bộ hẹn trả kết quả nhưng vắng mặt",
        "Tôi đến nhận kết quả đúng ngày hẹn nhưng cán bộ phụ trách vắng mặt, không có người thay thế "
        "trả kết quả.",
        "UBND xã đã bố trí cán bộ trực thay khi cán bộ phụ trách đi công tác và xin lỗi ông/bà về sự bất "
        "tiện.",
    ),
    (
        "regulation",
        "Mức phí thẩm định hồ sơ cấp phép khai thác nước ngầm chưa phù hợp",
        "Mức phí thẩm định đề án khai thác nước dưới đất cho hộ tưới cà phê quy mô nhỏ còn cao so với "
        "thu nhập của người dân.",
        "Mức phí được quy định tại nghị quyết của HĐND tỉnh. Sở Tài chính đã tổng hợp kiến nghị để đề "
        "xuất điều chỉnh trong kỳ rà soát phí, lệ phí năm tới.",
    ),
    (
        "regulation",
        "Quy định về hạn mức tách thửa đất nông nghiệp",
        "Đề nghị xem xét lại diện tích tối thiểu được tách thửa đối với đất trồng cây lâu năm tại các "
        "xã vùng sâu vùng xa.",
        "Sở Nông nghiệp và Môi trường đã tiếp thu, đưa nội dung kiến nghị vào dự thảo sửa đổi quy định "
        "về điều kiện tách thửa, lấy ý kiến rộng rãi trước khi trình UBND tỉnh.",
    ),
    (
        "other",
        "Đề nghị bổ sung chỗ để xe tại Trung tâm Phục vụ hành chính công",
        "Khu vực để xe tại Trung tâm thường xuyên quá tải vào buổi sáng, người dân phải gửi xe bên ngoài.",
        "Trung tâm đã bố trí thêm khu vực để xe phía sau tòa nhà và hướng dẫn người dân đặt lịch hẹn "
        "trực tuyến để giảm giờ cao điểm.",
    ),
]
_WEIGHTS = [14, 12, 8, 10, 6, 9, 6, 5, 5, 5]
_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"]
_GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Đức Dũng", "Thu Hà", "Quang Huy", "Ngọc Lan", "Xuân Mai"]
_EDE = ["H'Hen Niê", "Y Blir Êban", "H'Mai Ênuôl", "Y Sơn Byă"]


@dataclass(frozen=True)
class Report:
    petitions: int
    published: int
    seconds: float


def _instant(rng: random.Random, day: date, tz: Any) -> datetime:
    minute = rng.randrange(8 * 60, 16 * 60 + 30)
    if 12 * 60 <= minute < 13 * 60:
        minute += 60
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz)


def _step(
    p: Petition,
    log: list[PetitionEvent],
    t: datetime,
    action: str,
    after: Status,
    note: str = "",
    **data: Any,
) -> None:
    """What ``services.act`` writes: the event, the status, and a missed deadline."""
    late = p.due_at is not None and t > p.due_at
    p.missed = p.missed or late
    if late:
        data["late"] = True
    log.append(
        PetitionEvent(
            at=t, agency=p.agency, action=action, from_status=p.status, to_status=after, note=note, data=data
        )
    )
    p.status = after


def generate(*, count: int, year: int, seed: int = 1, now: datetime | None = None) -> Report:
    """Add ``count`` petitions first received in ``year`` (up to ``now``), with their history."""
    started = timezone.now()
    now = now or started
    rng = random.Random(seed)  # noqa: S311 — synthetic data, reproducible by seed
    tz = timezone.get_default_timezone()
    cal = get_calendar()
    rules = Deadlines()
    day_length = cal.day_length

    def plus(t: datetime, days: float) -> datetime:
        return cal.add_working_time(cal.counting_from(t), day_length * days)

    agencies = list(
        Agency.objects.filter(
            kind__in=[AgencyKind.DEPARTMENT, AgencyKind.COMMUNE], valid_to__isnull=True
        ).order_by("path")
    )
    if not agencies:
        raise ValueError("no agencies: load the demo province first")
    # The agencies where the demo's officers work get a bigger share, so that their petition queues
    # have something in them (the still-open petitions are the few received lately).
    staffed = set(User.objects.filter(agency__isnull=False).values_list("agency_id", flat=True))
    weights = [15 if a.pk in staffed else 1 for a in agencies]
    today = now.astimezone(tz).date()
    days = [d for d in (date(year, 1, 1) + timedelta(n) for n in range(366)) if d.year == year and d <= today]
    days = [d for d in days if cal.is_working_day(d)]
    if not days:
        raise ValueError(f"no working day in {year} before {today}")
    received = sorted(_instant(rng, rng.choice(days), tz) for _ in range(count))
    received = [r for r in received if r < now]
    serials: dict[date, int] = defaultdict(
        int, PetitionSerial.objects.filter(day__year=year).values_list("day", "last")
    )
    petitions: list[Petition] = []
    people: list[Submitter] = []
    events: list[list[PetitionEvent]] = []
    ratings: list[tuple[int, bool]] = []
    for at in received:
        about, title, content, answer = rng.choices(TOPICS, weights=_WEIGHTS)[0]
        agency = rng.choices(agencies, weights=weights)[0]
        day = at.astimezone(tz).date()
        serials[day] += 1
        code = format_code(f"{day:%y%m%d}", serials[day])
        consent = rng.random() < 0.8
        p = Petition(
            code=code, title=title, content=content, about=about, first_agency=agency, agency=agency,
            channel=rng.choices(["portal", "letter", "phone", "counter"], weights=[70, 10, 15, 5])[0],
            status=Status.RECEIVED, publish_consent=consent, received_at=at, held_since=at,
            due_at=plus(at, rules.classify), answer_due_at=plus(at, rules.answer),
        )  # fmt: skip
        log = [
            PetitionEvent(at=at, agency=agency, action="submit", from_status="", to_status=Status.RECEIVED)
        ]

        def step(t: datetime, action: str, after: Status, note: str = "", **data: Any) -> None:
            _step(p, log, t, action, after, note, **data)  # noqa: B023 — called within this iteration only

        t = plus(at, rng.choice([0.3, 0.8, 1.5, 1.9, 2.6]) if rng.random() < 0.1 else rng.uniform(0.2, 1.8))
        fate = rng.random()
        if t < now and fate < 0.07:
            p.reason = "Nội dung không thuộc phạm vi phản ánh, kiến nghị về quy định hành chính"
            step(t, "refuse", Status.REFUSED, p.reason)
            p.closed_at, p.due_at = t, None
        elif t < now:
            if fate < 0.17:
                target = rng.choice([a for a in agencies if a.pk != agency.pk])
                p.reason = "Chuyển cơ quan có thẩm quyền giải quyết"
                step(t, "forward", Status.FORWARDED, p.reason, to=target.code)
                p.agency, p.held_since = target, t
                p.due_at, p.answer_due_at = plus(t, rules.classify), plus(t, rules.answer)
                t = plus(t, rng.uniform(0.2, 1.5))
            if t < now:
                step(t, "accept", Status.ACCEPTED)
                p.accepted_at = t
                p.answer_due_at = p.due_at = plus(p.held_since, rules.answer)
                late = rng.random() < 0.06
                t = plus(t, rng.uniform(15.5, 19) if late else rng.uniform(2, 12))
                if t < now:
                    p.answer, p.answered_at = answer, t
                    step(t, "answer", Status.ANSWERED)
                    if consent:
                        p.due_at = plus(t, rules.publish)
                        t = plus(t, rng.uniform(0.1, 1.8) if rng.random() < 0.95 else rng.uniform(2.2, 4))
                        if t < now:
                            step(t, "publish", Status.PUBLISHED)
                            p.published_at = p.closed_at = t
                            p.due_at = None
                    else:
                        p.due_at, p.closed_at = None, t
                    if p.answered_at and rng.random() < 0.45:
                        ratings.append((len(petitions), rng.random() < 0.85))
        p.search = fold(f"{p.code} {p.title} {p.content} {p.answer}")
        petitions.append(p)
        family = rng.choice(_FAMILY)
        name = rng.choice(_EDE) if rng.random() < 0.15 else f"{family} {rng.choice(_GIVEN)}"
        people.append(Submitter(full_name=name, phone=f"09{rng.randrange(10**8):08d}"))
        events.append(log)
    with transaction.atomic():
        made = Petition.objects.bulk_create(petitions)
        for p, person in zip(made, people, strict=True):
            person.petition = p
        Submitter.objects.bulk_create(people)
        for p, log in zip(made, events, strict=True):
            for event in log:
                event.petition = p
        PetitionEvent.objects.bulk_create(e for log in events for e in log)
        Evaluation.objects.bulk_create(
            Evaluation(
                petition=made[i],
                satisfied=ok,
                created_at=min(now, (made[i].answered_at or now) + timedelta(days=3)),
            )
            for i, ok in ratings
        )
        PetitionSerial.objects.bulk_create(
            [PetitionSerial(day=day, last=last) for day, last in serials.items()],
            update_conflicts=True,
            unique_fields=["day"],
            update_fields=["last"],
        )
    published = sum(p.status == Status.PUBLISHED for p in made)
    return Report(len(made), published, (timezone.now() - started).total_seconds())
