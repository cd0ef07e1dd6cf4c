"""The demo's grid responsibility: a manager (网格经理) and one to three liaisons (电力联络员) for every grid, loaded
on a demo's first start. Synthetic: names and phone numbers are made up."""
from __future__ import annotations

import logging
import random
from datetime import datetime

from sqlalchemy import func, insert, select

from dashboard.db import Database
from dashboard.demo_network import GIVEN, SURNAMES
from dashboard.models import GridContact, GridRow

log = logging.getLogger(__name__)
VILLAGE_HEADS = ("王家", "李各", "东", "西", "南", "北", "上", "下", "大", "小", "前", "后", "马", "高", "石", "黄")
VILLAGE_TAILS = {"rural": ("庄", "营", "屯", "坊", "店", "台", "河"), "remote": ("峪", "沟", "岭", "台", "口", "峪")}
COMMUNITIES = ("和平里", "安贞", "六里屯", "甘家口", "花园路", "望京西园", "劲松", "团结湖", "方庄", "北太平庄",
               "清河", "马连道", "八角", "鲁谷", "新街口", "天通苑")


def seed_demo_contacts(db: Database, now: datetime, seed: int = 95598) -> bool:
    """Contacts for every grid, once, into a database that has none (contacts someone set are theirs)."""
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(GridContact)):
            return False
        grids = session.execute(select(GridRow.id, GridRow.area_class).order_by(GridRow.id)).all()
    rows = demo_contacts(grids, now, random.Random(seed))
    with db.write() as session:
        session.execute(insert(GridContact), rows)
    log.warning("demo grid contacts: %d people for %d grids", len(rows), len(grids))
    return True


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"


def _place(rng: random.Random, area_class: str) -> str:
    """A village (农村, 边远) or a community (城区) the liaison speaks for."""
    if area_class in VILLAGE_TAILS:
        return f"{rng.choice(VILLAGE_HEADS)}{rng.choice(VILLAGE_TAILS[area_class])}村"
    return f"{rng.choice(COMMUNITIES)}社区"


def demo_contacts(grids, now: datetime, rng: random.Random) -> list[dict]:
    rows: list[dict] = []
    for grid_id, area_class in grids:
        rows.append({"grid_id": grid_id, "role": "manager", "position": 0, "name": _name(rng), "phone": _mobile(rng),
                     "village": None, "email": None, "updated_at": now})
        places: list[str] = []
        count = rng.randint(1, 3)
        while len(places) < count:  # one grid's liaisons speak for different places
            place = _place(rng, area_class)
            if place not in places:
                places.append(place)
        for n, place in enumerate(places, start=1):
            rows.append({"grid_id": grid_id, "role": "liaison", "position": n, "name": _name(rng),
                         "phone": _mobile(rng), "village": place, "email": None, "updated_at": now})
    return rows
