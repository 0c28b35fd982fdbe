"""The workflow's part of the record page: which of its forms the person
may use there (recall, new version; the receiver's accept / refuse /
acknowledge) — added to the page's values before it renders, so the tree's
views do not import the workflow."""
from ..resources import Record
from . import deliveries as dl
from .versions import KINDS

RECORD_TEMPLATE = "archive_repo:templates/record.jinja2"


def record_actions(event):
    request = event.get("request")
    if event.get("renderer_name") != RECORD_TEMPLATE or \
            not isinstance(getattr(request, "context", None), Record):
        return
    record, who = request.context, request.identity
    agency = getattr(who, "agency", None)
    mine = next((d for d in record.deliveries if agency and d.receiver == agency), None)
    is_clerk = getattr(who, "role", None) == "clerk"
    event["workflow"] = {
        "can_recall": is_clerk and dl.is_clerk_of(who, record.agency_code)
        and not record.recalled,
        "my_delivery": mine if is_clerk else None,
        "refusal_reasons": dl.REFUSAL_REASONS, "version_kinds": KINDS,
        "delivery_url": request.resource_url(record, "deliveries", agency or "-"),
    }
