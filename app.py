"""Composition root: create_app(config) builds GridCommand; main() parses flags and serves it."""
from __future__ import annotations

import argparse
import gc
import hashlib
import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from dash import Dash
from flask import Flask
from flask_limiter import Limiter
from flask_socketio import SocketIO
from werkzeug.middleware.proxy_fix import ProxyFix

import callbacks.live
import callbacks.pages
import callbacks.router
import layouts.page
from dashboard.ops import log_redaction
from dashboard.api import create_api
from dashboard.api.auth import identify, token_principal
from dashboard.api.errors import install_error_handlers
from dashboard.config import Config
from dashboard.container import Services
from dashboard.db import Database
from dashboard.demo import seed_demo_accounts
from dashboard.demo_contacts import seed_demo_contacts
from dashboard.demo_roster import seed_demo_roster
from dashboard.demo_network import seed_demo_network
from dashboard.notify.customer_outbox import CustomerOutbox
from dashboard.notify.outbox import Outbox
from dashboard.notify.worker import OutboxWorker
from dashboard.ops.json_provider import OrjsonProvider
from dashboard.ops.loop import BackgroundLoop
from dashboard.principal import Principal
from dashboard.replay.recording import load_demo_storm
from dashboard.ops.process_stats import resident_bytes, thread_count
from dashboard.ops.recent_updates import RecentStore, RecentUpdates
from dashboard.services import escalation, outages, ticket_escalation, web_sessions
from dashboard.services import order_rollup
from dashboard.services.order_rollup import StaleDays
from dashboard.services.reliability_rollup import ReliabilityRollupHook, fill_if_empty
from dashboard.services.public_outages import PublicFeed
from dashboard.services.grid_catalog import GridCatalog, ensure_grids
from dashboard.services.snapshot import build_snapshot
from dashboard.services.tokens import TokenCache
from dashboard.simulator.storm import StormSimulator
from dashboard.web.cookie import configure_cookie
from dashboard.web.dash_guard import install_dash_guard
from dashboard.web.guard import install_page_guard
from dashboard.web.headers import ServerNameHandler, SecurityHeaders, content_security_policy, script_hash
from dashboard.web.kiosk import create_kiosk
from dashboard.web.login import create_login
from dashboard.web.origin import install_same_origin_writes, socket_origin_check
from dashboard.web.public_limit import PublicLimit
from dashboard.web.public_outages import create_public_outages
from dashboard.web.sign_pages import lang
from dashboard.web.signin import sessions_in_use
from dashboard.timeutil import utcnow
from dashboard.web.throttle import Throttle, create_limiter
from geo.grids import load_default_grids, read_grid_file
from realtime.bridge import LiveBridge
from realtime.inprocess_bus import InProcessBus
from realtime.kpi_ticker import KpiTicker
from realtime.replay import ReplayHub

log = logging.getLogger("gridcommand")
ASSETS = Path(__file__).parent / "assets"


@dataclass
class Runtime:
    """Everything create_app started, so that a test (or a shutdown) can stop it."""
    services: Services
    socketio: SocketIO
    bridge: LiveBridge
    kpis: KpiTicker
    escalation: BackgroundLoop
    housekeeping: BackgroundLoop
    notifier: BackgroundLoop | None = None  # sends the outbox (docs/notifications.md)
    notify_worker: OutboxWorker | None = None
    simulator: StormSimulator | None = None
    replays: ReplayHub | None = None
    stopped: bool = field(default=False)

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        if self.simulator:
            self.simulator.stop()
        self.escalation.stop()
        if self.notifier:
            self.notifier.stop()
        self.housekeeping.stop()
        self.kpis.stop()
        if self.replays:
            self.replays.stop_all()
        self.bridge.stop()
        for sock in list(self.socketio.server.eio.sockets.values()):  # so their ping threads end with them
            sock.close(wait=False)  # a polling client may never collect its close packet: don't wait for it
        self.socketio.server.shutdown()  # Engine.IO's service task
        self.services.bus.close()
        self.services.db.dispose()


def _make_bus(config: Config):
    if config.redis_url:
        from realtime.redis_bus import RedisBus  # optional dependency path: only with GRIDCMD_REDIS_URL
        return RedisBus(config.redis_url)
    return InProcessBus()


def _make_recent(config: Config) -> RecentStore:
    if config.redis_url:
        import redis

        from realtime.redis_recent import RedisRecentUpdates
        return RedisRecentUpdates(redis.Redis.from_url(config.redis_url, socket_timeout=2, socket_connect_timeout=2))
    return RecentUpdates()


def create_app(config: Config | None = None) -> Dash:
    config = config or Config.from_env()
    log_redaction.install()
    db = Database(config.database_url)
    db.upgrade()
    with db.write() as session:
        grids = read_grid_file(config.grids_file) if config.grids_file else load_default_grids()
        ensure_grids(session, grids)
        fill_if_empty(session, config.timezone, utcnow())  # the reliability roll-up, first start after 0012
    catalog = GridCatalog()
    with db.read() as session:
        catalog.load(session)
    tokens = list(config.api_tokens)
    if config.demo:
        tokens += seed_demo_accounts(db)
        seed_demo_network(db, utcnow())
        seed_demo_contacts(db, utcnow())
        seed_demo_roster(db, utcnow(), config.timezone)
        load_demo_storm(db, utcnow())  # last month's storm, ready to replay (docs/replay.md)
    services = Services(config=config, db=db, bus=_make_bus(config), catalog=catalog, recent=_make_recent(config),
                        tokens=TokenCache(tuple(tokens)), rule=config.service_level_rule(),
                        limits=config.time_limits(), rules=config.judging_rules(), etr=config.etr_rule(),
                        tickets=config.ticket_rules())
    # The daily reliability roll-up follows every outage change in that change's own transaction.
    db.add_change_hook(ReliabilityRollupHook(config.timezone))
    # The daily order roll-up: a write that touches a rolled day marks it stale in its own flush.
    db.add_flush_listener(StaleDays(config.timezone))

    server = Flask(__name__)
    server.json = OrjsonProvider(server)
    server.config.update(SECRET_KEY=config.effective_secret_key(), MAX_CONTENT_LENGTH=config.max_body_bytes)
    configure_cookie(server, secure=config.cookie_secure)
    install_error_handlers(server, "/api/")
    limiter = create_limiter(server, config)
    throttle = Throttle(limiter, config)
    _public_notices(services, limiter, server.config["SECRET_KEY"])
    api, _table = create_api(services)
    server.register_blueprint(api)
    server.register_blueprint(create_login(services, throttle))
    server.register_blueprint(create_kiosk(services, throttle))
    server.register_blueprint(create_public_outages(services))
    pages = callbacks.pages.pages()
    install_same_origin_writes(server, services)
    install_page_guard(server, services, pages)

    # Socket.IO accepts connections from the app's own origin only, by the same rule as writes: another site's
    # page cannot open the live stream with a person's cookie.
    socketio = SocketIO(server, async_mode="threading", message_queue=config.redis_url,
                        cors_allowed_origins=socket_origin_check(services), logger=False, engineio_logger=False,
                        ping_interval=10, ping_timeout=10)

    def authenticate(auth: dict | None) -> Principal | None:
        token = (auth or {}).get("token")
        return token_principal(services, token) if token else identify(services)

    def snapshot() -> dict:
        def build() -> dict:
            with db.read() as session:
                return build_snapshot(session, services.bus, catalog, services.clock(), services.rule)
        return services.snapshots.get("socket", build)

    bridge = LiveBridge(socketio, services.bus, interval=config.flush_interval_s, authenticate=authenticate,
                        snapshot=snapshot, recent=services.recent, districts=catalog.districts,
                        sessions_in_use=lambda ids: sessions_in_use(services, ids))
    # Replays: their own namespace and rooms, beside the live stream and never in it (docs/replay.md).
    services.replays = ReplayHub(socketio, db.read, authenticate)
    services.metrics.gauge("replays_playing", lambda: sum(1 for r in services.replays.all() if r.running))
    services.metrics.gauge("live_clients", lambda: bridge.clients)
    services.metrics.gauge("live_updates_total", lambda: bridge.updates_sent)
    services.metrics.gauge("bus_ok", lambda: 1 if services.bus.health().get("ok") else 0)
    services.metrics.gauge("process_resident_memory_bytes", resident_bytes)
    services.metrics.gauge("process_threads", thread_count)
    services.metrics.gauge("snapshot_builds_total", lambda: services.snapshots.builds)
    services.metrics.gauge("public_feed_builds_total", lambda: services.public_feed.cache.builds)

    app = Dash(__name__, server=server, assets_folder=str(ASSETS), title=config.center_name,
               update_title=None, suppress_callback_exceptions=True, serve_locally=True)
    app.index_string = layouts.page.index(pages)
    app.interpolate_index = layouts.page.in_language(app.interpolate_index, lang)
    app.enable_dev_tools(debug=False, dev_tools_ui=False, dev_tools_props_check=False,
                         dev_tools_hot_reload=False, dev_tools_disable_version_check=True)
    callbacks.router.register(app, services, pages)
    callbacks.live.register(app, services)
    for page in pages:
        if page.register:
            page.register(app, services)
    install_dash_guard(app)
    if config.proxy_hops:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=config.proxy_hops, x_proto=config.proxy_hops,
                                   x_host=config.proxy_hops, x_port=config.proxy_hops)
    # Outermost, so that Socket.IO's answers and errors carry the headers too; the hashes are those of the page's
    # own inline scripts (Dash's renderer start-up and the wall's early requests).
    csp = content_security_policy([*app.csp_hashes(), script_hash(layouts.page.early_script(pages))])
    server.wsgi_app = SecurityHeaders(server.wsgi_app, csp, hsts=config.cookie_secure)

    kpis = KpiTicker(services)
    sweeper = BackgroundLoop("escalation-sweep", config.escalation_sweep_s, lambda: sweep_escalations(services))
    housekeeping = BackgroundLoop("housekeeping", 3600, lambda: (purge_ended_sessions(services),
                                                                 close_order_days(services)))
    notifier, notify_worker = _notices(services)
    runtime = Runtime(services, socketio, bridge, kpis, sweeper, housekeeping, notifier, notify_worker,
                      replays=services.replays)
    server.extensions["gridcommand"] = runtime
    bridge.start()
    kpis.start()
    sweeper.start()
    housekeeping.start()
    notifier.start()
    if config.demo:
        runtime.simulator = StormSimulator(services, speed=config.simulator_speed)
        runtime.simulator.start()
    return app


def _public_notices(services: Services, limiter: Limiter, secret: str) -> None:
    """The public outage notices (feed and page): built at most once per public_cache_s in this process, rate-limited
    per address in the sign-in throttle's storage; their ids are keyed by the app's secret (stable across processes
    that share it)."""
    config = services.config
    key = hashlib.sha256(f"public-outages:{secret}".encode()).digest()
    services.public_feed = PublicFeed(services.db.read, services.catalog, lambda: services.clock(),
                                      ttl=timedelta(seconds=config.public_cache_s),
                                      upcoming=timedelta(days=config.public_upcoming_days), key=key)
    services.public_limit = PublicLimit(limiter, config.public_limit)


def _notices(services: Services) -> tuple[BackgroundLoop, OutboxWorker]:
    """The outbox: every committed change that calls for a notice queues it in its own transaction, and wakes the
    worker, which sends it from its own thread (never inside the request); every process runs one."""
    config = services.config
    notifiers, customers = config.notifiers(), config.customer_notifiers()
    worker = OutboxWorker(services.db, [*notifiers, *customers], lambda: services.clock(), config.retry_rule())
    loop = BackgroundLoop("notifier", config.notify_poll_s, worker.drain)
    services.db.add_change_hook(Outbox([n.name for n in notifiers], config.notice_rule(), wake=loop.wake))
    services.wake_notifier = loop.wake
    # Customers are told on their own channels (the SMS gateway), through the same outbox and worker.
    services.db.add_change_hook(CustomerOutbox([n.name for n in customers], config.customer_rule(),
                                               services.network, wake=loop.wake))
    return loop, worker


def sweep_escalations(services: Services) -> int:
    """One escalation sweep, in the one process that leads the stream (any process could; one is enough)."""
    if not services.bus.is_leader():
        return 0
    with services.db.write() as session:
        moved = escalation.sweep(session, services.bus, services.limits, services.clock())
    with services.db.write() as session:  # service tickets, against their own limits
        moved += ticket_escalation.sweep_tickets(session, services.bus, services.tickets, services.clock())
    with services.db.write() as session:  # planned outages whose start has come are under way
        return moved + outages.start_due(session, services.bus, services.clock())


def close_order_days(services: Services) -> int:
    """Roll up the days over that the order roll-up does not hold current (each hour: a day within an hour of its
    close, a stale one after a late write), in the one process that leads the stream."""
    if not services.bus.is_leader():
        return 0
    return order_rollup.close_days(services.db, services.config.timezone, services.clock())


def purge_ended_sessions(services: Services) -> int:
    with services.db.write() as session:
        return web_sessions.purge(session, services.clock())


def runtime_of(app: Dash) -> Runtime:
    return app.server.extensions["gridcommand"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="GridCommand: power-supply service command center")
    parser.add_argument("--host", default=os.environ.get("GRIDCMD_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRIDCMD_PORT", "8050")))
    parser.add_argument("--demo", action="store_true", default=None,
                        help="demo users and the storm simulator (env GRIDCMD_DEMO=1)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log_redaction.install()
    overrides = {"host": args.host, "port": args.port}
    if args.demo:
        overrides["demo"] = True
    config = Config.from_env(**overrides)
    app = create_app(config)
    runtime = runtime_of(app)
    # Start-up leaves ~230k long-lived objects (grids, libraries). Left in the collector's view, each full
    # collection walks them all: measured 176 ms, a stall for every request and push in flight.
    gc.freeze()
    log.info("GridCommand on http://%s:%d/ (database %s, bus %s)", config.host, config.port,
             config.database_url.split("@")[-1], "redis" if config.redis_url else "in-process")
    try:
        runtime.socketio.run(app.server, host=config.host, port=config.port, allow_unsafe_werkzeug=True,
                             use_reloader=False, log_output=False, request_handler=ServerNameHandler)
    finally:
        runtime.stop()


if __name__ == "__main__":
    main()
