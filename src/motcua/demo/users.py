"""The demo users, one per role (the README prints this table)."""

DEMO_PASSWORD = "MotCua@2026"  # noqa: S105 — printed in the README on purpose; demo only

# (username, role, agency code, full name, personal ID)
DEMO_USERS = [
    ("quantri", "admin", None, "Quản trị hệ thống", None),
    ("tiepnhan", "receiver", "H15.TTPV", "Nguyễn Thị Thu Hà", None),
    ("tiepnhan.bmt", "receiver", "H15.100.TTPV", "Y Blir Êban", None),
    ("chuyenvien", "specialist", "H15.100", "Trần Văn Minh", None),
    ("lanhdao", "leader", "H15.100", "Lê Quang Huy", None),
    ("chuyenvien.stc", "specialist", "H15.STC", "Đoàn Thị Mai", None),
    ("lanhdao.stc", "leader", "H15.STC", "Võ Minh Tuấn", None),
    ("giamsat", "supervisor", "H15", "Phạm Thị Lan", None),
    ("congdan", "citizen", None, "H'Hen Niê", "066195012345"),
]
