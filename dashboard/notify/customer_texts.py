"""The customers' words: short Chinese SMS texts of an outage (we know, the new ETR, power is back) and of a
planned outage, with no device names or internal ids a customer could not use (times in the center's zone)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dashboard.notify.texts import clock_time, parse

MAINTENANCE = {"scheduled": "计划检修", "temporary": "临时检修"}
SIGNATURE = "如有疑问请拨打95598。"


def _etr(value: str | None, now: datetime, tz: str) -> str:
    return clock_time(parse(value), now, tz) if value else "待定"


def _dated(value: str | None, tz: str) -> str:
    """Always with its date (a planned outage is days ahead): 11月30日08:00."""
    moment = parse(value)
    if moment is None:
        return "待定"
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local.month}月{local.day}日{local:%H:%M}"


def outage_known(outage: dict, now: datetime, tz: str) -> str:
    return (f"【停电告知】我们已知晓您所在区域停电，抢修人员正在赶往现场，预计恢复供电时间{_etr(outage.get('etr'), now, tz)}。"
            f"{SIGNATURE}")


def etr_moved(outage: dict, before: str | None, now: datetime, tz: str) -> str:
    return (f"【复电时间更新】您所在区域停电的预计恢复供电时间由{_etr(before, now, tz)}调整为"
            f"{_etr(outage.get('etr'), now, tz)}，抢修人员正在处理。{SIGNATURE}")


def power_back(outage: dict, now: datetime, tz: str) -> str:
    end = parse(outage.get("end")) or now
    return f"【已恢复供电】您所在区域已于{clock_time(end, now, tz)}恢复供电，感谢您的理解与支持。{SIGNATURE}"


def planned(outage: dict, tz: str) -> str:
    work = MAINTENANCE.get(outage.get("maintenance") or "scheduled", "计划检修")
    cause = outage.get("cause")
    why = f"{work}（{cause}）" if cause and cause != work else work
    until = f"至{_dated(outage.get('etr'), tz)}" if outage.get("etr") else ""
    return f"【计划停电通知】因{why}，您所在区域定于{_dated(outage.get('start'), tz)}{until}停电，请提前做好准备。{SIGNATURE}"
