"""The report as JSON (the API's and ``--format json``): UTF-8, keys sorted,
so the same figures are the same bytes."""
import json


def render(report, context=None):
    return json.dumps(report, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
