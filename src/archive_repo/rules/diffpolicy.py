"""Art. 7.1a — what a revision after a signature may change, and what each
one did change, revision by revision, as a lawyer reads it.

Built on pyHanko's difference analysis with the project's own
:class:`StandardDiffPolicy` (its whitelist rules, not a fork).  Allowed after
signing (ETSI EN 319 142-1, ISO 32000-2 12.8.2.2): the DSS and its VRI
dictionaries, document timestamps, XMP/DocInfo metadata, a later signature's
own field and appearance.  Not allowed: page content, annotations that show
on a page, fonts, XObjects, the page tree, the catalog's /OpenAction and /AA,
anything the rules cannot explain — and *form values*.

pyHanko's default policy rates a changed form value FORM_FILLING, the same
level as a new signature, so a field whose value is swapped after signing
(the shadow *replace* attack, NDSS 2021) passed as a permitted change.  The
project policy leaves out pyHanko's ``GenericFieldModificationRule``: only a
certification signature whose DocMDP permission allows form filling
(``FILL_FORMS``, ``ANNOTATE``) lets later revisions fill fields; then the
default policy, which admits it, judges the document.
"""
import logging

log = logging.getLogger(__name__)
FILLING_PERMITTED = {"FILL_FORMS", "ANNOTATE"}
# (kind of change, allowed, what it is in Vietnamese)
CHANGES = {
    "none": (True, "không thay đổi nội dung"),
    "dss": (True, "bổ sung dữ liệu kiểm tra dài hạn (DSS/VRI: chứng thư, CRL, OCSP) hoặc "
                  "siêu dữ liệu"),
    "document_timestamp": (True, "dấu thời gian cho tài liệu (DocTimeStamp)"),
    "signature": (True, "thêm chữ ký số %s trong trường chữ ký riêng của nó"),
    "form_fill": (True, "điền biểu mẫu (%s) theo quyền DocMDP của chữ ký chứng thực"),
    "form_values": (False, "sửa giá trị biểu mẫu (%s) khi không có chữ ký chứng thực cho phép"),
    "other": (False, "thay đổi không được phép: %s"),
}


def _policies():
    from pyhanko.sign.diff_analysis import (
        DEFAULT_DIFF_POLICY, CatalogModificationRule, DocInfoRule, DSSCompareRule,
        FormUpdatingRule, MetadataUpdateRule, ModificationLevel, ObjectStreamRule,
        SigFieldCreationRule, SigFieldModificationRule, StandardDiffPolicy, XrefStreamRule)
    lta = ModificationLevel.LTA_UPDATES
    strict = StandardDiffPolicy(
        global_rules=[CatalogModificationRule(), DocInfoRule().as_qualified(lta),
                      XrefStreamRule().as_qualified(lta), ObjectStreamRule().as_qualified(lta),
                      DSSCompareRule().as_qualified(lta), MetadataUpdateRule().as_qualified(lta)],
        form_rule=FormUpdatingRule(field_rules=[SigFieldCreationRule(),
                                                SigFieldModificationRule()]))
    return strict, DEFAULT_DIFF_POLICY


_CACHE = {}


def policy_for(embedded):
    """The DiffPolicy a document is judged by: the project's, or pyHanko's
    default (form filling admitted) under a certification that permits it."""
    if not _CACHE:
        _CACHE["strict"], _CACHE["filling"] = _policies()
    return _CACHE["filling" if certified_filling(embedded) else "strict"]


def certifications(embedded):
    """``{revision: DocMDP permission name}`` of the certification signatures."""
    found = {}
    for sig in embedded:
        try:
            level = sig.docmdp_level
        except (KeyError, TypeError, ValueError):   # a malformed /Reference: no permission
            continue
        if level is not None:
            found[sig.signed_revision] = level.name
    return found


def certified_filling(embedded):
    return any(level in FILLING_PERMITTED for level in certifications(embedded).values())


# What a certification forbids even though PDF allows it elsewhere.
FORBIDDEN_BY = {"NO_CHANGES": {"signature", "form_fill"}}


def _diff(reader, revision, policy):
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign.diff_analysis import SuspiciousModification
    try:
        diff = policy.apply(old=reader.get_historical_resolver(revision - 1),
                            new=reader.get_historical_resolver(revision))
    except (SuspiciousModification, PdfError, KeyError, TypeError, ValueError) as exc:
        return "OTHER", [], str(exc)[:300]
    return diff.modification_level.name, sorted(diff.changed_form_fields), None


def _name_form_values(reader, revision, strict):
    """When the project policy refuses a revision that pyHanko's default
    would call form filling, say which fields' values changed: the reason a
    clerk can act on, instead of "unexplained xrefs"."""
    level, changed, problem = _diff(reader, revision, _CACHE["filling"])
    return (level, changed, None) if level == "FORM_FILLING" and problem is None else strict


def classify(level, changed, problem, signs, filling):
    """(kind, allowed, description) of one revision's changes."""
    if problem or level not in ("NONE", "LTA_UPDATES", "FORM_FILLING"):
        kind, arg = "other", (problem or level)
    elif level == "NONE":
        kind, arg = "none", None
    elif level == "LTA_UPDATES":
        kind = "document_timestamp" if signs[1] == "DocTimeStamp" else "dss"
        arg = None
    else:
        values = [f for f in changed if f != signs[0]]
        if not values:
            kind, arg = "signature", signs[0] or ""
        else:
            kind, arg = ("form_fill" if filling else "form_values"), ", ".join(values)
    allowed, text = CHANGES[kind]
    return kind, allowed, text % arg if "%s" in text else text


def revisions(reader, embedded, policy=None):
    """One entry per revision: which signature it signs and, after the first
    signature, what it changed compared with the revision before, classified
    (``change``, ``allowed``, ``description``)."""
    policy = policy or policy_for(embedded)
    filling = certified_filling(embedded)
    certified = certifications(embedded)
    signs = {sig.signed_revision: (str(sig.field_name), sig.sig_object_type[1:])
             for sig in embedded}
    first = min(signs, default=None)
    out = []
    for rev in range(reader.xrefs.total_revisions):
        signed = signs.get(rev, (None, None))
        entry = {"revision": rev, "signs": signed[0], "kind": signed[1]}
        if first is not None and rev > first:
            level, changed, problem = _diff(reader, rev, policy)
            if problem and not filling:
                level, changed, problem = _name_form_values(reader, rev, (level, changed, problem))
            kind, allowed, description = classify(level, changed, problem, signed, filling)
            locked = [name for at, name in certified.items()
                      if at < rev and kind in FORBIDDEN_BY.get(name, ())]
            if locked:
                allowed = False
                description += " — chữ ký chứng thực không cho phép (DocMDP %s)" % locked[0]
            # plain strings: pyHanko's TextStringObject pickles the reader
            # it came from (235 KB a report through the rule pool)
            entry.update(modification_level=level, changed_fields=changed and [str(f) for f in changed],
                         problem=problem,
                         change=kind, allowed=allowed, description=description)
        out.append(entry)
    return out


def later_changes(revisions_, revision):
    """The entries after ``revision`` (the one a signature signs)."""
    return [r for r in revisions_ if r["revision"] > revision and "allowed" in r]
