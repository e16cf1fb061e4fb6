"""Roles are Django groups with these names (what a ward official reads in the UI)."""

LEADER = "Lãnh đạo UBND"
CULTURE_STAFF = "Cán bộ Phòng Văn hóa - Xã hội"
UNIT_STAFF = "Cán bộ đơn vị"
EDITOR = "Biên tập viên"
APPROVER = "Người duyệt"
DIGITAL_TEAM = "Thành viên Tổ công nghệ số cộng đồng"
# Reads every ward of one city (dashboard and reports); changes nothing in a ward.
CITY_STAFF = "Cán bộ Thành phố"

ALL_ROLES = [
    LEADER,
    CULTURE_STAFF,
    UNIT_STAFF,
    EDITOR,
    APPROVER,
    DIGITAL_TEAM,
    CITY_STAFF,
]

# Roles that run the plan for the whole ward: import, review and urge.
PLAN_MANAGERS = {LEADER, CULTURE_STAFF}
