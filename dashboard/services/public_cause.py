"""An outage's cause in the public's words: one of a few fixed wordings, never the text another system typed."""
from __future__ import annotations

# The cause another system sent is free text (up to 256 characters, written for the center, and it may name a
# customer or a street). The public gets one of these wordings, picked by the kind of outage and a few words in
# that text; nothing of the text itself.
PUBLIC_CAUSES: dict[str, tuple[str, str]] = {
    "planned_work": ("计划检修施工", "Planned maintenance"),
    "switching": ("电网运行方式调整", "Grid switching operation"),
    "weather": ("恶劣天气影响", "Severe weather"),
    "external_damage": ("外力破坏", "External damage"),
    "equipment_fault": ("供电设备故障", "Equipment fault"),
}
_WEATHER = ("风", "雷", "雨", "雪", "冰", "暴", "台风", "洪", "涝", "高温", "storm", "wind", "lightning", "rain",
            "snow", "ice", "typhoon", "flood", "weather")
_EXTERNAL = ("外力", "施工", "挖断", "车辆", "撞", "异物", "鸟", "树", "盗", "vehicle", "dig", "construction",
             "tree", "animal", "bird", "theft")
_SWITCHING = ("switching", "倒闸", "转供")


def public_cause(kind: str, source: str | None, cause: str | None) -> str:
    """The public cause code of an outage (a key of PUBLIC_CAUSES)."""
    if kind == "planned":
        return "planned_work"
    text = (cause or "").lower()
    if source == "commanded" or any(w in text for w in _SWITCHING):
        return "switching"
    if any(w in text for w in _WEATHER):
        return "weather"
    if any(w in text for w in _EXTERNAL):
        return "external_damage"
    return "equipment_fault"


def cause_text(code: str) -> dict[str, str]:
    """The wording of a cause code in both languages: {"zh": ..., "en": ...}."""
    zh, en = PUBLIC_CAUSES[code]
    return {"zh": zh, "en": en}
