"""The demo's grid contacts: a manager and one to three liaisons for every grid, villages in the countryside,
valid phone numbers, seeded once."""
from collections import Counter

from sqlalchemy import func, select

from dashboard.demo_contacts import seed_demo_contacts
from dashboard.models import GridContact, GridRow
from dashboard.schemas import GridContactsIn

SQLITE_ONLY = True


def test_every_grid_gets_believable_people_once(services):
    assert seed_demo_contacts(services.db, services.clock())
    assert not seed_demo_contacts(services.db, services.clock())  # first start only
    with services.db.read() as s:
        grids = dict(s.execute(select(GridRow.id, GridRow.area_class)).all())
        rows = s.scalars(select(GridContact)).all()
        assert s.scalar(select(func.count()).select_from(GridContact)) == len(rows)
    managers = Counter(r.grid_id for r in rows if r.role == "manager")
    liaisons = Counter(r.grid_id for r in rows if r.role == "liaison")
    assert set(managers) == set(grids) and set(managers.values()) == {1}
    assert set(liaisons) == set(grids) and set(liaisons.values()) <= {1, 2, 3}
    for r in rows:
        GridContactsIn.model_validate({"manager": {"name": r.name, "phone": r.phone}})  # a valid phone each
        if r.role == "liaison" and grids[r.grid_id] != "urban":
            assert r.village.endswith("村")
