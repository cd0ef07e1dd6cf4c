"""Input schemas (pydantic): they validate every request and generate the OpenAPI document."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, Strict, field_validator,
                      model_validator)

from dashboard.domain import (CallbackResult, CallEvent, Category, Channel, Maintenance, OrderStatus, OutageKind,
                              Priority, SeatState)
from dashboard.tickets.kinds import TicketKind, TicketStatus

# Numbers, strings and booleans are strict: "116.3" is not a longitude and 1 is not `true`.
Float = Annotated[float, Strict()]
Int = Annotated[int, Strict()]
Bool = Annotated[bool, Strict()]
Id = Annotated[str, Strict(), Field(min_length=1, max_length=64)]
Lon = Annotated[float, Strict(), Field(ge=-180, le=180)]
Lat = Annotated[float, Strict(), Field(ge=-90, le=90)]
# Row ids are `integer` columns: PostgreSQL's stop at 2**31 - 1, and a bigger number could name nothing anyway.
MAX_ID = 2**31 - 1
RowId = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099


def _sane_time(value: datetime) -> datetime:
    # Checked on the year, before any arithmetic: year 1 or 9999 with an offset overflows on the first subtraction.
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be a time between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


# Every timestamp a client sends: with an offset, in a window where date arithmetic cannot overflow.
Timestamp = Annotated[AwareDatetime, AfterValidator(_sane_time)]


def bad_text(value: str) -> str | None:
    """Why a client's string cannot be stored, or None. NUL ends strings in PostgreSQL; a lone surrogate is
    not Unicode text and cannot be encoded for any database."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text (a lone surrogate)"
    return None


def _text(n: int):
    return Annotated[str | None, Strict(), Field(default=None, max_length=n)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, str_strip_whitespace=True)


class FaultIn(Model):
    external_id: Id
    reported_at: Timestamp
    lon: Lon
    lat: Lat
    crs: Literal["wgs84", "gcj02"] = "wgs84"
    category: Category
    priority: Priority = Priority.normal
    channel: Channel = Channel.phone
    customer_id: _text(64) = None
    customer_name: _text(128) = None
    phone: _text(32) = None
    address: _text(256) = None
    description: _text(2000) = None
    customers_affected: Annotated[int, Strict(), Field(ge=1, le=10_000_000)] = 1
    sensitive: Bool = False
    transformer_id: _text(64) = None  # the transformer (台区) the caller is under, when the platform knows it
    account_status: Literal["normal", "arrears_disconnected"] | None = None  # from the 95598 customer account

    added_later: ClassVar[tuple[str, ...]] = ("transformer_id", "account_status")

    @field_validator("external_id")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be blank")
        return v


class FaultBatchIn(Model):
    items: list[dict[str, Any]] = Field(min_length=1, max_length=1000)


class CrewIn(Model):
    name: Annotated[str, Strict(), Field(min_length=1, max_length=128)]
    team: Annotated[str, Strict(), Field(min_length=1, max_length=128)]
    skills: list[Annotated[str, Strict(), Field(min_length=1, max_length=32)]] = Field(max_length=32)
    members: Annotated[int, Strict(), Field(ge=1, le=50)]
    phone: _text(32) = None
    base_grid_id: Annotated[str | None, Strict(), Field(default=None, min_length=1, max_length=64)] = None
    on_duty: Bool


class PositionIn(Model):
    crew_id: Id
    lon: Lon
    lat: Lat
    crs: Literal["wgs84", "gcj02"] = "wgs84"
    at: Timestamp
    speed_kmh: Annotated[float | None, Strict(), Field(default=None, ge=0, le=300)] = None
    heading: Annotated[float | None, Strict(), Field(default=None, ge=0, le=360)] = None


class PositionBatchIn(Model):
    items: list[dict[str, Any]] = Field(min_length=1, max_length=5000)


class SeatEventIn(Model):
    seat_id: Id
    agent: _text(64) = None
    group: Id
    state: SeatState
    at: Timestamp


class SeatEventBatchIn(Model):
    items: list[dict[str, Any]] = Field(min_length=1, max_length=5000)


class CallEventIn(Model):
    call_id: Id
    queue: Id
    event: CallEvent
    at: Timestamp
    seat_id: Annotated[str | None, Strict(), Field(default=None, min_length=1, max_length=64)] = None


class CallEventBatchIn(Model):
    items: list[dict[str, Any]] = Field(min_length=1, max_length=5000)


# GeoJSON areas, typed to their fixed depth: a position, a ring, a polygon, a multipolygon. Anything deeper or
# of another shape fails here with the path to the bad member, before geometry code sees it.
Position = Union[tuple[Lon, Lat], tuple[Lon, Lat, Annotated[float, Strict()]]]


def _one_dimension(ring: list[tuple[float, ...]]) -> list[tuple[float, ...]]:
    # Shapely cannot build a ring of 2- and 3-number positions mixed (it failed with a 500 before this check).
    if len({len(position) for position in ring}) > 1:
        raise ValueError("mixes positions of 2 and 3 numbers: give all of a ring's positions the same")
    return ring


MAX_VERTICES = 20_000
Ring = Annotated[list[Position], Field(min_length=4, max_length=MAX_VERTICES), AfterValidator(_one_dimension)]


class _Geometry(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)  # GeoJSON allows foreign members (bbox, ...)

    def vertices(self) -> int:
        raise NotImplementedError

    @model_validator(mode="after")
    def _bounded(self):
        if self.vertices() > MAX_VERTICES:
            raise ValueError(f"more than {MAX_VERTICES} vertices: simplify it")
        return self


class PolygonGeometry(_Geometry):
    type: Literal["Polygon"]
    coordinates: list[Ring] = Field(min_length=1, max_length=1000)

    def vertices(self) -> int:
        return sum(len(ring) for ring in self.coordinates)


class MultiPolygonGeometry(_Geometry):
    type: Literal["MultiPolygon"]
    coordinates: list[Annotated[list[Ring], Field(min_length=1, max_length=1000)]] = Field(min_length=1,
                                                                                           max_length=1000)

    def vertices(self) -> int:
        return sum(len(ring) for polygon in self.coordinates for ring in polygon)


Geometry = Annotated[Union[PolygonGeometry, MultiPolygonGeometry], Field(discriminator="type")]


class OutageIn(Model):
    external_id: Id
    kind: OutageKind
    grid_ids: list[Id] | None = Field(default=None, min_length=1, max_length=500)
    geometry: Geometry | None = Field(default=None, description="GeoJSON Polygon or MultiPolygon, WGS-84")
    start: Timestamp
    etr: Timestamp | None = None
    customers_affected: Annotated[int, Strict(), Field(ge=0, le=10_000_000)]
    sensitive_customers: Annotated[int, Strict(), Field(ge=0, le=10_000_000)] = 0
    cause: _text(256) = None
    notified_at: Timestamp | None = None
    # Planned only (extension): the devices switched out, whose customers are told, and the kind of work, which
    # sets the notice rule (scheduled: ≥ 7 days ahead; temporary: ≥ 24 h). Absent maintenance is scheduled.
    device_ids: list[Id] | None = Field(default=None, min_length=1, max_length=200)
    maintenance: Maintenance | None = None

    added_later: ClassVar[tuple[str, ...]] = ("device_ids", "maintenance")

    @model_validator(mode="after")
    def _area_given(self) -> "OutageIn":
        if self.grid_ids is None and self.geometry is None:
            raise ValueError("give grid_ids or geometry")
        if self.etr is not None and self.etr < self.start:
            raise ValueError("etr is before start")
        if self.kind != OutageKind.planned and (self.device_ids is not None or self.maintenance is not None):
            raise ValueError("device_ids and maintenance are for planned outages")
        return self


class OutagePatchIn(Model):
    etr: Timestamp | None = None
    end: Timestamp | None = None
    customers_affected: Annotated[int | None, Strict(), Field(default=None, ge=0, le=10_000_000)] = None


class AssignIn(Model):
    crew_id: Id
    version: RowId


class TransitionIn(Model):
    to: OrderStatus
    at: Timestamp | None = None
    note: _text(2000) = None
    version: RowId | None = None


class MergeIn(Model):
    into: RowId


class CallbackAttemptIn(Model):
    """One try at a callback (回访): what the customer said, or that they could not be reached."""
    result: CallbackResult
    note: _text(2000) = None
    at: Timestamp | None = None  # when the call was made; now when left out
    external_id: Annotated[str | None, Strict(), Field(default=None, min_length=1, max_length=64)] = None


# The distribution network (研判) --------------------------------------------------------------------------------

class DeviceIn(Model):
    id: Id
    kind: Literal["station", "feeder", "switch", "transformer"]
    parent_id: Annotated[str | None, Strict(), Field(min_length=1, max_length=64)] = None
    name: _text(128) = None
    lon: Lon | None = None
    lat: Lat | None = None
    grid_id: Annotated[str | None, Strict(), Field(default=None, min_length=1, max_length=64)] = None
    # Checked with the whole network (a negative count is named with its device), so any integer here.
    customers: Annotated[int, Strict(), Field(ge=-10_000_000, le=10_000_000)] = 0


class TopologyIn(Model):
    devices: list[DeviceIn] = Field(min_length=1, max_length=200_000)


class CustomerIn(Model):
    customer_id: Id
    transformer_id: Id
    name: _text(128) = None
    phone: _text(32) = None
    address: _text(256) = None
    care: Literal["vulnerable", "important", "life_support"] | None = None
    account_status: Literal["normal", "arrears_disconnected"] = "normal"


class CustomerBatchIn(Model):
    items: list[dict[str, Any]] = Field(min_length=1, max_length=10_000)


class DeviceEventIn(Model):
    device_id: Id
    state: Literal["open", "closed"]
    at: Timestamp
    commanded: Bool = False


class DeviceEventBatchIn(Model):
    items: list[dict[str, Any]] = Field(min_length=1, max_length=5000)


class OutageMoveIn(Model):
    device_id: Id
    note: _text(500) = None


class OutageMergeIn(Model):
    into: RowId
    note: _text(500) = None


class OutageSplitIn(Model):
    device_ids: list[Id] = Field(min_length=1, max_length=50)
    note: _text(500) = None


class OutageConfirmIn(Model):
    note: _text(500) = None


class ScreenIn(Model):
    outcome: Literal["not_grid_fault", "customer_internal", "send_crew"]
    note: _text(500) = None


# Grid responsibility (网格化) ------------------------------------------------------------------------------------

def _phone(value: str) -> str:
    """A Chinese mobile (1[3-9] and 9 digits, +86 allowed) or landline (area code 0xx/0xxx, 7–8 digits, a hyphen
    allowed: 010-12345678, 01012345678), stored as its digits."""
    digits = value.replace(" ", "").replace("-", "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if re.fullmatch(r"1[3-9][0-9]{9}", digits) or re.fullmatch(r"0[1-9][0-9]{8,10}", digits):
        return digits
    raise ValueError("must be a Chinese mobile (13812345678) or landline (010-12345678) number")


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+", value):
        raise ValueError("must be an email address")
    return value


# The forms the document shows; the validator also lets spaces and hyphens through (138-0013-8000).
PHONE_FORMS = r"^(\+86 ?)?1[3-9][0-9]{9}$|^0[1-9][0-9]{1,2}-?[0-9]{7,8}$"
Phone = Annotated[str, Strict(), Field(max_length=20, json_schema_extra={"pattern": PHONE_FORMS}),
                  AfterValidator(_phone)]
Email = Annotated[str | None, Strict(), Field(default=None, max_length=254), AfterValidator(
    lambda v: None if v is None else _email(v))]
PersonName = Annotated[str, Strict(), Field(min_length=1, max_length=64)]


class ManagerIn(Model):
    name: PersonName
    phone: Phone
    email: Email = None  # extension: where the SMTP notifier writes to


class LiaisonIn(ManagerIn):
    village: _text(64) = None  # the village or community the liaison speaks for


class GridContactsIn(Model):
    manager: ManagerIn
    liaisons: list[LiaisonIn] = Field(default_factory=list, max_length=50)


class TicketIn(Model):
    """A service ticket from the 95598 platform (投诉, 举报, 咨询, 业务); `grid_id`, or `lon`/`lat` to locate it."""
    external_id: Id
    kind: TicketKind
    received_at: Timestamp
    customer_id: _text(64) = None
    phone: _text(32) = None
    grid_id: Annotated[str | None, Strict(), Field(default=None, min_length=1, max_length=64)] = None
    lon: Annotated[float | None, Strict(), Field(default=None, ge=-180, le=180)] = None
    lat: Annotated[float | None, Strict(), Field(default=None, ge=-90, le=90)] = None
    crs: Literal["wgs84", "gcj02"] = "wgs84"
    subject: Annotated[str, Strict(), Field(min_length=1, max_length=200)]
    description: _text(2000) = None
    related_workorder_id: RowId | None = None

    @field_validator("external_id")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be blank")
        return v

    @model_validator(mode="after")
    def _place(self) -> "TicketIn":
        if (self.lon is None) != (self.lat is None):
            raise ValueError("lon and lat come together")
        return self


class TicketBatchIn(Model):
    items: list[dict[str, Any]] = Field(min_length=1, max_length=1000)


class TicketTransitionIn(Model):
    to: TicketStatus
    note: _text(2000) = None
    version: RowId | None = None


def _sane_day(value: date) -> date:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be a day between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


Day = Annotated[date, AfterValidator(_sane_day)]
DutyRole = Literal["duty_chief", "dispatcher", "seat", "crew"]
MAX_SHIFTS = 5000  # a month of a large center's roster


class ShiftIn(Model):
    """One shift on the duty roster (值班): who (a name, a user name or a crew id), in what role, from when to when."""
    day: Day
    shift: Annotated[str, Strict(), Field(min_length=1, max_length=16)]
    start: Timestamp
    end: Timestamp
    role: DutyRole
    person: Annotated[str, Strict(), Field(min_length=1, max_length=64)]
    team: _text(128) = None
    phone: _text(32) = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> "ShiftIn":
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class RosterIn(Model):
    """The roster of the days `from`..`to` (inclusive), replaced whole: every shift's day lies in that range."""
    model_config = ConfigDict(populate_by_name=True)
    from_: Day = Field(alias="from")
    to: Day
    shifts: list[ShiftIn] = Field(max_length=MAX_SHIFTS)

    @model_validator(mode="after")
    def _days_in_range(self) -> "RosterIn":
        if self.to < self.from_:
            raise ValueError("to must not be before from")
        if (self.to - self.from_).days > 92:
            raise ValueError("a roster replaces at most 93 days at once")
        for i, s in enumerate(self.shifts):
            if not self.from_ <= s.day <= self.to:
                raise ValueError(f"shifts.{i}.day {s.day} is outside from..to")
        return self


class ReplayIn(Model):
    """A replay of the event log's [from, to) at `speed`× (docs/replay.md); the API checks the period is past."""
    start: Timestamp = Field(alias="from")
    end: Timestamp = Field(alias="to")
    speed: Annotated[float, Strict(), Field(ge=1, le=60)] = 10.0

    @model_validator(mode="after")
    def _ordered(self) -> "ReplayIn":
        if self.end <= self.start:
            raise ValueError("to must be after from")
        if self.end - self.start > MAX_REPLAY_PERIOD:
            raise ValueError(f"a replay covers at most {MAX_REPLAY_PERIOD.days} days")
        return self


MAX_REPLAY_PERIOD = timedelta(days=7)  # a week at 60× plays for 2 h 48 min
