"""Old binary Office/WPS files made by LibreOffice, password-protected files, and zip archives with their limits."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import zipfile

import pytest

from crawler.extract import archives, oldoffice
from crawler.extract.attachments import extract_text

from test_attachments import ID_NUMBER, biff8_xls, make_docx, make_xlsx

NOTICE = f"关于公布2024年补助名单的通知\n姓名：张三 身份证号：{ID_NUMBER}\n联系电话 13800138000\n"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A .doc and an .xls written by LibreOffice (Debian's libreoffice-writer/calc-nogui), read back as bytes."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("office")
    (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "list.csv").write_text(f"姓名,身份证号\n李四,{ID_NUMBER}\n", encoding="utf-8")
    profile = f"-env:UserInstallation=file://{folder}/profile"
    for source, target in (("notice.txt", 'doc:MS Word 97'), ("list.csv", "xls:MS Excel 97")):
        args = [soffice, profile, "--headless", "--convert-to", target, "--outdir", str(folder), str(folder / source)]
        if source.endswith(".csv"):
            args[3:3] = ["--infilter=CSV:44,34,76,1,1/1/2/2"]  # comma, quote, UTF-8, column 2 as text
        subprocess.run(args, check=True, capture_output=True, timeout=120)
    return {"doc": (folder / "notice.doc").read_bytes(), "xls": (folder / "list.xls").read_bytes()}


def encrypted_doc(body: bytes) -> bytes:
    """The same Word file with the FIB's fEncrypted flag set, as Word writes it for a password-protected file."""
    import olefile

    ole = olefile.OleFileIO(io.BytesIO(body), write_mode=True)
    stream = bytearray(ole.openstream("WordDocument").read())
    stream[0x0B] |= 0x01
    ole.write_stream("WordDocument", bytes(stream))
    ole.fp.seek(0)
    return ole.fp.read()


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def add_encrypted(body: bytes, name: str, data: bytes, folder) -> bytes:
    """The archive with one more member, password-protected by Info-ZIP's `zip -P` (zipfile cannot encrypt)."""
    if shutil.which("zip") is None:
        pytest.skip("Info-ZIP zip is not installed: .ci/run installs it")
    (folder / "a.zip").write_bytes(body)
    (folder / name).write_bytes(data)
    subprocess.run(["zip", "-q", "-P", "secret", "a.zip", name], cwd=folder, check=True, timeout=30)
    return (folder / "a.zip").read_bytes()


# ---- old binary formats --------------------------------------------------


@pytest.mark.parametrize("filename, kind", [("通知.doc", "doc"), ("通知.wps", "wps"), ("", "doc")])
def test_word_97_file_read_through_catdoc(office, filename, kind):
    # Kingsoft WPS saves .wps in the Word 97 binary format: a .doc under that name is what sites publish.
    result = extract_text(office["doc"], filename=filename)
    assert (result.kind, result.error, result.problem) == (kind, None, None)
    assert result.text.splitlines() == NOTICE.strip().splitlines()


@pytest.mark.parametrize("filename", ["名单.xls", "名单.et"])
def test_libreoffice_xls_and_et_read(office, filename):
    result = extract_text(office["xls"], filename=filename)
    assert (result.kind, result.error) == ("xls", None)
    assert f"李四\t{ID_NUMBER}" in result.text


def test_password_protected_doc_is_encrypted_not_corrupt(office):
    result = extract_text(encrypted_doc(office["doc"]), filename="通知.doc")
    assert (result.kind, result.problem, result.text) == ("doc", "encrypted", "")
    assert result.unreadable == {"problem": "encrypted", "detail": "doc: password-protected", "parts": []}


def test_password_protected_docx_and_xlsx(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    for name, plain in (("通知.docx", make_docx()), ("名单.xlsx", make_xlsx(tmp_path / "plain.xlsx"))):
        out = io.BytesIO()
        OOXMLFile(io.BytesIO(plain)).encrypt("secret", out)
        result = extract_text(out.getvalue(), filename=name)
        assert (result.kind, result.problem) == (name.rsplit(".", 1)[1], "encrypted"), result


def test_truncated_doc_is_corrupt(office):
    result = extract_text(office["doc"][:5000], filename="通知.doc")
    assert result.problem == "corrupt" and result.text == "" and "\n" not in result.error


def test_missing_catdoc_is_a_missing_tool_not_a_broken_file(office, monkeypatch):
    monkeypatch.setattr(oldoffice, "CATDOC", "catdoc-not-installed")
    result = extract_text(office["doc"], filename="通知.doc")
    assert (result.problem, result.error) == ("tool", "doc: catdoc is not installed")


def test_empty_file_is_empty():
    result = extract_text(b"", filename="名单.xls")
    assert (result.kind, result.problem, result.error) == ("xls", "empty", "empty file")


def test_unknown_format_is_unsupported_and_html_as_pdf_corrupt():
    assert extract_text(b"\x00\x01\x02 no known signature", filename="a.ofd").problem == "unsupported"
    assert extract_text(b"<html>404</html>", filename="a.pdf").problem == "corrupt"


# ---- zip archives ----------------------------------------------------------


def test_zip_read_recursively_with_member_paths(office, tmp_path):
    inner = make_zip({"通知.doc": office["doc"], "说明.txt": "内层说明".encode()})
    outer = make_zip({"名单.xlsx": make_xlsx(tmp_path / "a.xlsx"), "材料/附件.zip": inner})
    result = extract_text(outer, filename="材料.zip")
    assert (result.kind, result.error, result.problem, result.parts) == ("zip", None, None, ())
    lines = result.text.splitlines()
    assert lines[0] == "【名单.xlsx】" and lines[1] == "[名单]"
    assert "【材料/附件.zip/通知.doc】" in lines and f"姓名：张三 身份证号：{ID_NUMBER}" in lines
    assert lines[-2:] == ["【材料/附件.zip/说明.txt】", "内层说明"]


def test_gbk_member_names_without_utf8_flag():
    # Windows' built-in zip (and WinRAR's zip) store GBK names without the UTF-8 flag.
    body = make_zip({"abcd.txt": "内容".encode()}).replace(b"abcd", "名单".encode("gbk"))
    assert extract_text(body, filename="a.zip").text.splitlines()[0] == "【名单.txt】"


def test_broken_members_are_listed_the_rest_read(tmp_path):
    body = make_zip({"好.txt": "可读".encode(), "坏.pdf": b"%PDF-1.4 garbage", "空.doc": b""})
    body = add_encrypted(body, "secret.txt", "保密".encode(), tmp_path)
    result = extract_text(body, filename="a.zip")
    assert result.problem is None and result.error is None and "可读" in result.text and "保密" not in result.text
    assert {(p["part"], p["problem"]) for p in result.parts} == {("坏.pdf", "corrupt"), ("空.doc", "empty"),
                                                                 ("secret.txt", "encrypted")}
    assert result.unreadable["problem"] is None and len(result.unreadable["parts"]) == 3


def test_empty_and_corrupt_zip():
    assert extract_text(make_zip({}), filename="a.zip").problem == "empty"
    assert extract_text(make_zip({"a.txt": b"x" * 1000})[:60], filename="a.zip").problem == "corrupt"


def test_zip_bomb_member_refused_quickly():
    bomb = make_zip({"bomb.txt": b"\0" * (80 * 2**20), "ok.txt": "正常".encode()})
    assert len(bomb) < 200_000
    started = time.monotonic()
    result = extract_text(bomb, filename="a.zip")
    assert time.monotonic() - started < 5
    assert "正常" in result.text
    assert [(p["part"], p["problem"]) for p in result.parts] == [("bomb.txt", "limit")]


def test_nesting_depth_and_member_count_limits(monkeypatch):
    body = "底层".encode()
    for level in range(5):
        body = make_zip({f"level{level}.zip" if level else "deep.txt": body})
    result = extract_text(body, filename="a.zip")
    assert "底层" not in result.text and [p["problem"] for p in result.parts] == ["limit"]
    assert result.parts[0]["part"].count("/") == archives.MAX_DEPTH - 1

    monkeypatch.setattr(archives, "MAX_MEMBERS", 3)
    many = make_zip({f"{n}.txt": f"第{n}个".encode() for n in range(5)})
    result = extract_text(many, filename="a.zip")
    assert "第2个" in result.text and "第3个" not in result.text
    assert [(p["part"], p["problem"]) for p in result.parts] == [("3.txt", "limit")]


def test_total_unpacked_budget_shared_by_nested_archives(monkeypatch):
    monkeypatch.setattr(archives, "MAX_UNPACKED", 3000)
    body = make_zip({"a.txt": b"a" * 2000, "b.zip": make_zip({"c.txt": b"c" * 2000})})
    result = extract_text(body, filename="a.zip")
    assert [(p["part"], p["problem"]) for p in result.parts] == [("b.zip/c.txt", "limit")]


def test_encrypted_xls_from_filepass_record():
    # Excel marks a password-protected workbook with a FILEPASS record (0x2F) among the globals: here it takes
    # the place of the globals' EOF record, the same size.
    plain = biff8_xls([["姓名"], ["张三"]])
    result = extract_text(plain.replace(b"\x0a\x00\x00\x00", b"\x2f\x00\x00\x00", 1), filename="a.xls")
    assert (result.kind, result.problem, result.error) == ("xls", "encrypted", "XLRDError: Workbook is encrypted")
