"""The distribution network (研判): topology, customer register, automation events, outages and their desk."""
from __future__ import annotations

from flask import g, jsonify

from dashboard.api.answers import (BatchSummaryOut, ErrorOut, OutageListOut, OutageOut, OutageSplitOut, TopologyOut,
                                   TopologySavedOut, WorkOrderOut)
from dashboard.api.routes import ANYONE, RouteTable, parse, query_list, query_param
from dashboard.domain import OutageStatus, Role
from dashboard.schemas import (CustomerBatchIn, DeviceEventBatchIn, OutageConfirmIn, OutageMergeIn, OutageMoveIn,
                               OutageSplitIn, ScreenIn, TopologyIn)
from dashboard.network.tree import DeviceKind, DeviceSpec
from dashboard.services.audit import Actor
from dashboard.services.customers import register_customers
from dashboard.services.device_events import record_device_events
from dashboard.services.outage_desk import confirm_outage, merge_outages, move_outage, split_outage
from dashboard.services.outages import list_outages
from dashboard.services.screening import screen_order
from dashboard.services.topology import replace_topology, topology_view
from dashboard.views import workorder_view

INGEST = frozenset({Role.ingest, Role.admin})
DISPATCH = frozenset({Role.dispatcher, Role.admin})
ID = {"id": int}
OUTAGE_CHANGED = {200: OutageOut, 404: ErrorOut, 409: ErrorOut}


def register(table: RouteTable, services) -> None:
    db, bus = services.db, services.bus

    @table.add("PUT", "/topology", summary="Replace the whole network (validated whole: 422 names the devices)",
               roles=INGEST, body=(TopologyIn,), responses={200: TopologySavedOut})
    def put_topology():
        body = parse(TopologyIn)
        specs = [DeviceSpec(d.id, DeviceKind(d.kind), d.parent_id, d.name, d.lon, d.lat, d.grid_id, d.customers)
                 for d in body.devices]
        with db.write() as session:
            version = replace_topology(session, specs)
            session.commit()
        return jsonify({"devices": len(specs), "version": version})

    @table.add("GET", "/topology", summary="The network's devices with their state; a grid's, or below one device",
               roles=ANYONE, responses={200: TopologyOut, 422: ErrorOut}, query=(
                   {"name": "grid_id", "in": "query", "schema": {"type": "string", "maxLength": 64}},
                   {"name": "root", "in": "query", "schema": {"type": "string", "maxLength": 64}}))
    def get_topology():
        grid_id, root = query_param("grid_id", maximum=64), query_param("root", maximum=64)
        with db.read() as session:
            network = services.network.current(session)
            return jsonify({"version": network.version, "devices": topology_view(session, network, grid_id, root)})

    @table.add("POST", "/customers", summary="The customer register: each customer's transformer, care, account",
               roles=INGEST, body=(CustomerBatchIn,), responses={200: BatchSummaryOut})
    def post_customers():
        batch = parse(CustomerBatchIn)
        with db.write() as session:
            return jsonify(register_customers(session, batch.items, services.clock()))

    @table.add("POST", "/devices/events", summary="Device opens and closes from distribution automation",
               roles=INGEST, body=(DeviceEventBatchIn,), responses={200: BatchSummaryOut})
    def post_device_events():
        batch = parse(DeviceEventBatchIn)
        with db.write() as session:
            return jsonify(record_device_events(session, bus, services.judging(session), batch.items,
                                                services.clock(), Actor.of(g.principal)))

    @table.add("GET", "/outages", summary="Outages under way (or of the statuses asked for)", roles=ANYONE,
               responses={200: OutageListOut, 422: ErrorOut}, query=(
                   {"name": "status", "in": "query", "description": "comma-separated statuses",
                    "schema": {"type": "string", "maxLength": 100}},))
    def get_outages():
        statuses = query_list("status", list(OutageStatus))
        with db.read() as session:
            return jsonify({"items": list_outages(session, statuses)})

    @table.add("POST", "/outages/{id}/confirm", summary="A dispatcher confirms the outage: 研判 leaves it alone",
               roles=DISPATCH, body=(OutageConfirmIn,), path_types=ID, responses=OUTAGE_CHANGED)
    def post_confirm(id: int):
        body = parse(OutageConfirmIn)
        with db.write() as session:
            return jsonify(confirm_outage(session, bus, id, now=services.clock(), by=Actor.of(g.principal),
                                          note=body.note))

    @table.add("POST", "/outages/{id}/move", summary="The outage is at another device", roles=DISPATCH,
               body=(OutageMoveIn,), path_types=ID, responses=OUTAGE_CHANGED)
    def post_move(id: int):
        body = parse(OutageMoveIn)
        with db.write() as session:
            return jsonify(move_outage(session, bus, services.judging(session), id, body.device_id,
                                       now=services.clock(), by=Actor.of(g.principal), note=body.note))

    @table.add("POST", "/outages/{id}/merge", summary="Two outages are one failure", roles=DISPATCH,
               body=(OutageMergeIn,), path_types=ID, responses=OUTAGE_CHANGED)
    def post_merge_outage(id: int):
        body = parse(OutageMergeIn)
        with db.write() as session:
            return jsonify(merge_outages(session, bus, services.judging(session), id, body.into,
                                         now=services.clock(), by=Actor.of(g.principal), note=body.note))

    @table.add("POST", "/outages/{id}/split", summary="Devices below the outage's are failures of their own",
               roles=DISPATCH, body=(OutageSplitIn,), path_types=ID,
               responses={200: OutageSplitOut, 404: ErrorOut, 409: ErrorOut})
    def post_split(id: int):
        body = parse(OutageSplitIn)
        with db.write() as session:
            return jsonify({"items": split_outage(session, bus, services.judging(session), id, body.device_ids,
                                                  now=services.clock(), by=Actor.of(g.principal), note=body.note)})

    @table.add("POST", "/workorders/{id}/screen", summary="The screening lane's outcome: not a grid fault, inside "
               "the premises (both close the order), or send a crew", roles=DISPATCH, body=(ScreenIn,),
               path_types=ID, responses={200: WorkOrderOut, 404: ErrorOut, 409: ErrorOut})
    def post_screen(id: int):
        body = parse(ScreenIn)
        with db.write() as session:
            order = screen_order(session, bus, id, body.outcome, now=services.clock(), by=Actor.of(g.principal),
                                 note=body.note)
            return jsonify(workorder_view(order))
