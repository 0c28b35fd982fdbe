"""A seeded archive over two months (October and November 2026) with known
deposits, deliveries, refusals, recalls and late documents — made by the
domain operations themselves at chosen instants (the rule engine judges
real PDFs signed by pyHanko with the test PKI), so every figure of the
reports is known in advance (see EXPECTED in test_reports.py)."""
import os
from datetime import datetime

import pytest

from archive_repo import db
from archive_repo.deposit import metadata as md
from archive_repo.deposit.service import deposit
from archive_repo.resources import get_root
from archive_repo.rules import evaluate, rule_policy
from archive_repo.spool import Spool
from archive_repo.workflow import actions, recall as recalls
from archive_repo.workflow.deliveries import find
from tests.conftest import H38, STTTT, SYT, build_env, close_env, default_metadata
from tests.support.pdfs import make_pdf
from tests.support.pki import build_pki
from tests.support.signing import VN, signed_document


def at(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return build_pki(tmp_path_factory.mktemp("pki"))


def deposit_at(registry, agency, pdf, when, **meta):
    """Deposit ``pdf`` as ``agency`` at ``when`` through the domain operation;
    returns the record's (agency, year, number)."""
    meta = md.validate(dict(default_metadata(2026), **meta), lambda code: True)
    with db.transaction(registry) as conn:
        storage_tmp = conn.db().storage.temporaryDirectory()
        spool = Spool(storage_tmp)
        spool.write(pdf)
        path, sha, size = spool.close()
        report = evaluate(path, meta, when, rule_policy(registry))
        spooled = type("Spooled", (), {"path": path, "sha256": sha, "size": size,
                                       "filename": "vanban.pdf"})
        year = get_root(conn).agencies[agency][2026]
        record = deposit(year, meta, spooled, report, None, when, registry)
        return record.agency_code, record.year, record.number, record.legal_status


def on_record(registry, key, act):
    with db.transaction(registry) as conn:
        root = get_root(conn)
        act(root, root.agencies[key[0]][key[1]][key[2]])


def accept(registry, key, receiver, when):
    on_record(registry, key, lambda root, r: actions.accept(
        root.agencies, find(r, receiver), None, when, registry=registry))


def refuse(registry, key, receiver, when, code="not_competent"):
    on_record(registry, key, lambda root, r: actions.refuse(
        find(r, receiver), None, when, code, "Không thuộc thẩm quyền.", registry=registry))


def recall(registry, key, when):
    on_record(registry, key, lambda root, r: recalls.recall(
        r, None, "Ban hành sai thẩm quyền.", when, registry=registry))


def acknowledge(registry, key, receiver, when):
    on_record(registry, key, lambda root, r: recalls.acknowledge(
        find(r, receiver), root.agencies[receiver], None, when, registry=registry))


def dossier(registry, agency, key, opened, closed, title, year=2026):
    from archive_repo.records import dossiers as ds
    with db.transaction(registry) as conn:
        root = get_root(conn)
        found = ds.open_dossier(root.agencies[agency], {"title": title, "retention_code": "01",
                                                        "year": year}, None, opened,
                                registry=registry)
        ds.add_record(found, root.agencies[key[0]][key[1]][key[2]], None, opened,
                      registry=registry)
        ds.close_dossier(found, None, closed, registry=registry)


def seed(env, pki):
    reg = env.registry
    with db.transaction(reg) as conn:        # STTTT reports to the Province
        get_root(conn).agencies[STTTT].parent_code = H38
    keys = {}
    # October: A in time (accepted by STTTT after 4 h, refused by SYT),
    # B sent five days after signing (late, reference only), C an unsigned
    # scan (reference only) that SYT leaves waiting until 3 November.
    keys["A"] = deposit_at(reg, H38, signed_document(pki, org_time=at(10, 5, 9)),
                           at(10, 5, 10), issued_on="2026-10-05", receivers=[STTTT, SYT])
    accept(reg, keys["A"], STTTT, at(10, 5, 14))
    refuse(reg, keys["A"], SYT, at(10, 6, 10))
    keys["B"] = deposit_at(reg, H38, signed_document(pki, org_time=at(10, 7, 9)),
                           at(10, 12, 10), issued_on="2026-10-07", receivers=[STTTT])
    accept(reg, keys["B"], STTTT, at(10, 12, 20))
    keys["C"] = deposit_at(reg, H38, make_pdf(), at(10, 20, 10), issued_on="2026-10-20",
                           receivers=[SYT], digitized=True)
    accept(reg, keys["C"], SYT, at(11, 3, 9))
    # November: D urgent from STTTT, sent at once, accepted by H38 after 2 h;
    # E accepted by STTTT after 1 h, then recalled, STTTT acknowledging.
    keys["D"] = deposit_at(reg, STTTT, signed_document(pki, org_time=at(11, 10, 9),
                                                       urgent=True),
                           at(11, 10, 9, 30), issued_on="2026-11-10", receivers=[H38],
                           urgency="Khẩn")
    accept(reg, keys["D"], H38, at(11, 10, 11, 30))
    keys["E"] = deposit_at(reg, H38, signed_document(pki, org_time=at(11, 12, 9)),
                           at(11, 12, 9, 20), issued_on="2026-11-12", receivers=[STTTT, SYT])
    accept(reg, keys["E"], STTTT, at(11, 12, 10, 20))
    recall(reg, keys["E"], at(11, 13, 10))
    acknowledge(reg, keys["E"], STTTT, at(11, 14, 9))
    # dossiers: one closed on 30 October; one closed in January 2025 and
    # never deposited, overdue since January 2026
    dossier(reg, H38, keys["A"], at(10, 1, 9), at(10, 30, 16), "Hồ sơ chuyển đổi số")
    dossier(reg, H38, keys["B"], datetime(2025, 1, 2, 9, tzinfo=VN),
            datetime(2025, 1, 20, 9, tzinfo=VN), "Hồ sơ năm 2025", year=2025)
    # today: a state secret offered over HTTP, refused (Art. 1.2)
    env.deposit(meta={"confidentiality": "Mật", "issued_on": "2026-03-05"}, status=422)
    return keys


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, pki):
    """The seeded archive, its databases closed again (the CLI opens them;
    ``web`` serves them); ``.ini`` the path of an .ini over them."""
    folder = tmp_path_factory.mktemp("reports")
    env = build_env(folder, **{"archive_repo.trust_roots": pki.trust_roots_dir,
                               "archive_repo.crl_dir": pki.crl_dir})
    env.keys = seed(env, pki)
    close_env(env)
    env.ini = os.path.join(folder, "archive.ini")
    with open(env.ini, "w") as f:
        f.write("[app:main]\nuse = egg:archive_repo\n" + "".join(
            "%s = %s\n" % kv for kv in sorted(env.settings.items())))
    return env


@pytest.fixture(scope="module")
def web(seeded):
    """The app over the seeded archive (WebTest)."""
    from webtest import TestApp
    from archive_repo import main
    app = main({}, **seeded.settings)
    seeded.app, seeded.registry, seeded.testapp = app, app.registry, TestApp(app)
    yield seeded
    db.close_all(app.registry)
