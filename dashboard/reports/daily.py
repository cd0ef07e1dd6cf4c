"""The day's (or a period's) report: orders, outages, the period's core KPIs, the call center, workload — as
sections for cells.py. No customer's name or phone: a management report carries none."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dashboard.domain import OrderStatus, OutageStatus
from dashboard.models import Outage, WorkOrder
from dashboard.reports.cells import Section
from dashboard.services.call_figures import call_center_figures
from dashboard.services.callcenter import ServiceLevelRule
from dashboard.services.workload import compute_workload

ORDER_COLUMNS = ("工单号 id", "网格 grid", "区县 district", "类别 category", "优先级 priority", "状态 status",
                 "地址 address", "受理 reported_at", "派单 dispatched_at", "到达 arrived_at", "复电 restored_at",
                 "到达用时(分) arrival_min", "复电用时(分) restore_min", "按时到达 on_time", "催办级别 level",
                 "抢修队 crew")
OUTAGE_COLUMNS = ("停电 id", "类型 kind", "状态 status", "原因 cause", "网格 grids", "区县 districts",
                  "开始 start", "预计复电 etr", "结束 end", "影响户数 customers", "敏感户 sensitive", "时长(分) minutes")


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """A calendar day of the center as [start, end) in UTC."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(), zone)
    return start, datetime.combine(day + timedelta(days=1), time(), zone)


def _minutes(later: datetime | None, earlier: datetime | None) -> float | None:
    return round((later - earlier).total_seconds() / 60, 1) if later and earlier else None


def order_rows(orders: list[WorkOrder]) -> list[list]:
    return [[o.id, o.grid_id, o.district, o.category, o.priority, o.status, o.address, o.reported_at,
             o.dispatched_at, o.arrived_at, o.restored_at, _minutes(o.arrived_at, o.reported_at),
             _minutes(o.restored_at, o.reported_at), None if o.arrived_at is None else o.arrived_at <= o.arrival_due,
             o.level, o.crew_id] for o in orders]


def outage_rows(outages: list[Outage], end: datetime) -> list[list]:
    return [[o.id, o.kind, o.status, o.cause, o.grid_ids, o.districts, o.start, o.etr, o.end, o.customers_affected,
             o.sensitive_customers, _minutes(min(o.end or end, end), o.start)] for o in outages]


def core_kpis(orders: list[WorkOrder], outages: list[Outage], start: datetime, end: datetime) -> list[list]:
    """The period's headline figures from its own rows (compute_kpis answers only for now: its 'open' and
    'customers out' are the present's, not a past day's). Orders are those received in the period."""
    live = [o for o in orders if o.status != OrderStatus.merged]
    arrived = [o for o in live if o.arrived_at is not None]
    on_time = sum(o.arrived_at <= o.arrival_due for o in arrived)
    restored = [o for o in live if o.restored_at is not None]
    late = sum((o.arrived_at or end) > o.arrival_due for o in live)  # arrived late, or not arrived by the end
    rows = [
        ("received", "受理工单", len(live)),
        ("arrived", "已到达", len(arrived)),
        ("on_time_arrival_rate", "按时到达率", round(on_time / len(arrived), 4) if arrived else None),
        ("avg_arrival_min", "平均到达用时(分)",
         round(mean(_minutes(o.arrived_at, o.reported_at) for o in arrived), 1) if arrived else None),
        ("restored", "已复电", len(restored)),
        ("avg_restore_min", "平均复电用时(分)",
         round(mean(_minutes(o.restored_at, o.reported_at) for o in restored), 1) if restored else None),
        ("arrival_late", "到达超时", late),
        ("sensitive", "敏感工单", sum(o.sensitive for o in live)),
        ("outages", "停电事件", len(outages)),
        ("outage_customers", "停电影响户数", sum(o.customers_affected for o in outages if o.covered_by is None)),
    ]
    return [[key, label, value] for key, label, value in rows]


CALL_COLUMNS = ("队列 queue", "呼入 offered", "接通 answered", "放弃 abandoned", "短放弃 short abandoned",
                "服务水平 service level", "接通率 answer rate", "放弃率 abandon rate", "平均应答(秒) ASA s",
                "平均通话(秒) talk s", "平均处理(秒) AHT s", "占用率 occupancy")


def callcenter_rows(figures: dict) -> list[list]:
    """Per queue and in total, call_center_figures' answer for the period (definitions: docs/figures.md)."""
    def row(name: str, f: dict) -> list:
        return [name, f["offered"], f["answered"], f["abandoned"], f["short_abandoned"], f["service_level"],
                f["answer_rate"], f["abandon_rate"], f["asa_s"], f["talk_s"], f["aht_s"], f["occupancy"]]
    return [row(q["id"], q) for q in figures["queues"]] + [row("合计 total", figures["overall"])]


def build_daily(session: Session, start: datetime, end: datetime, rule: ServiceLevelRule) -> list[Section]:
    """The report's sections for [start, end); the workload runs to `end` (clip it to now before a running day)."""
    orders = list(session.scalars(select(WorkOrder).where(WorkOrder.reported_at >= start, WorkOrder.reported_at < end)
                                  .order_by(WorkOrder.reported_at, WorkOrder.id)))
    outages = list(session.scalars(select(Outage).where(
        Outage.start < end, or_(Outage.end.is_(None), Outage.end >= start), Outage.status != OutageStatus.merged).order_by(Outage.start, Outage.id)))
    calls = call_center_figures(session, start, end, target_s=rule.target_s, short_abandon_s=rule.short_abandon_s)
    work = compute_workload(session, start, end)
    return [
        Section("工单 orders", ORDER_COLUMNS, order_rows(orders)),
        Section("停电 outages", OUTAGE_COLUMNS, outage_rows(outages, end)),
        Section("指标 KPIs", ("key", "指标", "value"), core_kpis(orders, outages, start, end)),
        Section("话务 call center", CALL_COLUMNS, callcenter_rows(calls)),
        *workload_sections(work),
    ]


AGENT_COLUMNS = ("座席 seat", "坐席员 agent", "班组 group", "接听 calls", "AHT(秒) s", "通话(秒) talk s",
                 "话后(秒) wrap-up s", "占用率 occupancy", "示忙(秒) not-ready s", "登录(秒) logged-in s")
DISPATCHER_COLUMNS = ("调度员 dispatcher", "派单 orders", "已到达 arrived", "按时 on time", "按时率 on-time rate",
                      "催办 escalations")
CREW_COLUMNS = ("抢修队 crew", "名称 name", "班组 team", "工单 orders", "已到达 arrived", "按时 on time",
                "复电 restored", "按时率 on-time rate")


def agent_rows(agents: list[dict]) -> list[list]:
    return [[a["seat"], a["agent"], a["group"], a["calls_answered"], a["aht_s"], a["talk_s"], a["wrap_up_s"],
             a["occupancy"], a["not_ready_s"], a["logged_in_s"]] for a in agents]


def dispatcher_rows(dispatchers: list[dict]) -> list[list]:
    return [[d["dispatcher"], d["orders_dispatched"], d["arrived"], d["on_time"], d["on_time_rate"],
             d["escalations"]] for d in dispatchers]


def crew_rows(crews: list[dict]) -> list[list]:
    return [[c["crew"], c["name"], c["team"], c["orders"], c["arrived"], c["on_time"], c["restored"],
             c["on_time_rate"]] for c in crews]


def workload_sections(work: dict) -> list[Section]:
    return [Section("座席工作量 agents", AGENT_COLUMNS, agent_rows(work["agents"])),
            Section("调度工作量 dispatchers", DISPATCHER_COLUMNS, dispatcher_rows(work["dispatchers"]))]
