"""Demo data for a local run: pilot gemeenten, boundaries when available, a user per role.

Safe to run twice: what exists is left alone. Refuses to run in production mode.
"""

from dataclasses import dataclass
from pathlib import Path

from pilot.extensions import db
from pilot.models import Gemeente, Rol, User
from pilot.services.gemeenten import import_boundaries
from pilot.services.users import hash_password

SHARED_BOUNDARIES = (
    Path(__file__).resolve().parents[3].parent / "shared" / "data" / "gemeenten_2026_wgs84.geojson"
)


@dataclass(frozen=True)
class DemoLogin:
    gebruikersnaam: str
    wachtwoord: str
    rol: Rol
    gemeente: str | None = None


DEMO_LOGINS = (
    DemoLogin("beheerder", "demo-beheerder-429", Rol.BEHEERDER),
    DemoLogin("coordinator.rotterdam", "demo-rotterdam-429", Rol.COORDINATOR, "GM0599"),
    DemoLogin("coordinator.utrecht", "demo-utrecht-429", Rol.COORDINATOR, "GM0344"),
    DemoLogin("evaluator", "demo-evaluator-429", Rol.EVALUATOR),
    DemoLogin("ministerie", "demo-ministerie-429", Rol.MINISTERIE),
)


def seed_demo_users() -> list[DemoLogin]:
    existing = set(db.session.execute(db.select(User.gebruikersnaam)).scalars())
    for login in DEMO_LOGINS:
        if login.gebruikersnaam in existing:
            continue
        gemeente = None
        if login.gemeente:
            gemeente = db.session.execute(
                db.select(Gemeente).where(Gemeente.cbs_code == login.gemeente)
            ).scalar_one()
        db.session.add(
            User(
                gebruikersnaam=login.gebruikersnaam,
                naam=f"Demo {login.rol.label.lower()}",
                password_hash=hash_password(login.wachtwoord),
                rol=login.rol.value,
                gemeente=gemeente,
                actief=True,
            )
        )
    db.session.commit()
    return list(DEMO_LOGINS)


def load_demo_boundaries(path: Path = SHARED_BOUNDARIES) -> bool:
    """Load the shared boundary file once, when it is there and nothing is loaded yet."""
    loaded = db.session.execute(
        db.select(Gemeente.id).where(Gemeente.grens_geladen_op.is_not(None))
    ).first()
    if loaded or not path.exists():
        return bool(loaded)
    import_boundaries(str(path))
    return True
