"""What a page's layout is built from: the services, who is looking, in which language, the query, the pages."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.principal import Principal
from dashboard.web.pages import Page, PageTable


@dataclass(frozen=True)
class PageContext:
    services: Any
    person: Principal
    lang: str
    query: dict[str, str]
    pages: PageTable
    page: Page
