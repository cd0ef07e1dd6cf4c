"""Management CLI (`gridcommand`, `python -m dashboard`): serve, users, tokens, sign-ins, grids (and their contacts),
network import, the history roll-ups' rebuild, the demo's generated history, the duty roster and the demo storm's recording for replays."""
from __future__ import annotations

import argparse
import importlib
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dashboard.config import Config
from dashboard.db import Database
from dashboard.domain import Role
from dashboard.errors import ServiceError
from dashboard.services import rollups, web_sessions
from dashboard.services.rollups import RebuildScope
from dashboard.services.accounts import add_user, change_password, set_disabled
from dashboard.services.audit import Actor, record
from dashboard.services.tokens import add_token, list_tokens, revoke_token
from dashboard.network.files import NetworkFileError, read_network_file
from dashboard.models import GridRow
from dashboard.notify.requeue import requeue, requeue_all_dead
from dashboard.replay.recording import DEMO_STORM
from dashboard.services.contact_files import ContactFileError, read_contact_file
from dashboard.services.grid_catalog import replace_grids
from dashboard.services.grid_contacts import replace_contacts
from dashboard.services.roster import RosterFileError, read_roster_csv, replace_roster
from dashboard.services.topology import replace_topology
from dashboard.timeutil import utcnow
from geo.grids import GridFileError, read_grid_file


CLI = Actor("cli", "admin")  # who the audit log says made a change from the command line


def _db() -> Database:
    db = Database(Config.from_env().database_url)
    db.upgrade()
    return db


def cmd_user_add(args) -> int:
    password = sys.stdin.readline().rstrip("\r\n")
    with _db().write() as session:
        add_user(session, args.name, password, Role(args.role), utcnow(), by=CLI)
    print(f"user {args.name} ({args.role}) added")
    return 0


def cmd_user_passwd(args) -> int:
    password = sys.stdin.readline().rstrip("\r\n")
    with _db().write() as session:
        ended = change_password(session, args.name, password, by=CLI, now=utcnow())
    print(f"password of {args.name} changed; {ended} sign-in(s) ended")
    return 0


def cmd_user_disable(args) -> int:
    with _db().write() as session:
        ended = set_disabled(session, args.name, args.disable, by=CLI, now=utcnow())
    print(f"{args.name} {'disabled' if args.disable else 'enabled'}; {ended} sign-in(s) ended")
    return 0


def _local(iso_time: str | None, tz: str) -> str:
    if not iso_time:
        return "-"
    return datetime.fromisoformat(iso_time.replace("Z", "+00:00")).astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def cmd_session_list(args) -> int:
    config = Config.from_env()
    with _db().read() as session:
        rows = web_sessions.list_sessions(session, utcnow())
    print(f"{'id':>6}  {'who':<24} {'role':<10} {'kind':<8} {'address':<16} {'last seen':<16} until")
    for r in rows:
        print(f"{r['id']:>6}  {r['user']:<24} {r['role']:<10} {r['kind']:<8} {r['address'] or '-':<16} "
              f"{_local(r['last_seen_at'], config.timezone):<16} {_local(r['expires_at'], config.timezone)}")
    print(f"{len(rows)} sign-in(s) not ended (times in {config.timezone}; a closed browser's stays until it expires)")
    return 0


def cmd_session_end(args) -> int:
    with _db().write() as session:
        ended = web_sessions.end_session(session, args.id, by=CLI.name, now=utcnow())
        if ended:
            record(session, CLI, "session_ended", "session", args.id, utcnow())
    print(f"sign-in {args.id} ended" if ended else f"sign-in {args.id} had already ended")
    return 0


def cmd_token_add(args) -> int:
    with _db().write() as session:
        token = add_token(session, Role(args.role), utcnow(), name=args.name, crew_id=args.crew, by=CLI)
    print(token)
    return 0


def cmd_token_list(args) -> int:
    with _db().read() as session:
        for t in list_tokens(session):
            state = f"revoked {t['revoked_at']}" if t["revoked_at"] else "active"
            print(f"{t['id']:>5}  {t['name'] or '-':<24} {t['role']:<10} {t['crew_id'] or '-':<12} {state}")
    return 0


def cmd_token_revoke(args) -> int:
    with _db().write() as session:
        ended = revoke_token(session, args.name, utcnow(), by=CLI)
    print(f"token {args.name} revoked; {ended} wall sign-in(s) it opened ended")
    return 0


def cmd_grids_import(args) -> int:
    grids = read_grid_file(args.file)
    with _db().write() as session:
        version = replace_grids(session, grids)
    print(f"{len(grids)} grids imported (version {version}); restart the servers to use them")
    return 0


def cmd_grids_contacts(args) -> int:
    db = _db()
    with db.read() as session:
        known = set(session.scalars(select(GridRow.id)))
    contacts = read_contact_file(args.file, known)
    with db.write() as session:
        for grid_id, body in contacts.items():
            replace_contacts(session, grid_id, body, utcnow(), CLI)
    people = sum(1 + len(c.liaisons) for c in contacts.values())
    print(f"contacts of {len(contacts)} grid(s) replaced: {people} people")
    return 0


def cmd_topology_import(args) -> int:
    devices = read_network_file(args.file)
    with _db().write() as session:
        version = replace_topology(session, devices)
        session.commit()
    print(f"{len(devices)} devices imported (version {version}); every server uses them at once")
    return 0


def cmd_notify_requeue(args) -> int:
    if bool(args.all_dead) == bool(args.ids):
        print("error: give notice ids (the history's id) or --all-dead", file=sys.stderr)
        return 2
    with _db().write() as session:  # one transaction: an id that is unknown or not dead requeues none
        ids = requeue_all_dead(session, utcnow(), CLI) if args.all_dead else \
            [requeue(session, i, utcnow(), CLI)["id"] for i in dict.fromkeys(args.ids)]
    # The servers' workers find them due at their next look (every 2 s).
    print(f"{len(ids)} notice(s) queued again" + (f": {', '.join(map(str, ids))}" if ids else ""))
    return 0


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {value!r}") from None


def cmd_rollups_rebuild(args) -> int:
    if args.start and args.end and args.start > args.end:
        print("error: --from is after --to", file=sys.stderr)
        return 2
    config = Config.from_env()
    scope = RebuildScope(args.start, args.end, config.timezone, utcnow())
    try:
        with _db().write() as session:
            written = rollups.rebuild(session, scope, args.only or None)
    except KeyError as exc:
        print(f"error: no roll-up named {exc.args[0]} (there are: {', '.join(sorted(rollups.load()))})",
              file=sys.stderr)
        return 2
    span = f"{args.start or 'the first day'} to {args.end or 'today'}"
    for name, rows in written.items():
        print(f"{name}: {rows} row(s) rebuilt, {span}")
    return 0


def cmd_history_generate(args) -> int:
    from dashboard.history.generate import generate_history
    config = Config.from_env()
    result = generate_history(_db(), now=utcnow(), tz=config.timezone, limits=config.time_limits(),
                              tickets=config.ticket_rules(), days=args.days, seed=args.seed, scale=args.scale,
                              progress=print)
    print(f"history: {len(result.days)} day(s) generated, {result.skipped} skipped (they held records already)")
    for table, rows in result.rows.items():
        print(f"  {table}: {rows} row(s)")
    for name, rows in result.rollups.items():
        print(f"  roll-up {name}: {rows} row(s) rebuilt")
    if result.storms:
        print(f"  storms: {', '.join(d.isoformat() for d in result.storms)}")
    print(f"done in {result.seconds:.1f} s (roll-ups {result.rebuild_seconds:.1f} s)")
    return 0


def _positive(kind):
    def parse(value: str):
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if number < 0:
            raise argparse.ArgumentTypeError(f"must not be negative: {value!r}")
        return number
    return parse


def cmd_roster_import(args) -> int:
    body = read_roster_csv(args.file)
    with _db().write() as session:
        saved = replace_roster(session, body, utcnow(), CLI)
    print(f"roster {saved['from']}..{saved['to']} replaced: {saved['shifts']} shift(s), {saved['removed']} removed")
    return 0


def cmd_serve(args) -> int:
    # The composition root lives in app.py, above this package; serve is its one caller from here.
    importlib.import_module("app").main(args.rest)
    return 0


def cmd_replay_record(args) -> int:
    from dashboard.replay.record import record_storm
    record_storm(importlib.import_module("app"), Path(args.out), minutes=args.minutes, seed=args.seed)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gridcommand", description="GridCommand management")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the server (same flags as app.py)")
    serve.add_argument("rest", nargs=argparse.REMAINDER)
    serve.set_defaults(func=cmd_serve)
    user = sub.add_parser("user", help="people: add, change a password, disable").add_subparsers(dest="action",
                                                                                                 required=True)
    add = user.add_parser("add", help="add a person; the password is read from stdin")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.set_defaults(func=cmd_user_add)
    passwd = user.add_parser("passwd", help="set a person's password (read from stdin); their sign-ins end")
    passwd.add_argument("name")
    passwd.set_defaults(func=cmd_user_passwd)
    for action, disable, text in (("disable", True, "disable a person; their sign-ins end at once"),
                                  ("enable", False, "let a disabled person sign in again")):
        sub_user = user.add_parser(action, help=text)
        sub_user.add_argument("name")
        sub_user.set_defaults(func=cmd_user_disable, disable=disable)
    sess = sub.add_parser("session", help="browsers signed in: list, sign one out").add_subparsers(
        dest="action", required=True)
    sess.add_parser("list", help="people and walls signed in now").set_defaults(func=cmd_session_list)
    end = sess.add_parser("end", help="sign one browser out (its cookie and live connection stop working)")
    end.add_argument("id", type=int)
    end.set_defaults(func=cmd_session_end)
    token = sub.add_parser("token", help="machines' and walls' tokens: add, list, revoke").add_subparsers(
        dest="action", required=True)
    tadd = token.add_parser("add", help="create an API token and print it (shown once)")
    tadd.add_argument("--role", required=True, choices=[r.value for r in Role])
    tadd.add_argument("--name", "--label", dest="name", help="the name the audit log gives its changes")
    tadd.add_argument("--crew", help="bind an ingest token to one crew: it may move only that crew's orders")
    tadd.set_defaults(func=cmd_token_add)
    token.add_parser("list", help="tokens, their roles and crews (never the tokens themselves)").set_defaults(
        func=cmd_token_list)
    trev = token.add_parser("revoke", help="revoke a token by name; walls it opened are signed out")
    trev.add_argument("name")
    trev.set_defaults(func=cmd_token_revoke)
    grids = sub.add_parser("grids", help="the service grids (网格)").add_subparsers(dest="action", required=True)
    gimp = grids.add_parser("import", help="replace the service grids from GeoJSON/Shapefile/GeoPackage")
    gimp.add_argument("file")
    gimp.set_defaults(func=cmd_grids_import)
    gcon = grids.add_parser("contacts", help="set grids' managers and liaisons from CSV (grid_id,role,name,phone,"
                            "village[,email]; role manager|liaison): each grid in the file gets exactly its rows")
    gcon.add_argument("file")
    gcon.set_defaults(func=cmd_grids_contacts)
    notify = sub.add_parser("notify", help="notices to the grids' people").add_subparsers(dest="action",
                                                                                          required=True)
    nreq = notify.add_parser("requeue", help="send dead notices again (tries reset, the same notice id)")
    nreq.add_argument("ids", nargs="*", type=int, metavar="ID", help="the notices' ids (GET /notifications' id)")
    nreq.add_argument("--all-dead", action="store_true", help="every dead notice")
    nreq.set_defaults(func=cmd_notify_requeue)
    topo = sub.add_parser("topology", help="the distribution network (研判)").add_subparsers(dest="action",
                                                                                          required=True)
    timp = topo.add_parser("import", help="replace the network from CSV (id,kind,parent_id,name,lon,lat,grid_id,"
                           "customers) or GeoJSON points")
    timp.add_argument("file")
    timp.set_defaults(func=cmd_topology_import)
    rollup = sub.add_parser("rollups", help="history roll-ups (reliability, ...)").add_subparsers(dest="action",
                                                                                             required=True)
    rreb = rollup.add_parser("rebuild", help="rebuild roll-ups from the records for the local days [--from, --to] "
                             "(both inclusive; default every day)")
    rreb.add_argument("--from", dest="start", type=_day, metavar="DATE")
    rreb.add_argument("--to", dest="end", type=_day, metavar="DATE")
    rreb.add_argument("--only", action="append", metavar="NAME", help="just this roll-up (repeatable)")
    rreb.set_defaults(func=cmd_rollups_rebuild)
    history = sub.add_parser("history", help="the demo's generated history (docs/history.md)").add_subparsers(
        dest="action", required=True)
    hgen = history.add_parser("generate", help="generate orders, outages, calls, tickets and callbacks into the days "
                              "before yesterday that hold no records yet, then rebuild the roll-ups over them")
    hgen.add_argument("--days", type=_positive(int), default=365, help="how many days back (default 365)")
    hgen.add_argument("--seed", type=int, default=95598, help="the same seed gives the same history")
    hgen.add_argument("--scale", type=_positive(float), default=1.0,
                      help="rates times this (1.0: about 500,000 orders a year)")
    hgen.set_defaults(func=cmd_history_generate)
    roster = sub.add_parser("roster", help="the duty roster (值班)").add_subparsers(dest="action", required=True)
    rimp = roster.add_parser("import", help="replace the roster of the file's first to last day from CSV (day,shift,"
                             "start,end,role,person[,team,phone]; role duty_chief|dispatcher|seat|crew; start and "
                             "end ISO-8601 with an offset)")
    rimp.add_argument("file")
    rimp.set_defaults(func=cmd_roster_import)
    replay = sub.add_parser("replay", help="replays of the event log (docs/replay.md)").add_subparsers(
        dest="action", required=True)
    rrec = replay.add_parser("record", help="record the demo's storm: the simulator on the demo network into a "
                             "fresh database, its event log written compactly")
    rrec.add_argument("--out", default=str(DEMO_STORM))
    rrec.add_argument("--minutes", type=int, default=90)
    rrec.add_argument("--seed", type=int, default=95598)
    rrec.set_defaults(func=cmd_replay_record)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
    except (GridFileError, NetworkFileError, ContactFileError, RosterFileError) as exc:
        print("file rejected, nothing imported:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        code = 2
    except ServiceError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        code = 2
    sys.exit(code)
