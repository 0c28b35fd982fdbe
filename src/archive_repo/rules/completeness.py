"""Art. 7.1a ("đầy đủ"), Decree 30 App. VI: the metadata a record must
carry.  A clerk's own deposit cannot lack it (``deposit.metadata``
refuses); a message another system already issued is imported with its
gaps, and this rule names each one — reference only, not refused."""
from .model import STATUS, Check, article

# The required fields of deposit.metadata.FIELDS (a test keeps them equal:
# rules may not import deposit, which imports rules)
REQUIRED = {"notation": "ký hiệu", "doctype": "loại văn bản", "subject": "trích yếu",
            "issued_on": "ngày ban hành", "signer": "người ký"}


@article("7.1a")
def metadata_complete(ctx):
    missing = [name for name in REQUIRED if ctx.metadata.get(name) in (None, "", [])]
    if not missing:
        return Check("metadata_complete", "7.1a", True, "Metadata của văn bản đầy đủ.", STATUS)
    return Check("metadata_complete", "7.1a", False,
                 "Metadata của văn bản thiếu: %s (Điều 7, khoản 1, điểm a)."
                 % ", ".join("%s (%s)" % (REQUIRED[name], name) for name in missing), STATUS,
                 {"missing": missing, "fields": [{"field": name} for name in missing]})


RULES = [metadata_complete]
