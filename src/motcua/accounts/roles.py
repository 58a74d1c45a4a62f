"""The six roles of contract §1. Plain Python: the rules and the pages both ask it."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    RECEIVER = "receiver"  # cán bộ tiếp nhận (one-stop desk officer)
    SPECIALIST = "specialist"  # chuyên viên xử lý
    LEADER = "leader"  # lãnh đạo (approves)
    SUPERVISOR = "supervisor"  # read-only monitoring of an agency and everything under it
    CITIZEN = "citizen"  # công dân / tổ chức


STAFF_ROLES = frozenset({Role.RECEIVER, Role.SPECIALIST, Role.LEADER, Role.SUPERVISOR})
ROLES_NEEDING_AGENCY = STAFF_ROLES
