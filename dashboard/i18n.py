"""UI strings in zh-CN (default) and English; one table, looked up by key."""
from __future__ import annotations

LANGS = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {
    "login.title": ("登录", "Sign in"),
    "login.user": ("用户名", "User name"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Sign in"),
    "login.failed": ("用户名或密码错误", "Wrong user name or password"),
    "login.demo": ("演示账号：wall / wall-demo（大屏）· dispatch / dispatch-demo · admin / admin-demo",
                   "Demo accounts: wall / wall-demo (wall) · dispatch / dispatch-demo · admin / admin-demo"),
    "wall.title": ("供电服务指挥中心", "Power Supply Service Command Center"),
    "wall.connected": ("实时", "LIVE"),
    "wall.connecting": ("连接中", "connecting"),
    "wall.reconnecting": ("重新连接中 · 最后更新", "reconnecting · last update"),
    "wall.map": ("网格态势", "Grid situation"),
    "wall.kpi.open": ("在途工单", "Open orders"),
    "wall.kpi.received": ("今日受理", "Received today"),
    "wall.kpi.overdue": ("超时", "Overdue"),
    "wall.kpi.customers_out": ("停电户数", "Customers out"),
    "wall.kpi.crews_available": ("空闲队伍", "Crews free"),
    "wall.kpi.crews_busy": ("出动队伍", "Crews out"),
    "wall.kpi.on_time": ("到达及时率", "On-time arrival"),
    "wall.kpi.service_level": ("服务水平", "Service level"),
    "wall.seats": ("坐席与队列", "Seats and queues"),
    "wall.queue": ("队列", "Queue"),
    "wall.waiting": ("排队", "Waiting"),
    "wall.longest": ("最长等待", "Longest wait"),
    "wall.sl": ("服务水平", "SL"),
    "wall.abandon": ("放弃率", "Abandoned"),
    "wall.legend.orders": ("工单", "Orders"),
    "wall.legend.crews": ("抢修队伍", "Crews"),
    "wall.updated": ("更新于", "updated"),
    "queue.repair": ("故障报修", "Repairs"),
    "queue.enquiry": ("业务咨询", "Enquiries"),
    "queue.complaint": ("投诉", "Complaints"),
    "seat.available": ("空闲", "Available"),
    "seat.ringing": ("振铃", "Ringing"),
    "seat.talking": ("通话", "Talking"),
    "seat.wrap_up": ("话后", "Wrap-up"),
    "seat.not_ready": ("示忙", "Not ready"),
    "seat.logged_out": ("签出", "Logged out"),
    "order.received": ("受理", "Received"),
    "order.dispatched": ("派单", "Dispatched"),
    "order.accepted": ("接单", "Accepted"),
    "order.en_route": ("途中", "En route"),
    "order.on_site": ("到达", "On site"),
    "crew.available": ("空闲", "Available"),
    "crew.dispatched": ("已派", "Dispatched"),
    "crew.en_route": ("途中", "En route"),
    "crew.on_site": ("现场", "On site"),
    "crew.off_duty": ("下班", "Off duty"),
    "outage.planned": ("计划停电", "Planned outage"),
    "outage.unplanned": ("故障停电", "Unplanned outage"),
}


def t(key: str, lang: str = "zh") -> str:
    zh, en = STRINGS.get(key, (key, key))
    return en if lang == "en" else zh


def table(lang: str) -> dict[str, str]:
    """All strings of one language, for the browser."""
    return {k: (en if lang == "en" else zh) for k, (zh, en) in STRINGS.items()}
