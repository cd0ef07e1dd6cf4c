"""The notices' words: short Chinese texts, as an SMS, for the grid's people (times in the center's zone)."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

DEVICE_KINDS = {"station": "变电站", "feeder": "线路", "switch": "开关", "transformer": "台区"}
STATES = {"predicted": "研判停电", "confirmed": "确认停电", "active": "停电"}
TICKET_KINDS = {"complaint": "投诉", "report": "举报", "consultation": "咨询", "service": "业务"}
CATEGORIES = {"hv": "高压故障", "lv": "低压故障", "power_quality": "电能质量", "meter": "计量装置",
              "customer_internal": "客户内部故障", "hazard": "安全隐患", "other": "其他"}


def parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def clock_time(value: datetime | None, now: datetime, tz: str) -> str:
    """14:30 today, 11月23日14:30 on another day; 待定 when unknown."""
    if value is None:
        return "待定"
    zone = ZoneInfo(tz)
    local = value.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return local.strftime("%H:%M")
    return f"{local.month}月{local.day}日{local:%H:%M}"


def duration(span: timedelta) -> str:
    minutes = max(0, round(span.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours}小时{minutes}分" if hours else f"{minutes}分钟"


def what_failed(outage: dict, device_name: str | None) -> str:
    """The device (its kind and name) or, for an area reported by another system, its districts and cause."""
    if outage.get("device_id"):
        kind = DEVICE_KINDS.get(outage.get("device_kind") or "", "设备")
        return f"{kind}{device_name or outage['device_id']}"
    area = "、".join(outage.get("districts") or []) or "区域"
    cause = outage.get("cause")
    return f"{area}{'（' + cause + '）' if cause else ''}"


def opened(outage: dict, grid: str, what: str, now: datetime, tz: str) -> str:
    care = outage.get("care_customers") or 0
    care_text = f"，其中敏感用户{care}户" if care else ""
    state = STATES.get(outage.get("status") or "", "停电")
    etr = parse(outage.get("etr"))
    etr_text = f"预计{clock_time(etr, now, tz)}复电" if etr else "复电时间待定"
    return (f"【停电通知】{grid}：{what}{state}，影响{outage.get('customers_affected') or 0}户{care_text}，"
            f"{etr_text}。停电#{outage['id']}")


def etr_changed(outage: dict, grid: str, what: str, before: str | None, now: datetime, tz: str) -> str:
    return (f"【复电时间变更】{grid}：停电#{outage['id']}（{what}）预计复电时间由"
            f"{clock_time(parse(before), now, tz)}改为{clock_time(parse(outage.get('etr')), now, tz)}。")


def restored(outage: dict, grid: str, what: str, now: datetime, tz: str) -> str:
    start, end = parse(outage.get("start")), parse(outage.get("end")) or now
    lasted = f"，停电{duration(end - start)}" if start else ""
    return f"【已复电】{grid}：停电#{outage['id']}（{what}）已于{clock_time(end, now, tz)}恢复供电{lasted}。"


def escalated(order: dict, grid: str, now: datetime, tz: str) -> str:
    limit = "修复" if order.get("arrived_at") else "到场"
    due = parse(order.get("due_at"))
    when = "已超时" if order.get("overdue") else f"将于{clock_time(due, now, tz)}到期"
    place = order.get("address") or CATEGORIES.get(order.get("category") or "", "")
    return f"【催办{order['level']}级】{grid}：工单#{order['id']}（{place}）{limit}时限{when}，请督办。"


def ticket_escalated(ticket: dict, grid: str, now: datetime, tz: str) -> str:
    """No customer's name, phone or words: the subject line only says what the ticket is about."""
    limit = "办结" if ticket.get("contacted_at") else "联系客户"
    due = parse(ticket.get("due_at"))
    when = "已超时" if ticket.get("overdue") else f"将于{clock_time(due, now, tz)}到期"
    kind = TICKET_KINDS.get(ticket.get("kind") or "", "客服")
    return f"【催办{ticket['level']}级】{grid}：{kind}工单#{ticket['id']}{limit}时限{when}，请督办。"
