"""Evolve steps: named, ordered changes to stored data (after
``substanced.evolution``).

A step is a plain function ``step(root)`` that brings data written by an
older release to today's shape; it runs once per database, in its own
transaction, and its name is then recorded in ``root.evolved`` (name → when,
+07:00).  Code reads only today's shape: the read-time fallbacks that used to
guess at old shapes (``Version.__dict__['report']``, ``Outbox.digests is
None``, ``ChangeLog.feed_id is None``, catalog ``layout``, datetime-or-stamp
readers) are steps in ``steps.py`` now.

Registering (in a concern's ``includeme``; the order of registration is the
order of running, and a name registered twice is a configuration conflict)::

    config.add_evolve_step(my_step, name="my-concern-2027-new-shape")

Running: ``archive-repo evolve [--dry-run]``; and at start-up, every step is
run when the database is on FileStorage's single process or ``archive_repo
.evolve_at_startup`` is true (the default) — a step must therefore be short
or say ``at_startup=False``, in which case start-up refuses to serve until an
operator has run it (the upgrade procedure of the preservation concern runs
its integrity checks around that command).
"""
import logging
from dataclasses import dataclass
from typing import Callable

from persistent.mapping import PersistentMapping
from zope.interface import Interface

from .. import db, timeutil
from ..errors import ArchiveError
from ..registry import collected

log = logging.getLogger(__name__)


class IEvolveSteps(Interface):
    """Marker for the ordered list of registered steps."""


@dataclass(frozen=True)
class EvolveStep:
    name: str
    run: Callable
    title: str
    at_startup: bool = True


class Pending(ArchiveError):
    def __init__(self, names):
        super().__init__("evolve_pending",
                         "cơ sở dữ liệu cần nâng cấp trước khi phục vụ: hãy chạy "
                         "`archive-repo -c INI evolve` (bước chờ: %s)" % ", ".join(names))


def steps_of(registry):
    return registry.queryUtility(IEvolveSteps) or []


def add_evolve_step(config, run, name=None, title=None, at_startup=True):
    """Directive ``config.add_evolve_step``."""
    step = EvolveStep(name or run.__name__, run, title or (run.__doc__ or "").strip(),
                      at_startup)

    config.action(("archive_repo.evolve_step", step.name),
                  lambda: collected(config.registry, IEvolveSteps).append(step))


def evolved(root):
    """Names of the steps already run on ``root``'s database (name → stamp)."""
    done = getattr(root, "evolved", None)
    if not isinstance(done, PersistentMapping):
        # roots made before steps existed carried ``evolved = 0``
        done = root.evolved = PersistentMapping()
    return done


def pending(registry):
    from ..resources import get_root
    with db.transaction(registry) as conn:      # may create the mapping
        done = evolved(get_root(conn))
        return [s for s in steps_of(registry) if s.name not in done]


def evolve(registry, dry_run=False, only_startup=False, out=None):
    """Run the pending steps in registration order, each in a transaction of
    its own; return the names run (or, with ``dry_run``, that would run)."""
    from ..resources import get_root
    ran = []
    for step in pending(registry):
        if only_startup and not step.at_startup:
            break                       # later steps may depend on this one
        if out is not None:
            out("%s %s — %s" % ("sẽ chạy" if dry_run else "chạy", step.name, step.title))
        if not dry_run:
            with db.transaction(registry) as conn:
                root = get_root(conn)
                step.run(root)
                evolved(root)[step.name] = timeutil.isoformat(timeutil.now())
            log.info("evolve step %s done", step.name)
        ran.append(step.name)
    return ran


def startup(registry, run=True):
    """Before the app serves: create the root of a new database (every step
    counts as done there: nothing old to evolve), run what may run at
    start-up, and refuse to start while a step that may not is pending
    (``run=False``: only the root — the evolve command's own start)."""
    from ..resources import get_root
    from ..resources.root import ROOT_KEY
    with db.transaction(registry) as conn:
        fresh = ROOT_KEY not in conn.root()
        root = get_root(conn)
        if fresh:
            stamp = timeutil.isoformat(timeutil.now())
            evolved(root).update((s.name, stamp) for s in steps_of(registry))
    if not run:
        return
    evolve(registry, only_startup=True)
    left = [s.name for s in pending(registry)]
    if left:
        raise Pending(left)


def includeme(config):
    config.add_directive("add_evolve_step", add_evolve_step)
    from . import steps
    steps.register(config)
