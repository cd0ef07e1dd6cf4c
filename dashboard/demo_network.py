"""The demo's distribution network and customer register: the committed Beijing network, loaded on a demo's first start,
and a synthetic register of the customers who call and of those who need care in an outage."""
from __future__ import annotations

import logging
import random
import time
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, insert, select

from dashboard.db import Database
from dashboard.models import Customer, Device, GridRow
from dashboard.network.files import read_network_file
from dashboard.services.topology import replace_topology, touch_customers

log = logging.getLogger(__name__)
NETWORK_FILE = Path(__file__).resolve().parents[1] / "geo" / "data" / "beijing_network.csv.gz"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "秀英", "桂兰", "志强", "丽", "伟", "芳", "敏", "静", "磊", "淑珍", "玉兰", "德明", "海燕", "俊杰")
IMPORTANT = ("医院", "社区卫生服务中心", "中学", "小学", "养老院", "自来水厂", "地铁站", "供热站")
STREETS = ("中关村大街", "长安街", "朝阳路", "京顺路", "丰台路", "阜成路", "望京街", "广渠路", "安华路", "双榆树路")
# Per transformer: registered callers, and the odds of each kind of care customer under it.
CALLERS_PER_TRANSFORMER = 3
CARE_ODDS = (("vulnerable", 0.12), ("life_support", 0.02), ("important", 0.03))
ARREARS_ODDS = 0.01


def seed_demo_network(db: Database, now: datetime, path: Path = NETWORK_FILE, seed: int = 95598) -> bool:
    """Load the demo network and its register once, into an empty network (a network someone imported is theirs).
    True when loaded now."""
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(Device)):
            return False
        grid_ids = set(session.scalars(select(GridRow.id)))
    started = time.perf_counter()
    devices = [d for d in read_network_file(path) if d.grid_id is None or d.grid_id in grid_ids]
    if len(grid_ids) and not any(d.grid_id for d in devices):
        log.warning("demo network not loaded: its grids are not this server's grids")
        return False
    with db.write() as session:
        replace_topology(session, devices)
        districts = dict(session.execute(select(GridRow.id, GridRow.district)).all())
        rows = demo_customers(devices, districts, now, random.Random(seed))
        for i in range(0, len(rows), 5000):
            session.execute(insert(Customer), rows[i:i + 5000])
        touch_customers(session, uuid.uuid4().hex[:12])
    log.warning("demo network: %d devices, %d registered customers, loaded in %.1f s", len(devices), len(rows),
                time.perf_counter() - started)
    return True


def demo_customers(devices, districts: dict[str, str], now: datetime, rng: random.Random) -> list[dict]:
    """A few registered callers under every transformer, some care customers, a few accounts cut for arrears.
    Synthetic: names, phones and addresses are made up."""
    rows: list[dict] = []
    for d in devices:
        if d.kind != "transformer":
            continue
        district = districts.get(d.grid_id or "", "")
        cares = [c for c, odds in CARE_ODDS if rng.random() < odds]
        for k in range(CALLERS_PER_TRANSFORMER + len(cares)):
            care = cares[k - CALLERS_PER_TRANSFORMER] if k >= CALLERS_PER_TRANSFORMER else None
            street = rng.choice(STREETS)
            name = (f"{district.removesuffix('区')}{street[:2]}{rng.choice(IMPORTANT)}" if care == "important"
                    else rng.choice(SURNAMES) + rng.choice(GIVEN))
            rows.append({"id": f"01{d.id[1:]}{k:02d}", "transformer_id": d.id, "name": name,
                         "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                         "address": f"{district}{street}{rng.randint(1, 300)}号", "care": care,
                         "account_status": "arrears_disconnected" if not care and rng.random() < ARREARS_ODDS
                         else "normal", "updated_at": now})
    return rows
