"""`attachment.unreadable`: a loopback site's attachments crawled for real, then judged from what the crawler stored."""

from __future__ import annotations

import io
import json

import pytest

from conftest import AS_OF, Route, planted
from textsite import article, crawl_and_check, findings, listing

from test_attachments import make_docx
from test_attachments_archives import make_zip

VALID_ID = "11010519491231002X"  # the GB 11643 sample: privacy.id_number fires on it
FILES = {
    "good.docx": (make_docx(), "正常文件"),
    "empty.pdf": (b"", "空文件"),
    "broken.xlsx": (b"\x00\x01garbage" * 50, "损坏文件"),
    "bundle.zip": (make_zip({"说明.txt": f"身份证号 {VALID_ID}".encode(), "坏.pdf": b"%PDF-1.4 garbage"}), "材料包"),
    "bomb.zip": (make_zip({"big.txt": b"\0" * (70 * 2**20)}), "大文件"),
    "gone.pdf": (None, "已删除"),
}


def encrypted_docx() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(make_docx())).encrypt("secret", out)
    return out.getvalue()


@pytest.fixture(scope="module")
def checked(module_site_server, tmp_path_factory):
    files = dict(FILES, **{"secret.docx": (encrypted_docx(), "加密文件")})
    links = "".join(f'<a href="/files/{name}">{label}</a> ' for name, (_, label) in files.items())
    routes = {"/": listing([("/news/1.html", "关于公布补助名单的通知", "2024-03-01")]),
              "/news/list.html": listing([("/news/1.html", "关于公布补助名单的通知", "2024-03-01")]),
              "/news/1.html": article("关于公布补助名单的通知", "名单见附件。", "2024-03-01", extra=links)}
    for name, (body, _) in files.items():
        if body is not None:
            routes[f"/files/{name}"] = Route(body, headers={"Content-Type": "application/octet-stream"})
    base = module_site_server(routes)
    db = crawl_and_check(tmp_path_factory.mktemp("attachments"), base)
    return {f["subject"].rsplit("/", 1)[-1]: f for f in findings(db) if f["check_id"] == "attachment.unreadable"}, \
        [f for f in findings(db) if f["check_id"] == "privacy.id_number"], db


def test_one_finding_per_unreadable_attachment(checked):
    found, _, _ = checked
    assert set(found) == {"empty.pdf", "broken.xlsx", "secret.docx", "bundle.zip"}
    assert found["empty.pdf"]["message"] == "附件「空文件」为空文件，公众无法打开"
    assert found["secret.docx"]["message"] == "附件「加密文件」设有密码，公众无法打开"
    assert found["broken.xlsx"]["evidence"]["problem"] == "corrupt"
    assert found["bundle.zip"]["message"] == "压缩包「材料包」中的 坏.pdf（已损坏或内容与文件类型不符）无法打开"
    assert all(f["severity"] == "minor" and f["pages"][0].endswith("/news/1.html") for f in found.values())
    assert found["empty.pdf"]["column_name"] == "工作动态"


def test_zip_members_are_read_by_the_privacy_checks(checked):
    _, privacy, _ = checked
    assert [f["subject"].rsplit("/", 1)[-1] for f in privacy] == ["bundle.zip"]


def test_our_limits_and_missing_files_are_not_findings(checked):
    found, _, db = checked
    assert "bomb.zip" not in found and "gone.pdf" not in found and "good.docx" not in found
    from govinspect.store import Store

    with Store(db) as store:
        bomb = next(p for p in store.pages(store.run()["id"], "attachment") if p["url"].endswith("bomb.zip"))
    fact = json.loads(bomb["unreadable"])
    assert fact["problem"] is None and [p["problem"] for p in fact["parts"]] == ["limit"]


def test_limits_are_a_limitation_of_the_run(checked):
    from checks.api import CrawlView
    from checks.builtin.attachments import AttachmentUnreadable
    from govinspect.store import Store

    _, _, db = checked
    with Store(db) as store:
        crawl = CrawlView(store, store.run()["id"], as_of=AS_OF.isoformat())
        crawl.current_check = AttachmentUnreadable.id
        assert len(list(AttachmentUnreadable().run(crawl, {}))) == 4
    [note] = crawl.limitations["attachment.unreadable"]
    assert note.startswith("1 个附件（或压缩包内文件）未能读取") and "bomb.zip big.txt" in note


def test_sample_site_unreadable_attachments_found_and_clean_zip_quiet(sample_checked):
    card = planted(sample_checked, "attachment.unreadable")
    assert card["defects"] == 3 and card["missed"] == [] and card["fired"] == []
