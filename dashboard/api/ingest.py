"""Ingest endpoints for the 95598 platform, the CTI switch, crew GPS and the automation system."""
from __future__ import annotations

from flask import g, jsonify

from dashboard.api.answers import (BatchSummaryOut, CrewSavedOut, ErrorOut, FaultBatchOut, FaultOut, OutageOut,
                                  OutageSavedOut)
from dashboard.http import ApiError
from dashboard.api.routes import RouteTable, parse, read_object
from dashboard.domain import Role
from dashboard.schemas import (CallEventBatchIn, CrewIn, FaultBatchIn, FaultIn, OutageIn, OutagePatchIn,
                               PositionBatchIn, SeatEventBatchIn)
from dashboard.services.audit import Actor
from dashboard.services.callcenter import record_call_events, record_seat_events
from dashboard.services.crews import record_positions, upsert_crew
from dashboard.services.faults import ingest_fault, ingest_faults
from dashboard.services.outages import create_outage, patch_outage
from dashboard.views import crew_view

INGEST = frozenset({Role.ingest, Role.admin})


def register(table: RouteTable, services) -> None:
    db, bus, catalog = services.db, services.bus, services.catalog

    @table.add("POST", "/faults", summary="Report one fault, or a batch of up to 1000 as {items: [...]}",
               roles=INGEST, body=(FaultIn, FaultBatchIn),
               responses={200: (FaultOut, FaultBatchOut), 201: FaultOut, 409: ErrorOut})
    def post_faults():
        body = read_object()
        now = services.clock()
        if "items" in body:
            batch = FaultBatchIn.model_validate(body)
            with db.write() as session:
                results = ingest_faults(session, bus, catalog, batch.items, now,
                                        max_age=services.config.max_report_age, limits=services.limits,
                                        judging=services.judging(session))
            stored = sum(1 for r in results if r["status"] == 201)
            services.metrics.inc("faults_ingested_total", stored)
            return jsonify({"results": results}), 200
        fault = FaultIn.model_validate(body)
        with db.write() as session:
            result = ingest_fault(session, bus, catalog, fault, now, max_age=services.config.max_report_age,
                                  limits=services.limits, judging=services.judging(session))
        if result.created:
            services.metrics.inc("faults_ingested_total")
        return jsonify(result.as_dict()), 201 if result.created else 200

    @table.add("PUT", "/crews/{crew_id}", summary="Create or update a crew", roles=INGEST, body=(CrewIn,),
               responses={200: CrewSavedOut, 201: CrewSavedOut})
    def put_crew(crew_id: str):
        if not 1 <= len(crew_id) <= 64:
            raise ApiError(422, "validation_failed", "crew_id must be 1-64 characters", [{"field": "crew_id"}])
        body = parse(CrewIn)
        now = services.clock()
        with db.write() as session:
            crew, created = upsert_crew(session, bus, catalog, crew_id, body, now)
            view = crew_view(crew)
        return jsonify(view | {"created": created}), 201 if created else 200

    @table.add("POST", "/crews/positions", summary="Crew GPS positions; older than stored ones are ignored",
               roles=INGEST, body=(PositionBatchIn,), responses={200: BatchSummaryOut})
    def post_positions():
        batch = parse(PositionBatchIn)
        with db.write() as session:
            return jsonify(record_positions(session, bus, catalog, batch.items, services.clock()))

    @table.add("POST", "/seats/events", summary="Seat state changes from the CTI switch", roles=INGEST,
               body=(SeatEventBatchIn,), responses={200: BatchSummaryOut})
    def post_seat_events():
        batch = parse(SeatEventBatchIn)
        with db.write() as session:
            return jsonify(record_seat_events(session, bus, batch.items, services.clock()))

    @table.add("POST", "/calls/events", summary="Call events; queue figures are derived from them",
               roles=INGEST, body=(CallEventBatchIn,), responses={200: BatchSummaryOut})
    def post_call_events():
        batch = parse(CallEventBatchIn)
        with db.write() as session:
            return jsonify(record_call_events(session, bus, batch.items, services.clock(), services.rule))

    @table.add("POST", "/outages", summary="Report an outage area (idempotent on external_id)", roles=INGEST,
               body=(OutageIn,), responses={200: OutageSavedOut, 201: OutageSavedOut, 409: ErrorOut})
    def post_outage():
        body = parse(OutageIn)
        with db.write() as session:
            network = services.network.current(session) if body.device_ids else None
            view, created = create_outage(session, bus, catalog, body, services.clock(), network,
                                          max_age=services.config.max_report_age)
        return jsonify(view | {"created": created}), 201 if created else 200

    @table.add("PATCH", "/outages/{id}", summary="Update an outage's ETR or customers; `end` restores it",
               roles=INGEST, body=(OutagePatchIn,), path_types={"id": int},
               responses={200: OutageOut, 404: ErrorOut, 409: ErrorOut})
    def patch_outage_route(id: int):
        body = parse(OutagePatchIn)
        with db.write() as session:
            return jsonify(patch_outage(session, bus, id, body, services.clock(), by=Actor.of(g.principal),
                                        catalog=catalog, limits=services.limits))
