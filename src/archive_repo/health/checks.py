"""The checks of what every concern shares: the records' storage and the
free space of the volumes the archive writes."""
from .. import db
from ..settings import get_settings
from ..storage_space import free_mb


def storage(registry):
    with db.reading(registry) as conn:
        conn.root()
        last = conn.db().lastTransaction()
    return {"status": "ok", "last_transaction": last.hex()}


def disk(registry):
    floor = get_settings(registry).min_free_mb
    free = free_mb(registry)
    low = [path for path, mb in free.items() if mb < floor]
    return {"status": "failed" if low else "ok", "min_free_mb": floor,
            "free_mb": min(free.values()) if free else None, "low": len(low)}
