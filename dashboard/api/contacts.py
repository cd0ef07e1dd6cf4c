"""The people to tell, over HTTP: a grid's manager and liaisons, an outage's care customers to phone (personal
data: dispatchers and admins read)."""
from __future__ import annotations

from flask import g, jsonify

from dashboard.api.answers import CareCustomersOut, ErrorOut, GridContactsOut
from dashboard.api.routes import RouteTable, parse
from dashboard.domain import Role
from dashboard.schemas import GridContactsIn
from dashboard.services.audit import Actor
from dashboard.services.grid_contacts import contacts_view, replace_contacts
from dashboard.services.outage_customers import care_customers

WRITERS = frozenset({Role.ingest, Role.admin})
READERS = frozenset({Role.dispatcher, Role.admin})


def register(table: RouteTable, services) -> None:
    db = services.db

    @table.add("PUT", "/grids/{id}/contacts", summary="Replace a grid's manager (网格经理) and liaisons (电力联络员)",
               roles=WRITERS, body=(GridContactsIn,), responses={200: GridContactsOut, 404: ErrorOut})
    def put_grid_contacts(id: str):
        body = parse(GridContactsIn)
        with db.write() as session:
            return jsonify(replace_contacts(session, id, body, services.clock(), Actor.of(g.principal)))

    @table.add("GET", "/grids/{id}/contacts", summary="A grid's manager and liaisons", roles=READERS,
               responses={200: GridContactsOut, 404: ErrorOut})
    def get_grid_contacts(id: str):
        with db.read() as session:
            return jsonify(contacts_view(session, id))

    @table.add("GET", "/outages/{id}/care-customers", summary="The care customers below an outage's devices, to be "
               "phoned (a planned outage's device_ids, an unplanned one's device)", roles=READERS,
               path_types={"id": int}, responses={200: CareCustomersOut, 404: ErrorOut})
    def get_care_customers(id: int):
        with db.read() as session:
            return jsonify(care_customers(session, services.network.current(session), id))
