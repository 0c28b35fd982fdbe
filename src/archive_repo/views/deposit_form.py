"""The clerk's deposit form: ``GET /{agency}/deposit`` shows it,
``POST /{agency}/deposit`` (multipart: the fields, then the PDF) deposits
through the same steps as the API (``deposit.service``), then shows the
record — whose page is the rule report, rule by rule.  A refusal shows the
form again with each problem beside its field, or the rules that failed;
nothing is stored then (no deposit happened)."""
import json

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from .. import timeutil
from ..deposit import duplicates, service
from ..doctypes import DOCTYPES, URGENCIES
from ..errors import ArchiveError, BadRequest, Rejected
from ..http import url_of
from ..http.body import check_size, read_upload
from ..resources import Agency
from ..rules import rule_policy
from ..rules.engine import evaluate_file
from ..rules.issuer import issuer_of

TEMPLATE = "archive_repo:templates/deposit.jinja2"
RECEIVER = "receiver:"
TEXT_FIELDS = ("notation", "doctype", "subject", "signer", "signer_position", "urgency",
               "issued_on", "number", "page_count", "keywords")


def form_page(request, values, problems=(), failed=(), message="", status=200):
    agency = request.context
    errors = {}
    for problem in problems:
        if isinstance(problem, dict) and problem.get("field"):
            errors.setdefault(problem["field"], problem.get("message") or message)
    response = render_to_response(TEMPLATE, {
        "agency": agency, "values": values, "errors": errors, "failed": list(failed),
        "message": message, "doctypes": DOCTYPES, "urgencies": URGENCIES,
        "directory": [(a.code, a.name) for a in request.root.agencies.values()
                      if a.code != agency.code and a.valid_to is None],
    }, request=request)
    response.status_int = status
    return response


@view_config(context=Agency, name="deposit", request_method="GET", permission="deposit")
def deposit_form(request):
    return form_page(request, {"issued_on": timeutil.show_date(timeutil.now()),
                               "receivers": []})


def metadata_from(fields, receivers):
    """The API's metadata from the form's fields (dd/mm/yyyy dates, numbers
    as text); a field that cannot be read is reported beside itself."""
    meta, problems = {}, []
    for name in TEXT_FIELDS:
        value = (fields.get(name) or "").strip()
        if value:
            meta[name] = value
    for name in ("number", "page_count"):
        if name in meta:
            try:
                meta[name] = int(meta[name])
            except ValueError:
                problems.append({"field": name, "message": "Phải là số nguyên."})
    if "issued_on" in meta:
        try:
            meta["issued_on"] = timeutil.parse_shown_date(meta["issued_on"]).isoformat()
        except ValueError:
            problems.append({"field": "issued_on", "message": "Ngày phải có dạng dd/mm/yyyy."})
    if "keywords" in meta:
        meta["keywords"] = [k.strip() for k in meta["keywords"].split(",") if k.strip()]
    meta["receivers"] = receivers
    meta["digitized"] = fields.get("digitized") == "on"
    if fields.get("allow_duplicate") == "on":
        meta["allow_duplicate"] = True
    return meta, problems


@view_config(context=Agency, name="deposit", request_method="POST", permission="deposit",
             require_csrf=False)        # checked by read_upload, before the file
def deposit_submit(request):
    agency = request.context
    check_size(request)
    at = timeutil.now()
    with read_upload(request) as form:
        fields = form.fields
        # one checkbox per agency, each its own name (the streamed form
        # keeps one value per name)
        receivers = [name[len(RECEIVER):] for name in fields if name.startswith(RECEIVER)]
        values = dict(fields, receivers=receivers)
        meta, problems = metadata_from(fields, receivers)
        if problems:
            return form_page(request, values, problems,
                             message="Một số trường chưa đúng.", status=400)
        try:
            year = agency[str(int(meta.get("issued_on", "0")[:4]))]
            known = lambda code: code in request.root.agencies  # noqa: E731
            checked = service.prepare(json.dumps(meta, ensure_ascii=False), year, known)
            duplicates.check(year, checked, form.upload.sha256, request)   # 409 on the form
            report = evaluate_file(form.upload, checked, at, rule_policy(request.registry),
                                   issuer_of(agency))
        except Rejected as exc:
            return form_page(request, values, failed=exc.details, message=exc.message,
                             status=422)
        except (BadRequest, KeyError, ValueError) as exc:
            message = getattr(exc, "message", "Năm ban hành không hợp lệ.")
            return form_page(request, values, getattr(exc, "details", ()), message=message,
                             status=400)
        except ArchiveError as exc:
            return form_page(request, values, exc.details, message=exc.message,
                             status=exc.status)
        record = service.deposit(year, checked, form.upload, report, request.identity, at,
                                 registry=request.registry, request=request)
    return HTTPSeeOther(location=url_of(request, record.path) + "?deposited=1")
