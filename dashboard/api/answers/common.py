"""What every answer shares: closed models, the error shape, GeoJSON areas."""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from dashboard.schemas import Lat, Lon


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


# A field that may be left out but is never null: the None default is Python's, not the wire's, so the schema
# shows no default.
ABSENT: Any = Field(default=None, json_schema_extra=_no_default)


class Closed(BaseModel):
    """An answer whose fields are all named here: a stray field fails the schema."""
    model_config = ConfigDict(extra="forbid")


# Errors ------------------------------------------------------------------------------------------------------

class ErrorDetailOut(Closed):
    field: str
    message: str = ABSENT


class ErrorBodyOut(Closed):
    code: str = Field(description="snake_case")
    message: str
    details: list[ErrorDetailOut]


class ErrorOut(Closed):
    error: ErrorBodyOut


# GeoJSON (WGS-84) --------------------------------------------------------------------------------------------

Position = Union[tuple[Lon, Lat], tuple[Lon, Lat, float]]
Ring = Annotated[list[Position], Field(min_length=4)]


class PolygonOut(Closed):
    type: Literal["Polygon"]
    coordinates: list[Ring]


class MultiPolygonOut(Closed):
    type: Literal["MultiPolygon"]
    coordinates: list[list[Ring]]


AreaOut = Annotated[Union[PolygonOut, MultiPolygonOut], Field(discriminator="type")]
