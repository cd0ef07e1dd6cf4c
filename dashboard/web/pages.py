"""The pages, each declared once (path, roles, title, layout, callbacks): the router, navigation and guard read it."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from dashboard.domain import Role


@dataclass(frozen=True)
class Page:
    path: str
    roles: frozenset[Role]
    title_key: str  # i18n key of the page's title (browser tab and navigation)
    layout: Callable[..., Any]  # (PageContext) -> the page's Dash components
    register: Callable[..., None] | None = None  # (app, services): the page's callbacks
    home_of: frozenset[Role] = field(default_factory=frozenset)  # whose home page it is (where `/` sends them)
    nav: bool = True  # listed in the navigation of those who may open it
    # What the page's head requests before Dash has even loaded: {"snapshot": url, "grids": bool, "plotly": bool}
    prefetch: dict[str, Any] | None = None


class PageTable:
    def __init__(self, pages: tuple[Page, ...]):
        self.pages = pages
        self._by_path = {p.path: p for p in pages}
        homes = [(role, p.path) for p in pages for role in p.home_of]
        self._homes = dict(homes)
        if len(self._homes) != len(homes):
            raise ValueError("a role has two home pages")

    def __iter__(self) -> Iterator[Page]:
        return iter(self.pages)

    def find(self, path: str) -> Page | None:
        return self._by_path.get(path.rstrip("/") or "/")

    def home(self, role: Role) -> str | None:
        return self._homes.get(role)

    def for_role(self, role: Role) -> list[Page]:
        """The pages a role may open and that the navigation lists, in declaration order."""
        return [p for p in self.pages if p.nav and role in p.roles]
