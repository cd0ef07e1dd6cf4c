"""Demo accounts for `--demo`: people for each role and one ingest token, printed in the log."""
from __future__ import annotations

import logging

from sqlalchemy import select

from dashboard.db import Database
from dashboard.domain import Role
from dashboard.models import User
from dashboard.services.accounts import add_user
from dashboard.timeutil import utcnow

log = logging.getLogger(__name__)

DEMO_USERS = (("wall", "wall-demo", Role.viewer), ("dispatch", "dispatch-demo", Role.dispatcher),
              ("exec", "exec-demo", Role.executive), ("admin", "admin-demo", Role.admin))
DEMO_INGEST_TOKEN = "demo-ingest-token"


def seed_demo_accounts(db: Database) -> list[tuple[str, str]]:
    with db.write() as session:
        for name, password, role in DEMO_USERS:
            if session.scalar(select(User).where(User.name == name)) is None:
                add_user(session, name, password, role, utcnow())
    # Names only: passwords and tokens never go to a log (the demo's are in the README and on the login page).
    log.warning("demo accounts: %s, and the demo ingest token", ", ".join(f"{n} ({r})" for n, _, r in DEMO_USERS))
    return [(DEMO_INGEST_TOKEN, Role.ingest.value)]
