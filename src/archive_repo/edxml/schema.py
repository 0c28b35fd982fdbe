"""edXML vocabulary (QCVN 102:2016/BTTTT) shared by the reader and writer.

Fields the national format has no tag for (the archive's document type
code, ``digitized``, keywords, language, description) travel in our own
namespace inside ``MessageHeader`` (``ar:ArchiveInfo``); other systems
ignore them, and a round trip through this archive keeps them.
"""
from datetime import date, datetime

from ..doctypes import DOCTYPES
from .. import timeutil

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
AR_NS = "urn:x-archive-repo:lao-cai:edxml-ext:1"
NSMAP = {"edXML": NS, "ar": AR_NS}

# edXML OtherInfo/Priority ↔ urgency (4 = "hỏa tốc hẹn giờ" reads as Hỏa tốc)
PRIORITY_OF = {None: "0", "Khẩn": "1", "Thượng khẩn": "2", "Hỏa tốc": "3"}
URGENCY_OF = {"0": None, "1": "Khẩn", "2": "Thượng khẩn", "3": "Hỏa tốc", "4": "Hỏa tốc"}

# TraceHeaderList/Bussiness/BussinessDocType
BUSINESS = {"0": "new", "1": "revoke", "2": "update", "3": "replace"}
BUSINESS_CODE = {v: k for k, v in BUSINESS.items()}

# TypeName → our code; the first code of a name wins (UQ/NP are the 2011
# spellings of GUQ/GNP, kept for imports only)
DOCTYPE_BY_NAME = {}
for _code, _name in DOCTYPES.items():
    DOCTYPE_BY_NAME.setdefault(_name.lower(), _code)


def q(name, ns=NS):
    return "{%s}%s" % (ns, name)


def edxml_date(iso):
    """YYYY-MM-DD → yyyy/MM/dd."""
    return iso.replace("-", "/") if iso else ""


def parse_edxml_date(text):
    """yyyy/MM/dd (or dd/MM/yyyy, which some systems send) → YYYY-MM-DD."""
    text = (text or "").strip()[:10]
    for fmt in ("%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(text)


def edxml_timestamp(moment):
    return timeutil.to_vn(moment).strftime("%Y/%m/%d %H:%M:%S")


def document_id(organ_id, issued_on, number, notation):
    """``OrganId,yyyy/MM/dd,Number/Notation`` (QCVN 102:2016)."""
    return "%s,%s,%s/%s" % (organ_id, edxml_date(issued_on), number, notation)


__all__ = ["NS", "AR_NS", "date"]
