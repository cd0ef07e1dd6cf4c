"""A storm over Beijing for the demo: feeder trips black out grids and bring bursts of calls from inside them,
scattered single faults and non-fault calls, crews driving to their orders through the lifecycle; the call
center is simulator/callcenter.py. Everything enters through the same services the REST API calls."""
from __future__ import annotations

import itertools
import logging
import math
import random
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from shapely.geometry import Point, shape
from sqlalchemy import select

from dashboard.domain import CallbackResult, CallbackStatus, OrderStatus
from dashboard.errors import ServiceError
from dashboard.models import CallbackTask, Crew, GridRow, WorkOrder
from dashboard.schemas import CrewIn, OutageIn, OutagePatchIn
from dashboard.services import callback_attempts, crews, dispatch, faults, outages, workorders
from dashboard.services.dispatch import ROAD_FACTOR, SPEED_KMH
from dashboard.services.audit import Actor
from dashboard.simulator.callcenter import CallCenterSim
from dashboard.simulator.device_trips import DeviceTrips
from dashboard.simulator.late_notices import LateNotices
from dashboard.simulator.schedule import Schedule
from dashboard.simulator.tickets import TicketSim
from geo.distance import haversine_km

log = logging.getLogger(__name__)
SIMULATOR = Actor("simulator", "system")
PLATFORM = Actor("95598", "ingest")  # the hotline's callback agents post results as the platform would

CATEGORY_MIX = (("lv", 40), ("hv", 6), ("meter", 14), ("customer_internal", 20), ("power_quality", 6),
                ("hazard", 4), ("other", 10))
# Simulated seconds (divided by the simulator's speed). The dispatcher leaves an order for the people at the console
# first; crews accept, turn out, repair and the callback follows after believable delays, so the wall's arrival and
# restoration figures read like a real storm's (tens of minutes, some overdue), not like a cartoon's.
DISPATCH_AFTER_S = 120
ACCEPT_S = (60, 240)
TURNOUT_S = (120, 420)  # after accepting, before rolling
REPAIR_MIN = {"hv": (60, 180), "lv": (20, 75), "hazard": (30, 90)}
REPAIR_MIN_OTHER = (15, 45)
CALLBACK_S = (600, 2400)  # restored → the platform rings the customer back (回访)
# What the callback finds: most customers satisfied, some not, some not picking up (rung again later, at most three
# times in all; then the order is archived as unreachable).
CALLBACK_MIX = ((CallbackResult.satisfied, 80), (CallbackResult.not_satisfied, 7), (CallbackResult.not_reached, 13))
CALLBACK_NOTES = {CallbackResult.satisfied: ("抢修及时，表示满意", "客户满意"),
                  CallbackResult.not_satisfied: ("抢修时间过长", "停电期间未获告知"),
                  CallbackResult.not_reached: ("无人接听", "关机", "占线")}
RING_AGAIN_S = (1800, 5400)
ARCHIVE_S = (60, 600)  # reached (visited) or unreachable → archived (closed) by the center
STORM_EVERY_S, STORM_LASTS_S = 3 * 3600, 45 * 60
STREETS = ("中关村大街", "长安街", "朝阳路", "西四环", "京顺路", "丰台路", "阜成路", "望京街", "广渠路", "南三环")


@dataclass
class _CrewTrip:
    order_id: int
    lon: float
    lat: float
    category: str = "lv"
    area_class: str = "urban"
    phase: str = "dispatched"


class StormSimulator:
    def __init__(self, services, *, speed: float = 1.0, seed: int = 95598, tick_s: float = 1.0):
        self.s = services
        self.speed = max(speed, 0.01)
        self.tick_s = tick_s
        self.rng = random.Random(seed)
        self.schedule = Schedule(lambda: self.s.clock().timestamp(), self.speed)
        self.calls = CallCenterSim(services, self.rng, self.schedule)
        # Its own random stream: the storm's stays as it was, ticket or not.
        self.tickets = TicketSim(services, random.Random(seed + 1), self.schedule, self._ticket_place)
        self._ids = itertools.count(1)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._grids: dict[str, dict] = {}
        self._trips: dict[str, _CrewTrip] = {}
        self._crew_pos: dict[str, tuple[float, float]] = {}
        self._outage_orders: dict[int, set[int]] = {}
        self._ringing: set[int] = set()  # orders whose callbacks the platform has in hand
        self.trips: DeviceTrips | None = None  # storms break real devices once a network is loaded
        self._started = 0.0
        self.ticks = 0
        self.run = ""  # this run's tag in every external id: a restart on the same database makes new ones

    # --- lifecycle ------------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="storm-simulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            self.setup()
        except Exception:
            log.exception("simulator setup failed")
            return
        while not self._stop.wait(self.tick_s):
            try:
                self.step()
            except Exception:  # the demo must keep going whatever one tick met
                log.exception("simulator tick failed")

    def _now(self) -> datetime:
        return self.s.clock()

    def _t(self) -> float:
        return self._now().timestamp()

    # --- set-up ---------------------------------------------------------------------------------------
    def setup(self) -> None:
        with self.s.db.read() as session:
            for row in session.scalars(select(GridRow)):
                geom = shape(row.geometry)
                self._grids[row.id] = {"geom": geom, "district": row.district, "area_class": row.area_class,
                                       "customers": row.customers, "centre": geom.representative_point()}
        self._started = self._t()
        started = self._now()
        self.run = f"{started:%y%m%d%H%M%S}{started.microsecond // 1000:03d}"
        self.calls.run = self.run
        with self.s.db.read() as session:
            judging = self.s.judging(session)
        if judging is not None:
            self.trips = DeviceTrips(self.s, judging.network, self.rng, self.schedule, self._fault, SIMULATOR)
        self._setup_crews()
        self.calls.setup()
        self.tickets.run = self.run
        self.tickets.setup()
        self._setup_planned_outages()
        LateNotices(self.s, judging.network if judging else None, self.rng, self.schedule.later, self.run,
                    sorted(self._grids)).start()

    def _setup_crews(self) -> None:
        by_district: dict[str, list[str]] = {}
        for gid, g in self._grids.items():
            by_district.setdefault(g["district"], []).append(gid)
        positions = []
        now = self._now()
        n = 0
        for district, gids in sorted(by_district.items()):
            urban = sum(1 for g in gids if self._grids[g]["area_class"] == "urban")
            for k in range(max(4, urban // 2 + len(gids) // 2)):  # some 200 crews across Beijing
                n += 1
                base = self.rng.choice(gids)
                crew_id = f"C{n:03d}"
                skills = ["lv"] + (["hv"] if k % 3 == 0 else []) + (["meter"] if k % 4 == 1 else [])
                body = CrewIn(name=f"{district.removesuffix('区')}抢修{k + 1}班", team=f"{district}供电中心",
                              skills=skills, members=self.rng.choice((2, 3, 3, 4)), phone=f"1390000{n:04d}",
                              base_grid_id=base, on_duty=self.rng.random() > 0.08)
                with self.s.db.write() as session:
                    crews.upsert_crew(session, self.s.bus, self.s.catalog, crew_id, body, now)
                p = self._random_point(base)
                self._crew_pos[crew_id] = p
                positions.append({"crew_id": crew_id, "lon": p[0], "lat": p[1], "at": now.isoformat(),
                                  "speed_kmh": 0.0})
        with self.s.db.write() as session:
            crews.record_positions(session, self.s.bus, self.s.catalog, positions, now)

    def _setup_planned_outages(self) -> None:
        now = self._now()
        for gid in self.rng.sample(sorted(g for g, v in self._grids.items() if v["area_class"] != "urban"), 2):
            g = self._grids[gid]
            body = OutageIn(external_id=f"PLAN-{gid}-{self.run}", kind="planned", grid_ids=[gid],
                            start=now - timedelta(hours=1), etr=now + timedelta(hours=3),
                            customers_affected=int(g["customers"] * 0.4), sensitive_customers=0,
                            cause="计划检修", notified_at=now - timedelta(days=7))
            with self.s.db.write() as session:
                outages.create_outage(session, self.s.bus, self.s.catalog, body, now)
        # And one tomorrow morning, noticed a week ahead as the rule says: the wall shows it apart ("upcoming 24 h").
        gid = self.rng.choice(sorted(g for g, v in self._grids.items() if v["area_class"] == "rural"))
        start = (now + timedelta(hours=8)).replace(minute=0, second=0, microsecond=0)
        body = OutageIn(external_id=f"PLAN-{gid}-{self.run}-T", kind="planned", grid_ids=[gid], start=start,
                        etr=start + timedelta(hours=4), customers_affected=int(self._grids[gid]["customers"] * 0.2),
                        sensitive_customers=1, cause="配网改造", notified_at=now - timedelta(days=8))
        with self.s.db.write() as session:
            outages.create_outage(session, self.s.bus, self.s.catalog, body, now)

    # --- one tick ------------------------------------------------------------------------------------
    def step(self) -> None:
        self.ticks += 1
        self._storm_weather()
        self._scattered_faults()
        self.tickets.step(self.stormy())
        for job in self.schedule.due():
            try:
                job.fn(*job.args)
            except ServiceError as exc:  # races with people using the wall at the same time are normal
                log.debug("simulator %s skipped: %s", job.fn.__name__, exc)
        self._dispatch_waiting()
        self._follow_assigned()
        self._drive()
        if self.ticks % 10 == 0:
            self._take_callbacks()

    def stormy(self) -> bool:
        """A storm passes for the first 45 minutes of every 3 simulated hours, starting when the demo does: the
        crews fall behind while it blows and catch up after, so the backlog of a demo left on for days stays
        bounded and its overdue orders rise and fall like a real shift's."""
        return ((self._t() - self._started) * self.speed) % STORM_EVERY_S < STORM_LASTS_S

    def storm_centre(self) -> tuple[float, float]:
        """The storm crosses the city south-west to north-east in about 20 simulated minutes, then again."""
        phase = ((self._t() - self._started) * self.speed / 1200.0) % 1.0
        return 115.9 + 1.0 * phase, 39.55 + 0.9 * phase

    def _storm_weather(self) -> None:
        if self.rng.random() > (0.008 if self.stormy() else 0.001) * self.speed:  # failures per second
            return
        cx, cy = self.storm_centre()
        if self.trips is not None:
            self.trips.trip_near(cx, cy)
            return
        near = [gid for gid, g in self._grids.items()
                if haversine_km(g["centre"].x, g["centre"].y, cx, cy) < 18]
        if near:
            self._feeder_trip(self.rng.choice(near))

    def _feeder_trip(self, gid: str) -> None:
        g = self._grids[gid]
        area = [gid] + [o for o, v in self._grids.items() if o != gid and self.rng.random() < 0.5
                        and v["geom"].touches(g["geom"])][:1]
        customers = int(sum(self._grids[a]["customers"] for a in area) * self.rng.uniform(0.1, 0.5))
        now = self._now()
        body = OutageIn(external_id=f"TRIP-{self.run}-{next(self._ids):05d}", kind="unplanned", grid_ids=area,
                        start=now,
                        etr=now + timedelta(hours=self.rng.uniform(1.5, 4)), customers_affected=max(customers, 1),
                        sensitive_customers=self.rng.choice((0, 0, 0, 1, 2)), cause="大风致线路跳闸")
        with self.s.db.write() as session:
            view, _ = outages.create_outage(session, self.s.bus, self.s.catalog, body, now)
        self._outage_orders[view["id"]] = set()
        calls = 1 + min(int(self.rng.expovariate(1 / max(customers / 400, 2))), 30)
        for _ in range(calls):
            self.schedule.later(self.rng.uniform(2, 240), self._fault, self.rng.choice(area), "lv", None, view["id"])
        self.schedule.later(1800, self._end_outage, view["id"])  # a trip nobody called about still ends

    def _scattered_faults(self) -> None:
        # Calls an hour: about 145 in the storm, 36 between storms; a third of them are not grid faults.
        rate = (0.04 if self.stormy() else 0.01) * self.speed
        for _ in range(self._poisson(rate)):
            gid = self.rng.choices(list(self._grids), [g["customers"] + 50 for g in self._grids.values()])[0]
            cats, weights = zip(*CATEGORY_MIX)
            self._fault(gid, self.rng.choices(cats, weights)[0])

    def _poisson(self, lam: float) -> int:
        n, limit, p = 0, math.exp(-lam), self.rng.random()
        while p > limit:
            n += 1
            p *= self.rng.random()
        return n

    def _random_point(self, gid: str) -> tuple[float, float]:
        geom = self._grids[gid]["geom"]
        minx, miny, maxx, maxy = geom.bounds
        for _ in range(50):
            x, y = self.rng.uniform(minx, maxx), self.rng.uniform(miny, maxy)
            if geom.contains(Point(x, y)):
                return round(x, 6), round(y, 6)
        c = self._grids[gid]["centre"]
        return round(c.x, 6), round(c.y, 6)

    def _ticket_place(self) -> tuple[float, float]:
        """Where a service ticket's customer is: a grid weighted by customers, its representative point nudged."""
        rng = self.tickets.rng
        gid = rng.choices(list(self._grids), [g["customers"] + 50 for g in self._grids.values()])[0]
        c = self._grids[gid]["centre"]
        return round(c.x + rng.uniform(-0.002, 0.002), 6), round(c.y + rng.uniform(-0.002, 0.002), 6)

    # --- jobs ------------------------------------------------------------------------------------------
    def _fault(self, gid: str, category: str, where: dict | None = None, outage_id: int | None = None) -> None:
        """One report from inside a grid: at a random place, or where `where` says (a place, and the caller's
        account or transformer when the platform knows them)."""
        lon, lat = self._random_point(gid)
        now = self._now()
        channel = self.rng.choices(("phone", "app", "wechat", "auto"), (70, 12, 12, 6))[0]
        item = {"external_id": f"SIM-{self.run}-{next(self._ids):06d}", "reported_at": now.isoformat(),
                "lon": lon, "lat": lat, "category": category, "channel": channel,
                "priority": self.rng.choices(("normal", "high", "urgent"), (85, 12, 3))[0],
                "address": f"{self._grids[gid]['district']}{self.rng.choice(STREETS)}{self.rng.randint(1, 300)}号",
                "customers_affected": self.rng.choice((1, 1, 1, 2, 5, 20)),
                "sensitive": self.rng.random() < 0.04} | (where or {})
        with self.s.db.write() as session:
            result = faults.ingest_faults(session, self.s.bus, self.s.catalog, [item], now, limits=self.s.limits,
                                          judging=self.s.judging(session))[0]
        if outage_id is not None and "workorder_id" in result:
            self._outage_orders.setdefault(outage_id, set()).add(result["workorder_id"])
        if channel == "phone":
            self.calls.call("repair")

    def _end_outage(self, outage_id: int) -> None:
        if self._outage_orders.pop(outage_id, None) is None:
            return
        now = self._now()
        with self.s.db.write() as session:
            outages.patch_outage(session, self.s.bus, outage_id, OutagePatchIn(end=now), now,
                                 limits=self.s.limits)

    # --- dispatcher and crews ---------------------------------------------------------------------------
    def _dispatch_waiting(self) -> None:
        now = self._now()
        with self.s.db.read() as session:
            waiting = session.scalars(select(WorkOrder).where(WorkOrder.status == OrderStatus.received)
                                      .order_by(WorkOrder.reported_at).limit(20)).all()
        for order in waiting:
            age = (now - order.reported_at).total_seconds() * self.speed
            if order.needs_screening:
                if age > 90:  # screened (研判): most are inside the customer's premises
                    to = OrderStatus.cancelled if self.rng.random() < 0.7 else None
                    if to:
                        with self.s.db.write() as session:
                            workorders.transition(session, self.s.bus, order.id, to, now=now,
                                                  note="研判：非电网故障，已告知客户", by=SIMULATOR,
                                                  catalog=self.s.catalog, limits=self.s.limits)
                        continue
                    order.needs_screening = False
                else:
                    continue
            if age < DISPATCH_AFTER_S:
                continue
            with self.s.db.read() as session:
                ranked = dispatch.rank_candidates(session, order.id, limit=3)
            if not ranked:
                return
            crew_id = ranked[0]["crew_id"]
            # Where the crew is now, from the database: crews made or moved through the API are driven too.
            self._crew_pos[crew_id] = (ranked[0]["lon"], ranked[0]["lat"])
            try:
                with self.s.db.write() as session:
                    workorders.assign_crew(session, self.s.bus, order.id, crew_id, version=order.version, now=now,
                                           by=SIMULATOR, catalog=self.s.catalog, limits=self.s.limits)
            except ServiceError:
                continue
            self._start_trip(crew_id, order)

    def _start_trip(self, crew_id: str, order: WorkOrder) -> None:
        self._trips[crew_id] = _CrewTrip(order.id, order.lon, order.lat, category=order.category,
                                         area_class=order.area_class)
        accept = self.rng.uniform(*ACCEPT_S)
        self.schedule.later(accept, self._crew_phase, crew_id, OrderStatus.accepted)
        self.schedule.later(accept + self.rng.uniform(*TURNOUT_S), self._crew_phase, crew_id, OrderStatus.en_route)

    def _follow_assigned(self) -> None:
        """Orders a dispatcher assigned at the console (or over the API): their crews drive and work like the
        simulator's own, so the demo answers a person's click."""
        with self.s.db.read() as session:
            rows = session.execute(select(WorkOrder, Crew.lon, Crew.lat).join(Crew, Crew.id == WorkOrder.crew_id)
                                   .where(WorkOrder.status == OrderStatus.dispatched)
                                   .where(WorkOrder.crew_id.not_in(list(self._trips) or [""])).limit(50)).all()
        for order, lon, lat in rows:
            if lon is None or lat is None:
                continue
            self._crew_pos[order.crew_id] = (lon, lat)
            self._start_trip(order.crew_id, order)

    def _crew_phase(self, crew_id: str, to: str) -> None:
        trip = self._trips.get(crew_id)
        if trip is None:
            return
        now = self._now()
        with self.s.db.read() as session:
            holder = session.scalar(select(WorkOrder.crew_id).where(WorkOrder.id == trip.order_id))
        if holder != crew_id:  # a dispatcher gave the order to another crew meanwhile: this trip is over
            self._trips.pop(crew_id, None)
            return
        try:
            with self.s.db.write() as session:
                order = workorders.transition(session, self.s.bus, trip.order_id, OrderStatus(to), now=now,
                                              by=Actor(crew_id, "ingest"), catalog=self.s.catalog,
                                              limits=self.s.limits)
        except ServiceError:  # a dispatcher re-assigned or cancelled the order meanwhile: this trip is over
            self._trips.pop(crew_id, None)
            raise
        trip.phase = to
        if to == OrderStatus.on_site:
            repair = REPAIR_MIN.get(trip.category, REPAIR_MIN_OTHER)
            self.schedule.later(60 * self.rng.uniform(*repair), self._crew_phase, crew_id, OrderStatus.restored)
        elif to == OrderStatus.restored:
            self._trips.pop(crew_id, None)
            if self.trips is not None:
                self.trips.restored(order.id)
            for outage_id, ids in list(self._outage_orders.items()):
                if order.id in ids:
                    self._end_outage(outage_id)

    def _take_callbacks(self) -> None:
        """Every restored order has a callback task, however it was restored (a crew, an outage's end, a device
        closing, a person at the console): the platform takes the pending ones it does not hold yet."""
        with self.s.db.read() as session:
            pending = session.scalars(select(CallbackTask.subject_id).where(
                CallbackTask.status == CallbackStatus.pending, CallbackTask.subject_kind == "workorder",
                CallbackTask.subject_id.not_in(list(self._ringing) or [0])).order_by(CallbackTask.due_at)
                .limit(200)).all()
        for order_id in pending:
            self._ringing.add(order_id)
            self.schedule.later(self.rng.uniform(*CALLBACK_S), self._ring, order_id)

    def _ring(self, order_id: int) -> None:
        """One callback attempt, posted through the service the platform's POST /workorders/{id}/callback calls."""
        result = self.rng.choices([r for r, _ in CALLBACK_MIX], weights=[w for _, w in CALLBACK_MIX])[0]
        try:
            with self.s.db.write() as session:
                task = callback_attempts.record_for_order(
                    session, self.s.bus, order_id, result, now=self._now(), by=PLATFORM, catalog=self.s.catalog,
                    limits=self.s.limits, note=self.rng.choice(CALLBACK_NOTES[result]))
        except ServiceError:  # a dispatcher recorded it meanwhile: nothing left to ring for
            self._ringing.discard(order_id)
            raise
        if task["status"] == CallbackStatus.pending:
            self.schedule.later(self.rng.uniform(*RING_AGAIN_S), self._ring, order_id)
        else:
            self.schedule.later(self.rng.uniform(*ARCHIVE_S), self._archive, order_id)

    def _archive(self, order_id: int) -> None:
        """Visited, or its customer unreachable three times: archived (归档)."""
        self._ringing.discard(order_id)
        with self.s.db.write() as session:
            workorders.transition(session, self.s.bus, order_id, OrderStatus.closed, now=self._now(), by=SIMULATOR,
                                  catalog=self.s.catalog, limits=self.s.limits)

    def _drive(self) -> None:
        """Move every en-route crew towards its order at the road speed of the order's area class (the one the
        candidates' ETAs assume), a straight line shortened by the road factor; report arrival."""
        now = self._now()
        items = []
        for crew_id, trip in list(self._trips.items()):
            if trip.phase != OrderStatus.en_route:
                continue
            road_kmh = SPEED_KMH.get(trip.area_class, SPEED_KMH["urban"])
            step_km = road_kmh / ROAD_FACTOR / 3600.0 * self.speed * self.tick_s
            lon, lat = self._crew_pos[crew_id]
            km = float(haversine_km(lon, lat, trip.lon, trip.lat))
            if km <= step_km:
                lon, lat = trip.lon, trip.lat
                trip.phase = "arriving"
                self.schedule.later(0, self._crew_phase, crew_id, OrderStatus.on_site)
            else:
                f = step_km / km
                lon, lat = lon + (trip.lon - lon) * f, lat + (trip.lat - lat) * f
            self._crew_pos[crew_id] = (lon, lat)
            heading = (math.degrees(math.atan2(trip.lon - lon, trip.lat - lat)) + 360) % 360
            items.append({"crew_id": crew_id, "lon": round(lon, 6), "lat": round(lat, 6), "at": now.isoformat(),
                          "speed_kmh": road_kmh, "heading": round(heading, 1)})
        if items:
            with self.s.db.write() as session:
                crews.record_positions(session, self.s.bus, self.s.catalog, items, now)
