"""Depositing an issued document: the steps, in the order that keeps a
refusal cheap and leaves nothing behind.

1. metadata parsed; a state secret is refused before the file is touched
   (Art. 1.2: never stored, not even the bytes);
2. metadata validated; the URL's year must be the year of issue;
3. the file spooled (hashed on the way), checked by the rule engine
   (``rules.engine.evaluate_file``); a REJECT failure refuses the deposit;
4. a duplicate (same bytes, or same number and notation) refused unless
   allowed (``duplicates``), before the rules and again in the step;
5. a number chosen, the record added and sent to its receivers (its
   deliveries are part of the deposit, not a reaction to it), and
   ``RecordAdded`` fired — in the caller's transaction.

Every refusal *raises*, so pyramid_tm aborts the transaction.
"""
from ..errors import BadRequest, Rejected
from ..events import RecordAdded, fire
from ..limits import Limits
from ..resources import Record, new_version
from ..resources.root import remember_digest
from ..rules.engine import not_state_secret
from . import duplicates
from . import metadata as md
from .numbering import choose_number


def refuse_state_secret(raw):
    """Art. 1.2 on the raw metadata, before validation and before the file is
    spooled.  The level is judged by the rule engine's own check, which folds
    case, diacritics and Unicode form: compared as typed, a decomposed (NFD)
    "Mật" slipped through to be spooled and "MẬT" or "Toi mat" came back as
    invalid metadata instead of this refusal."""
    level = raw.get("confidentiality")
    if not isinstance(level, str):
        return              # not text: validation reports it
    check = not_state_secret({"confidentiality": level})
    if check.failed:
        raise Rejected([check.as_json()],
                       "Văn bản mật không được tiếp nhận (Điều 1, khoản 2).")


def check_year(meta, year):
    if int(meta["issued_on"][:4]) != year.year:
        raise BadRequest("year_mismatch",
                         "Năm ban hành (%s) không khớp với năm trong đường dẫn (%d)."
                         % (meta["issued_on"], year.year),
                         [{"field": "issued_on", "value": meta["issued_on"]}])


def prepare(raw_metadata, year, known_agency, limits=Limits(), complete=True):
    """The validated metadata (``limits``: ``archive_repo.limits.limits_of``;
    ``complete=False``: an import keeps its gaps, ``md.validate``)."""
    raw = md.parse(raw_metadata, limits)
    refuse_state_secret(raw)
    meta = md.validate(raw, known_agency, limits, complete)
    check_year(meta, year)
    return meta


def deposit(year, meta, spooled, report, actor, at, registry, request=None, deliver=True,
            because=None):
    """Register the checked document under ``year`` and send it to its
    receivers (``deliver=False``: historical imports, delivered long ago
    elsewhere); return the Record.  ``actor`` is the depositor's identity
    (None: a console job)."""
    from ..workflow.deliveries import actor_id, send
    agency = year.__parent__
    year = agency.ensure_year(year)
    # again inside the step: a twin deposit may have registered meanwhile
    duplicate = duplicates.check(year, meta, spooled.sha256, request)
    meta = {name: value for name, value in meta.items() if name != duplicates.ALLOW}
    number = choose_number(year, meta.get("number"))
    who = actor_id(actor)
    record = Record(number, dict(meta, number=number), who)
    version = new_version(record, spooled.sha256, spooled.size, spooled.filename,
                          who, report, at=at)
    version.store_file(spooled.take())
    year.add(number, record)
    remember_digest(year, version.sha256, record.path)
    if deliver:
        send(record, record.deposited_at)
    detail = {"number": number, "sha256": version.sha256, "legal_status": record.legal_status}
    if duplicate:
        detail.update(duplicate_of=duplicate[1], duplicate_reason=duplicate[0])
    fire(registry, RecordAdded(record, request, action="deposit", actor=actor, because=because,
                               detail=detail))
    return record


__all__ = ["prepare", "deposit"]
