"""SQLAlchemy 2 models: grids and their contacts, reports, work orders and their timeline, crews, outages, seats, calls,
users, logs, the notices' outbox, who among an outage's customers was told what, callback tasks (回访),
service tickets and their timeline, the daily reliability and order roll-ups, the duty roster (值班), the call-center
hourly roll-up."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (JSON, BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text, TypeDecorator,
                        UniqueConstraint, false)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON, list[str]: JSON}


class Meta(Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class GridRow(Base):
    __tablename__ = "grids"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    district: Mapped[str] = mapped_column(String(64), index=True)
    area_class: Mapped[str] = mapped_column(String(16))
    customers: Mapped[int] = mapped_column(Integer)
    geometry: Mapped[dict[str, Any]]  # GeoJSON geometry, WGS-84


class FaultReport(Base):
    __tablename__ = "fault_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    reported_at: Mapped[datetime]
    received_at: Mapped[datetime]
    lon: Mapped[float]  # WGS-84 after conversion at the edge
    lat: Mapped[float]
    crs: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(24))
    priority: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(8))
    customer_id: Mapped[str | None] = mapped_column(String(64))
    customer_name: Mapped[str | None] = mapped_column(String(128))
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(256))
    description: Mapped[str | None] = mapped_column(Text)
    customers_affected: Mapped[int] = mapped_column(Integer, default=1)
    sensitive: Mapped[bool] = mapped_column(default=False)
    grid_id: Mapped[str | None] = mapped_column(String(64), index=True)
    merged_from: Mapped[int | None] = mapped_column(Integer)  # the order it came with when that one was merged
    # 研判: the transformer (台区) the call is under, how that was found, its feeder (the engine reads a feeder's
    # recent calls by it) and the outage the call was linked to. A call under an outage with no crew work
    # (planned, or a commanded switching) has no work order.
    transformer_id: Mapped[str | None] = mapped_column(String(64))
    located_by: Mapped[str | None] = mapped_column(String(16))  # report, customer, nearest
    feeder_id: Mapped[str | None] = mapped_column(String(64))
    outage_id: Mapped[int | None] = mapped_column(Integer, index=True)
    screening: Mapped[str | None] = mapped_column(String(24))  # why it went to the screening lane
    workorder_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    # Linking objects (not ids) lets a whole batch of new orders and reports go to the database in one flush.
    workorder: Mapped["WorkOrder | None"] = relationship(lazy="raise_on_sql")
    # Today's figures (calls, calls per outage) read the day's reports by reported_at, every few seconds.
    __table_args__ = (Index("ix_fault_reports_feeder_reported", "feeder_id", "reported_at"),
                      Index("ix_fault_reports_reported_at", "reported_at"))


class WorkOrder(Base):
    __tablename__ = "work_orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    category: Mapped[str] = mapped_column(String(24))
    priority: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(8))
    grid_id: Mapped[str | None] = mapped_column(String(64), index=True)
    district: Mapped[str | None] = mapped_column(String(64))
    area_class: Mapped[str] = mapped_column(String(16))
    outside_grid: Mapped[bool] = mapped_column(default=False)
    needs_screening: Mapped[bool] = mapped_column(default=False)
    lon: Mapped[float]
    lat: Mapped[float]
    address: Mapped[str | None] = mapped_column(String(256))
    customers_affected: Mapped[int] = mapped_column(Integer, default=1)
    sensitive: Mapped[bool] = mapped_column(default=False)
    report_count: Mapped[int] = mapped_column(Integer, default=1)
    crew_id: Mapped[str | None] = mapped_column(String(64), index=True)
    merged_into: Mapped[int | None] = mapped_column(Integer)
    outage_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the outage this order repairs (研判)
    reported_at: Mapped[datetime]  # the first report: the clock of every time limit starts here
    arrival_due: Mapped[datetime]
    restore_due: Mapped[datetime | None]  # set once, on arrival
    due_at: Mapped[datetime | None] = mapped_column(index=True)  # the limit running now: arrival, then restoration
    level: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # 催办 level of the running limit
    overdue: Mapped[bool] = mapped_column(default=False, server_default=false())
    # When level or overdue next changes by the clock alone: the escalation sweep reads this index, not history.
    escalate_at: Mapped[datetime | None] = mapped_column(index=True)
    dispatched_at: Mapped[datetime | None]
    arrived_at: Mapped[datetime | None]
    restored_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    # The period figures read the days not rolled up yet by these times (migration 0016).
    __table_args__ = (Index("ix_work_orders_reported_at", "reported_at"), Index("ix_work_orders_arrived_at", "arrived_at"),
                      Index("ix_work_orders_restored_at", "restored_at"))


class WorkOrderEvent(Base):
    """The timeline of one order: every state change and assignment, append-only."""
    __tablename__ = "workorder_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workorder_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(16))  # created, transition, assign, link, merge
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    actor: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    workorder: Mapped["WorkOrder"] = relationship(lazy="raise_on_sql")


class Crew(Base):
    __tablename__ = "crews"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    team: Mapped[str] = mapped_column(String(128))
    skills: Mapped[list[str]]
    members: Mapped[int] = mapped_column(Integer)
    phone: Mapped[str | None] = mapped_column(String(32))
    base_grid_id: Mapped[str | None] = mapped_column(String(64))
    on_duty: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    workorder_id: Mapped[int | None] = mapped_column(Integer)
    lon: Mapped[float | None]
    lat: Mapped[float | None]
    grid_id: Mapped[str | None] = mapped_column(String(64))
    position_at: Mapped[datetime | None]
    speed_kmh: Mapped[float | None]
    heading: Mapped[float | None]
    updated_at: Mapped[datetime]


class Outage(Base):
    """Reported by a client (external_id), planned, or found by 研判 on the network (device_id)."""
    __tablename__ = "outages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)  # None: made here, by 研判
    content_hash: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True, server_default="confirmed")
    source: Mapped[str] = mapped_column(String(16), server_default="reported")
    device_id: Mapped[str | None] = mapped_column(String(64), index=True)
    locked: Mapped[bool] = mapped_column(default=False, server_default=false())  # a person decided: 研判 keeps off
    covered_by: Mapped[int | None] = mapped_column(Integer)  # under a larger outage: its customers count there
    merged_into: Mapped[int | None] = mapped_column(Integer)
    workorder_id: Mapped[int | None] = mapped_column(Integer)
    calls: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    care_customers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reason: Mapped[str | None] = mapped_column(Text)  # why 研判 put it where it is
    device_kind: Mapped[str | None] = mapped_column(String(16))  # with cause and area class: the ETR's history
    area_class: Mapped[str | None] = mapped_column(String(16))
    etr_basis: Mapped[str | None] = mapped_column(Text)  # how the ETR was made, for whoever tells a customer
    lon: Mapped[float | None]  # the device's place, drawn on the wall
    lat: Mapped[float | None]
    kind: Mapped[str] = mapped_column(String(16))
    grid_ids: Mapped[list[str]]
    geometry: Mapped[dict[str, Any] | None]
    districts: Mapped[list[str]]
    start: Mapped[datetime]
    etr: Mapped[datetime | None]
    end: Mapped[datetime | None] = mapped_column(index=True)
    customers_affected: Mapped[int] = mapped_column(Integer)
    sensitive_customers: Mapped[int] = mapped_column(Integer, default=0)
    cause: Mapped[str | None] = mapped_column(String(256))
    notified_at: Mapped[datetime | None]
    # Planned: 计划检修 (scheduled) or 临时检修 (temporary), which sets the notice rule; the devices switched out,
    # whose customers are told (None: an area only, nobody to tell by name).
    maintenance: Mapped[str | None] = mapped_column(String(16))
    device_ids: Mapped[list[str] | None]
    updated_at: Mapped[datetime]
    # The period figures count the outages started in a period (migration 0016).
    # The period figures read outages by start, and the planned ones by kind and start (a year's 4,000 of 60,000).
    __table_args__ = (Index("ix_outages_start", "start"), Index("ix_outages_kind_start", "kind", "start"))


class Device(Base):
    """One device of the distribution network (station, feeder, switch/fuse, transformer) and its state."""
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(128))
    lon: Mapped[float | None]
    lat: Mapped[float | None]
    grid_id: Mapped[str | None] = mapped_column(String(64))
    customers: Mapped[int] = mapped_column(Integer, default=0)
    # What automation last said, and when (None: never reported; the network's normal state is closed).
    reported_state: Mapped[str | None] = mapped_column(String(8))
    reported_at: Mapped[datetime | None]


class Customer(Base):
    """The customer register: the transformer that feeds each customer, and who needs care in an outage."""
    __tablename__ = "customers"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    transformer_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str | None] = mapped_column(String(128))
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(256))
    care: Mapped[str | None] = mapped_column(String(16))
    account_status: Mapped[str] = mapped_column(String(24), default="normal")
    updated_at: Mapped[datetime]


class Seat(Base):
    __tablename__ = "seats"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent: Mapped[str | None] = mapped_column(String(64))
    group: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    since: Mapped[datetime]


class Call(Base):
    __tablename__ = "calls"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    queue: Mapped[str] = mapped_column(String(64))
    offered_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    abandoned_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    seat_id: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index("ix_calls_queue_offered", "queue", "offered_at"),
                      Index("ix_calls_offered_at", "offered_at"))  # a period's edges, whatever the queue


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    disabled: Mapped[bool] = mapped_column(default=False, server_default=false())


class WebSession(Base):
    """A browser's sign-in, held on the server so that logging out, a password change, disabling the person or
    an admin's "sign this screen out" ends it at once: the cookie only carries a random key to this row."""
    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_name: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))  # "password" (a person) or "kiosk" (a wall, by viewer token)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(256))
    via_token: Mapped[str | None] = mapped_column(String(64), index=True)  # a wall's: the digest of its viewer token


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(128))  # the token's name: who made a change, in the audit
    created_at: Mapped[datetime]
    crew_id: Mapped[str | None] = mapped_column(String(64))  # a crew terminal's token moves only that crew's orders
    revoked_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Who did what, append-only, written in the same transaction as the change it records."""
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32), index=True)
    object: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any] | None]


class EventLog(Base):
    """Append-only record of every change pushed to the wall, written in the same transaction as the change."""
    __tablename__ = "event_log"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(16))
    op: Mapped[str] = mapped_column(String(8))
    entity_id: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any] | None]


class GridContact(Base):
    """A grid's responsible people (网格化): its manager (网格经理) and the village or community liaisons
    (电力联络员), told when an outage hits the grid. Replaced whole per grid."""
    __tablename__ = "grid_contacts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_id: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))  # manager, liaison
    position: Mapped[int] = mapped_column(Integer, default=0)  # the order they were given in
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(16))  # digits only, as stored from 138-0000-0000 or 010-12345678
    village: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(254))  # for the SMTP notifier
    updated_at: Mapped[datetime]


class Notification(Base):
    """The outbox: one row per notice and channel, written in the transaction of the change that caused it and
    sent later by the notifier worker. `notice_id` is the idempotency key, the same on every retry."""
    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[str] = mapped_column(String(160))
    channel: Mapped[str] = mapped_column(String(32))
    event: Mapped[str] = mapped_column(String(24))  # outage_opened, outage_etr, outage_restored, escalation
    subject: Mapped[str] = mapped_column(String(16))  # outage, workorder, ticket
    subject_id: Mapped[int] = mapped_column(Integer)
    grid_id: Mapped[str | None] = mapped_column(String(64))
    recipients: Mapped[list[Any]]
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(8))  # pending, sent, dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    queued_at: Mapped[datetime] = mapped_column(index=True)
    next_at: Mapped[datetime]  # when a pending row is due (again)
    last_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # A worker owns a row it is sending until claimed_until: another process's worker leaves it alone.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    __table_args__ = (UniqueConstraint("notice_id", "channel", name="uq_notifications_notice_channel"),
                      Index("ix_notifications_due", "status", "next_at"),
                      Index("ix_notifications_subject", "subject", "subject_id"))


class CallbackTask(Base):
    """A callback (回访) owed to the customer of one restored repair order or one closed ticket: one per subject."""
    __tablename__ = "callback_tasks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))  # workorder, ticket
    subject_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # pending, done, unreachable
    result: Mapped[str | None] = mapped_column(String(16))  # the reached attempt's: satisfied, not_satisfied
    opened_at: Mapped[datetime] = mapped_column()
    due_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(index=True)  # done or unreachable: when
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    customer_name: Mapped[str | None] = mapped_column(String(128))  # from the order's reports, when known
    phone: Mapped[str | None] = mapped_column(String(32))
    district: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("subject_kind", "subject_id", name="uq_callback_tasks_subject"),
                      Index("ix_callback_tasks_status_due", "status", "due_at"),
                      # A period's completion and satisfaction are counted from these indexes alone (a year: 160,000).
                      Index("ix_callback_tasks_opened", "opened_at", "status", "district"),
                      Index("ix_callback_tasks_done", "status", "closed_at", "result", "district"))


class CallbackAttempt(Base):
    """One try at a callback, append-only: recorded by a dispatcher or posted by the 95598 platform (its
    `external_id` is the idempotency key)."""
    __tablename__ = "callback_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("callback_tasks.id"), index=True)
    at: Mapped[datetime] = mapped_column(index=True)  # when the call was made
    result: Mapped[str] = mapped_column(String(16))  # satisfied, not_satisfied, not_reached
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    recorded_at: Mapped[datetime]


class Ticket(Base):
    """A service order beyond repairs (投诉 complaint, 举报 report, 咨询 consultation, 业务 service) from the 95598
    platform, routed to a department and chased against its own limits like a repair order."""
    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    received_at: Mapped[datetime]  # the clock of both limits starts here
    customer_id: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    lon: Mapped[float | None]
    lat: Mapped[float | None]
    grid_id: Mapped[str | None] = mapped_column(String(64), index=True)
    district: Mapped[str | None] = mapped_column(String(64))
    outside_grid: Mapped[bool] = mapped_column(default=False)  # no grid given nor found: accepted and flagged
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    related_workorder_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    department: Mapped[str] = mapped_column(String(16), index=True)
    contact_due: Mapped[datetime]
    close_due: Mapped[datetime]
    due_at: Mapped[datetime | None] = mapped_column(index=True)  # the limit running now: contact, then close
    level: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    overdue: Mapped[bool] = mapped_column(default=False, server_default=false())
    escalate_at: Mapped[datetime | None] = mapped_column(index=True)  # read by the escalation sweep
    contacted_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # A period's complaints against their contact limit, counted from this index alone.
    __table_args__ = (Index("ix_tickets_kind_received", "kind", "received_at", "status", "contact_due",
                            "contacted_at", "district"),)


class TicketEvent(Base):
    """The timeline of one ticket, append-only: created, transitions, escalations."""
    __tablename__ = "ticket_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(16))  # created, transition, escalated
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    actor: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)


class CustomerNotice(Base):
    """Who among an outage's customers was told what (one row per phone and message), for the throttle and for
    never telling one customer the same news twice. `key`: opened, etr:<n>, restored or planned."""
    __tablename__ = "customer_notices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outage_id: Mapped[int] = mapped_column(Integer)
    phone: Mapped[str] = mapped_column(String(16))  # digits: the SMS goes to it, so one phone is one customer
    customer_id: Mapped[str | None] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(16))
    notice_id: Mapped[str] = mapped_column(String(160))  # the outbox notice (a batch) it went in
    etr: Mapped[datetime | None]  # the ETR it told
    at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("outage_id", "phone", "key", name="uq_customer_notices_outage_phone_key"),)


class ReliabilityPiece(Base):
    """The daily reliability roll-up: an ended outage's share of one grid on one local day (written when the
    outage ends, rebuilt by `gridcommand rollups rebuild`). See dashboard/figures/reliability.py."""
    __tablename__ = "reliability_daily"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date]
    outage_id: Mapped[int] = mapped_column(Integer, index=True)
    grid_id: Mapped[str] = mapped_column(String(64))
    district: Mapped[str] = mapped_column(String(64))
    customers: Mapped[float]
    customer_minutes: Mapped[float]
    duration_min: Mapped[float]
    planned: Mapped[bool]
    # Covering the report's reads: a year of pieces is summed from the index alone.
    __table_args__ = (Index("ix_reliability_daily_day", "day", "district", "duration_min", "planned", "customers",
                            "customer_minutes", "grid_id"),)


class DutyShift(Base):
    """One person's (or crew's) shift on the duty roster (值班): replaced a date range at a time."""
    __tablename__ = "duty_shifts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)  # the roster's day (the center's calendar)
    shift: Mapped[str] = mapped_column(String(16))  # day, night, ...
    start: Mapped[datetime] = mapped_column(index=True)
    end: Mapped[datetime]
    role: Mapped[str] = mapped_column(String(16))  # duty_chief, dispatcher, seat, crew
    person: Mapped[str] = mapped_column(String(64))  # a name, a user name or a crew id
    team: Mapped[str | None] = mapped_column(String(128))  # a seat group or a crew's team
    phone: Mapped[str | None] = mapped_column(String(32))


class OrderTallyColumns:
    """The order roll-up's tallies of one grid over a day or a month (dashboard/services/order_tallies.py)."""
    grid_id: Mapped[str | None] = mapped_column(String(64))  # None: orders and calls outside every grid
    district: Mapped[str | None] = mapped_column(String(64))
    received: Mapped[int] = mapped_column(Integer)
    late: Mapped[int] = mapped_column(Integer)
    arrived: Mapped[int] = mapped_column(Integer)
    arrived_on_time: Mapped[int] = mapped_column(Integer)
    arrival_s: Mapped[int] = mapped_column(BigInteger)
    restored: Mapped[int] = mapped_column(Integer)
    restored_on_time: Mapped[int] = mapped_column(Integer)
    restoration_s: Mapped[int] = mapped_column(BigInteger)
    calls: Mapped[int] = mapped_column(Integer)
    arrival_hist: Mapped[str] = mapped_column(Text)  # "bucket:count …" (dashboard/figures/durations.py)
    restoration_hist: Mapped[str] = mapped_column(Text)


class OrderDaily(OrderTallyColumns, Base):
    """The daily order roll-up: one local day and grid's work-order and call tallies, for the period figures;
    rebuilt by `gridcommand rollups rebuild`."""
    __tablename__ = "order_daily"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    # Covering a daily series' reads: a year of days is summed from the index alone.
    __table_args__ = (Index("ix_order_daily_day", "day", "district", "received", "arrived", "arrived_on_time",
                            "arrival_s", "restored"),)


class OrderDay(Base):
    """Whether a day of the order roll-up is current: a write touching the day raises `changes`; the roll-up of
    the day records the `changes` it saw in `rolled`. Only a day with rolled == changes is read from the roll-up."""
    __tablename__ = "order_daily_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    changes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rolled: Mapped[int] = mapped_column(Integer, default=-1, server_default="-1")


class OrderMonthly(OrderTallyColumns, Base):
    """The order roll-up summed per calendar month and grid from its days (a year reads twelve rows a grid, not
    365); current while its days are and their `changes` are those it was built from (OrderMonth.signature)."""
    __tablename__ = "order_monthly"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date)  # its first day
    __table_args__ = (Index("ix_order_monthly_month", "month", "district"),)


class OrderMonth(Base):
    """A month of the monthly order roll-up: Σ `changes` of its days when it was built."""
    __tablename__ = "order_monthly_months"
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    signature: Mapped[int] = mapped_column(Integer)
class CallHour(Base):
    """The call-center roll-up's call part: one local hour × queue, the calls offered in it (period_columns'
    counts and sums, at the thresholds the roll-up was built with). See dashboard/services/call_rollup.py."""
    __tablename__ = "call_hourly"
    hour: Mapped[datetime] = mapped_column(primary_key=True)  # the local hour's start, in UTC
    queue: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date)  # the local day of the hour: a year's daily series sums by it
    offered: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)
    answered_in_target: Mapped[int] = mapped_column(Integer)
    abandoned: Mapped[int] = mapped_column(Integer)
    short_abandoned: Mapped[int] = mapped_column(Integer)
    wait_s: Mapped[float]  # total wait of the answered
    handled: Mapped[int] = mapped_column(Integer)
    talk_s: Mapped[float]  # total talk of the handled


class SeatHour(Base):
    """The call-center roll-up's seat part: seconds the seats of a group spent in each state within a local hour
    (a column per SeatState: a year sums 8,760 rows per group, not six times as many)."""
    __tablename__ = "seat_hourly"
    hour: Mapped[datetime] = mapped_column(primary_key=True)
    grp: Mapped[str] = mapped_column(String(64), primary_key=True)
    available_s: Mapped[float]
    ringing_s: Mapped[float]
    talking_s: Mapped[float]
    wrap_up_s: Mapped[float]
    not_ready_s: Mapped[float]
    logged_out_s: Mapped[float]
