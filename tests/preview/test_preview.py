"""``{record}/preview.png``: page 1 of real signed PDFs rendered with PDFium,
each signature box outlined green (its checks passed) or red (one failed)."""
import io

import pytest
from PIL import Image

from archive_repo import timeutil
from tests.conftest import H38, STTTT, build_env, close_env
from tests.support.pki import build_pki
from tests.support.signing import PERSONAL_BOX, SEAL_BOX, signed_document
from tests.workflow.conftest import acknowledge, recall

YEAR = timeutil.now().year
HTML = {"Accept": "text/html"}
FAR_SEAL = (60, 500, 160, 600)     # nowhere near the signer's image: 9.2c fails
A4 = (595.2756, 841.8898)


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    pki = build_pki(tmp_path_factory.mktemp("pki"))
    env = build_env(tmp_path_factory.mktemp("preview"),
                    **{"archive_repo.trust_roots": pki.trust_roots_dir,
                       "archive_repo.crl_dir": pki.crl_dir})
    env.pki = pki
    yield env
    close_env(env)


def deposit(env, pdf, receivers=()):
    meta = {"issued_on": timeutil.now().date().isoformat(), "receivers": list(receivers)}
    return env.deposit(year=YEAR, pdf=pdf, meta=meta).json


def path_of(record):
    return "/%s/%s/%s" % (record["agency"], record["year"], record["number"])


def preview(env, record, who="archivist", status=200):
    return env.testapp.get(path_of(record) + "/preview.png", headers=env.auth(who),
                           status=status)


def pixel_on_left_edge(image, box, inset=2):
    """The colour just inside the left edge of PDF box ``box`` (points)."""
    scale = 100 / 72
    x = round(box[0] * scale) + inset
    y = round((A4[1] - (box[1] + box[3]) / 2) * scale)
    return image.getpixel((x, y))


def greenish(rgb):
    return rgb[1] > 120 and rgb[1] > rgb[0] + 60 and rgb[1] > rgb[2] + 40


def redish(rgb):
    return rgb[0] > 150 and rgb[0] > rgb[1] + 80 and rgb[0] > rgb[2] + 80


def test_passing_signatures_are_outlined_green_at_100_dpi(venv):
    record = deposit(venv, signed_document(venv.pki))
    answer = preview(venv, record)
    assert answer.content_type == "image/png" and answer.body[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(answer.body)).convert("RGB")
    assert abs(image.width - A4[0] * 100 / 72) <= 1 and abs(image.height - A4[1] * 100 / 72) <= 1
    assert greenish(pixel_on_left_edge(image, PERSONAL_BOX))
    assert greenish(pixel_on_left_edge(image, SEAL_BOX))
    # the page itself is drawn: white paper away from the boxes
    assert image.getpixel((20, image.height - 20)) == (255, 255, 255)
    # the second request is the cached PNG, byte for byte
    assert preview(venv, record).body == answer.body
    page = venv.testapp.get(path_of(record), headers=dict(venv.auth("archivist"), **HTML)).text
    assert 'src="http://localhost%s/preview.png"' % path_of(record) in page
    assert "Hình ảnh trang 1 của văn bản" in page and "Đạt (viền xanh)" in page


def test_a_seal_that_fails_9_2c_is_outlined_red_and_the_page_says_why(venv):
    record = deposit(venv, signed_document(venv.pki, seal_box=FAR_SEAL))
    checks = {c["code"]: c for c in venv.testapp.get(
        path_of(record), headers=dict(venv.auth("archivist"), Accept="application/json")
    ).json["checks"]}
    assert checks["organisation_seal_position"]["passed"] is False
    image = Image.open(io.BytesIO(preview(venv, record).body)).convert("RGB")
    assert redish(pixel_on_left_edge(image, FAR_SEAL))
    assert greenish(pixel_on_left_edge(image, PERSONAL_BOX))     # the signer's image is fine
    page = venv.testapp.get(path_of(record), headers=dict(venv.auth("archivist"), **HTML)).text
    legend = page.split('<table class="preview-legend">')[1].split("</table>")[0]
    assert "Không đạt (viền đỏ)" in legend and "Điều 9, khoản 2, điểm c" in legend


def test_a_receiver_whose_copy_was_destroyed_gets_no_preview(venv):
    record = deposit(venv, signed_document(venv.pki), receivers=[STTTT])
    preview(venv, record, who=("clerk", STTTT))
    preview(venv, record, who=("clerk", "000.00.16.H38"), status=403)   # not a receiver
    recall(venv, record, who=("clerk", H38))
    acknowledge(venv, record, STTTT)
    preview(venv, record, who=("clerk", STTTT), status=403)
    page = venv.testapp.get(path_of(record), headers=dict(venv.auth(("clerk", STTTT)), **HTML))
    assert "preview.png" not in page.text
