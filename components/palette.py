"""Colours and symbols shared by the figures: readable with colour-blindness (no red/green pairs)."""

BODY_COLOURS = {"cfm": "#0072B2", "cmo": "#009E73", "chs": "#CC79A7", "chg": "#D55E00"}
SESSION_SYMBOLS = {"held": "circle", "not_held": "x-open", "postponed": "circle-open"}

# Attendance categories, in legend order (Okabe-Ito blues vs orange, grey for unknown).
ATTENDANCE_COLOURS = {
    "present": "#0072B2",
    "absent": "#E69F00",
    "unknown": "#BDBDBD",
    "not a member": "#FFFFFF",
}

# Stacked attendance bars: (status, legend label), in stacking order.
STATUS_LABELS = (("present", "present"), ("absent", "absent"), ("unknown", "no information"))

# Participation grid: delegation level shades of blue, absent orange, unknown grey.
GRID_CATEGORIES = (
    ("not a member", "#FFFFFF"),
    ("no information", "#D9D9D9"),
    ("absent", "#E69F00"),
    ("present, level not stated", "#C6DBEF"),
    ("present: ambassador or other", "#6BAED6"),
    ("present: deputy minister", "#2171B5"),
    ("present: minister", "#08306B"),
    ("present: head of state or government", "#3F007D"),
)

# Seats by how they are known (coverage): darker = firmer evidence, grey = no information.
BASIS_COLOURS = {"stated": "#08306B", "list": "#4292C6", "announced": "#C6DBEF",
                 "unknown": "#BDBDBD"}
