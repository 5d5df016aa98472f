"""Personal data checks (隐私泄露): ID numbers, mobile numbers, bank cards in pages and attachments; every number a
finding shows is masked, in the database and in the exported report."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from conftest import AS_OF, Route, run_cli
from textsite import article, crawl_and_check, fired, findings, listing

from checks.builtin.privacy import id_check_char, is_id_number, luhn
from checks.textutil import context, mask_card, mask_id, mask_numbers, mask_phone, run_check

ID = "11010519491231002X"  # the GB 11643 sample
IDS = ["110105198605120312", "110105199109030427", "110105199402170269"]


def fires(check_id: str, text: str, options: dict | None = None) -> list:
    return run_check(check_id, [text], options, as_of=AS_OF)


@pytest.mark.parametrize("number, valid", [
    (ID, True), (ID.lower(), True), (IDS[0], True),
    ("110105194912310021", False),  # wrong check character
    ("339900202503050010", False),  # a project number shaped like an ID, wrong check character
    ("110105194913310020", False),  # month 13
    ("11010520270101" + "0012", False),  # born after the day of the check
    ("990105194912310024", False),  # no such province
    ("110105491231002", True),  # 15 digits: 1949-12-31
    ("110105491331002", False),
])
def test_id_numbers_by_gb11643(number, valid):
    assert is_id_number(number, AS_OF) == valid


def test_check_character():
    assert id_check_char(ID[:17]) == "X" and all(id_check_char(n[:17]) == n[17] for n in IDS)


CASES = [
    # privacy.id_number
    ("privacy.id_number", f"序号 姓名 身份证号码\n1 林晓峰 {ID}", True, "18 digits, valid"),
    ("privacy.id_number", f"身份证号：{IDS[0]}。", True, "in a sentence"),
    ("privacy.id_number", "公民身份号码：110105491231002", True, "15 digits where the text speaks of ID cards"),
    ("privacy.id_number", "订单号110105491231002已发货", False, "15 digits with no word of ID cards"),
    ("privacy.id_number", "1 郑佳怡 110105********002X 139****1001", False, "masked"),
    ("privacy.id_number", "审计项目编号：339900202503050010", False, "wrong check character"),
    ("privacy.id_number", f"流水号A{ID}B", False, "inside a longer code"),
    ("privacy.id_number", f"编码{ID}9", False, "inside a longer number"),
    # privacy.phone
    ("privacy.phone", "序号 姓名 工作单位 联系电话\n1 林晓峰 县财政局 13900001001\n2 陈思远 县教育局 13700002002",
     True, "a table of people"),
    ("privacy.phone", "拟聘用人员名单\n周雨桐 13900001001", True, "a list of names, one number"),
    ("privacy.phone", "张三13900001001，李四13700002002，王五15800003003。", True, "three numbers on one page"),
    ("privacy.phone", "咨询电话：13900005005（局办公室）", False, "a single office hotline"),
    ("privacy.phone", "咨询电话：13900005005；监督电话：13700002002；举报电话：15800003003", False, "labelled hotlines"),
    ("privacy.phone", "序号 姓名 联系电话\n1 郑佳怡 139****1001\n2 何志明 137****2002", False, "masked"),
    ("privacy.phone", "联系电话：0579-88880000，传真：0579-88880001。", False, "landlines"),
    ("privacy.phone", "张三13900001001，李四13700002002。", False, "two numbers, no list"),
    ("privacy.phone", "编号139000010012和12900001001", False, "not mobile numbers"),
    # privacy.bank_card
    ("privacy.bank_card", "户名：林晓峰 开户银行：青山农商银行城关支行 账号：6217001234567890122", True, "Luhn, 账号"),
    ("privacy.bank_card", "银行卡号 6217 0012 3456 7890 122", True, "written in groups of four"),
    ("privacy.bank_card", "账号：6217009876543210982。", False, "fails the Luhn check"),
    ("privacy.bank_card", "合同编号6217001234567890122", False, "no 账号/卡号/银行 beside it"),
    ("privacy.bank_card", "请将款项缴入非税收入汇缴结算户，账号：6217001234567890122", False, "a body's public account"),
    ("privacy.bank_card", "账号：6217***********0122", False, "masked"),
    ("privacy.bank_card", f"银行账户实名，身份证 {ID}", False, "an ID number is not a card"),
]


@pytest.mark.parametrize("check_id, text, expected, why", CASES, ids=[f"{c}-{w}" for c, _, _, w in CASES])
def test_privacy_check_table(check_id, text, expected, why):
    assert bool(fires(check_id, text)) == expected, why


def test_several_is_an_option():
    text = "张三13900001001，李四13700002002。"
    assert fires("privacy.phone", text, {"several": 2}) and not fires("privacy.phone", text)


@pytest.mark.parametrize("function, number, masked", [
    (mask_id, ID, "110105********002X"), (mask_id, "110105491231002", "110105*****1002"),
    (mask_phone, "13800001234", "138****1234"), (mask_card, "6217001234567890122", "6217***********0122"),
    (mask_card, "6217 0012 3456 7890 122", "6217***********0122"),
])
def test_masks(function, number, masked):
    assert function(number) == masked


def test_luhn():
    assert luhn("6217001234567890122") and not luhn("6217009876543210982") and luhn("4111111111111111")


def test_mask_numbers_and_context_never_show_a_whole_number():
    text = f"序号 姓名 身份证号码 联系电话\n1 林晓峰 {ID} 13900001001\n账号：6217001234567890122"
    masked = mask_numbers(text)
    assert ID not in masked and "13900001001" not in masked and "6217001234567890122" not in masked
    # a context that would cut the number in the middle takes the whole number and masks it
    start = text.index("13900001001")
    assert "1949" not in context(text, start, start + 11, width=8)


@pytest.mark.parametrize("check_id, text, numbers", [
    ("privacy.id_number", f"名单\n林晓峰 {ID}\n陈思远 {IDS[0]}", [ID, IDS[0]]),
    ("privacy.phone", "名单\n林晓峰 13900001001\n陈思远 13700002002", ["13900001001", "13700002002"]),
    ("privacy.bank_card", "户名：林晓峰 账号：6217001234567890122", ["6217001234567890122"]),
])
def test_findings_never_hold_the_whole_number(check_id, text, numbers):
    (finding,) = fires(check_id, text)
    shown = finding.message + json.dumps(finding.evidence, ensure_ascii=False)
    assert not [n for n in numbers if n in shown]
    assert "*" in finding.evidence["text"]


# ---- end to end: pages and attachments on a loopback site ---------------------------------------------------

def _xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PAGES = {
    "/news/ids.html": ("拟聘任特约审计员名单", ["序号 姓名 身份证号码", f"1 林晓峰 {ID}", f"2 陈思远 {IDS[0]}"]),
    "/news/masked.html": ("先进个人名单", ["序号 姓名 身份证号码 联系电话", "1 郑佳怡 110105********002X 139****1001"]),
    "/news/phones.html": ("特约审计员名单", ["序号 姓名 联系电话", "1 林晓峰 13900001001", "2 陈思远 13700002002"]),
    "/news/hotline.html": ("征集审计项目建议", ["咨询电话：13900005005（局办公室）"]),
    "/news/card.html": ("补贴发放公示", ["户名：林晓峰 开户银行：青山农商银行城关支行 账号：6217001234567890122"]),
    "/news/card-bad.html": ("审计结果公告", ["请将应缴资金上缴至县财政局非税收入汇缴结算户，账号：6217009876543210982。"]),
    "/news/list-att.html": ("拟聘用人员公示", ["现将拟聘用人员名单予以公示（详见附件）。"]),
}
EXPECTED = [
    ("privacy.id_number", "/news/ids.html", True), ("privacy.id_number", "/news/masked.html", False),
    ("privacy.id_number", "/news/people.xlsx", True), ("privacy.phone", "/news/people.xlsx", True),
    ("privacy.id_number", "/news/list-att.html", False),
    ("privacy.phone", "/news/phones.html", True), ("privacy.phone", "/news/hotline.html", False),
    ("privacy.phone", "/news/masked.html", False),
    ("privacy.bank_card", "/news/card.html", True), ("privacy.bank_card", "/news/card-bad.html", False),
]


@pytest.fixture(scope="module")
def site(module_site_server, tmp_path_factory):
    routes = {path: article(title, body, "2026-10-01") for path, (title, body) in PAGES.items()}
    routes["/news/list-att.html"] = article("拟聘用人员公示", ["现将拟聘用人员名单予以公示（详见附件）。"], "2026-10-01",
                                            '<p>附件：<a href="/news/people.xlsx">名单.xlsx</a></p>')
    routes["/news/people.xlsx"] = Route(
        _xlsx([["序号", "姓名", "身份证号码", "联系电话"], ["1", "周雨桐", ID, "13900001001"],
               ["2", "吴建国", IDS[0], "13700002002"]]),
        headers={"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    routes["/news/list.html"] = listing([(path, title, "2026-10-01") for path, (title, _) in PAGES.items()])
    routes["/"] = '<html><head><meta charset="utf-8"><title>青山县审计局</title></head><body></body></html>'
    base = module_site_server(routes)
    folder = tmp_path_factory.mktemp("privacy-site")
    db = crawl_and_check(folder, base)
    return {"db": db, "base": base, "folder": folder, "findings": findings(db)}


@pytest.mark.parametrize("check_id, path, expected", EXPECTED, ids=[f"{c}-{p}" for c, p, _ in EXPECTED])
def test_end_to_end(site, check_id, path, expected):
    assert ((check_id, path) in fired(site["findings"])) == expected


def test_attachment_finding_is_about_the_file_and_names_its_article(site):
    row = next(r for r in site["findings"] if r["check_id"] == "privacy.id_number" and r["subject"].endswith(".xlsx"))
    assert row["pages"] == [site["base"] + "news/list-att.html"]
    assert row["evidence"]["text"] == "110105********002X" and row["evidence"]["distinct"] == 2
    assert row["message"] == "附件「名单.xlsx」中公开了 2 个未遮蔽的身份证号码，如「110105********002X」"
    assert row["severity"] == "critical"


def test_no_whole_number_in_the_database_or_the_report(site):
    report = site["folder"] / "report.json"
    result = run_cli("report", "--db", str(site["db"]), "--format", "json", "--out", str(report))
    assert result.returncode == 0, result.stderr
    exported = report.read_text(encoding="utf-8")
    stored = json.dumps(site["findings"], ensure_ascii=False)
    for number in [ID, IDS[0], "13900001001", "13700002002", "6217001234567890122"]:
        assert number not in exported and number not in stored
    assert "110105********002X" in exported and "139****1001" in exported


# ---- the sample site -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("check_id", ["privacy.id_number", "privacy.phone", "privacy.bank_card"])
def test_sample_site(sample_checked, check_id):
    from conftest import planted

    card = planted(sample_checked, check_id)
    assert card["defects"] and card["missed"] == [] and card["fired"] == []


def test_sample_site_xlsx_and_docx_with_ids_found_pdf_with_masked_ones_not(sample_checked):
    from govinspect.store import Store

    db, run_id, site = sample_checked
    with Store(db) as store:
        rows = {r["subject"]: r for r in store.findings() if r["check_id"] == "privacy.id_number"}
        kinds = {p["url"]: p["kind"] for p in store.pages(run_id)}
    defects = [d for d in site.defects if d["check"] == "privacy.id_number"]
    files = {d["url"].rsplit(".", 1)[-1]: d for d in defects}
    assert set(files) == {"xlsx", "docx"}
    for defect in defects:
        row = rows[defect["url"]]
        assert kinds[defect["url"]] == "attachment" and row["pages"] == [defect["page"]]
        assert row["evidence"]["text"] == mask_id(defect["text"]) or mask_id(defect["text"]) in json.dumps(
            row["evidence"]["occurrences"])
    masked_pdf = next(n for n in site.near_misses if n["check"] == "privacy.id_number" and n["url"].endswith(".pdf"))
    assert kinds[masked_pdf["url"]] == "attachment" and masked_pdf["url"] not in rows


def test_dates_of_birth_are_judged_on_the_checks_day():
    born_today = "110105202611200013"
    born_today = born_today[:17] + id_check_char(born_today[:17])
    assert is_id_number(born_today, date(2026, 11, 20)) and not is_id_number(born_today, date(2026, 11, 19))


@pytest.mark.parametrize("text", [
    "银行卡号 6217 0012 3456 7890 122 请核对",
    "名单\n林晓峰 139-0000-1001\n陈思远 137 0000 2002",
])
def test_numbers_written_in_groups_are_masked_too(text):
    found = fires("privacy.bank_card", text) + fires("privacy.phone", text)
    assert found
    for finding in found:
        shown = finding.message + json.dumps(finding.evidence, ensure_ascii=False)
        assert "0012 3456" not in shown and "0000-1001" not in shown and "0000 2002" not in shown
    cut = context(text, text.index("3456") if "3456" in text else text.index("0000"), len(text), width=2)
    assert "*" in cut and "3456 7890" not in cut


# ---- a list of people shows itself near its numbers ------------------------------------------------------------

PROSE = "本次活动由县审计局主办，旨在提升全县审计干部的业务能力，活动期间将组织专题讲座和案例交流。" * 60  # ~2,800 chars
NEAR = [
    # (title, text, fires, why)
    ("关于举办审计业务培训活动的通知",
     f"请各单位填写报名表，报名表须写明姓名、单位、职务。\n{PROSE}\n联系人：张老师 13900001001；李老师 13700002002",
     False, "two organisers' mobiles, 姓名 in a sentence 2,800 characters earlier"),
    ("", "请于3月1日前报送参会人员名单。\n联系人：王老师 13900001001", False, "名单 in the sentence above"),
    ("", "请报送参会人员名单，联系人：王老师 13900001001，李老师 13700002002。", False, "名单 in the same sentence"),
    ("", "报名时须提供姓名、工作单位和联系方式。\n咨询：王老师 13900001001", False, "姓名 in a sentence above"),
    ("", "序号 姓名 工作单位\n1 林晓峰 县财政局\n2 陈思远 县教育局\n以上同志经研究同意聘任，如有疑问请与办公室联系。\n"
         "联系人：王老师 13900001001", False, "a table of names ended before the number"),
    ("", "序号 姓名 工作单位\n1 林晓峰 县财政局\n\n联系人：王老师 13900001001", False, "a blank line ends the table"),
    ("拟聘用人员名单", "周雨桐 13900001001\n陈思远 13700002002", True, "the page title heads the list"),
    ("", "2024年度先进个人名单（共2人）\n周雨桐 县财政局 13900001001\n陈思远 县教育局 13700002002", True,
     "a heading with a count in brackets"),
    ("", "经研究，名单如下：周雨桐13900001001，陈思远13700002002。", True, "名单如下： in the same paragraph"),
    ("", "姓名：周雨桐，13900001001", True, "a 姓名 label on the same line"),
    ("", "序号\t姓名\t联系电话\n" + "".join(f"{i}\t人员{i}\t0579-8888{i:04d}\n" for i in range(1, 200))
         + "200\t周雨桐\t13900001001", True, "the header row 200 rows above, the same table"),
    ("", "附件：\n1. 周雨桐 13900001001\n2. 陈思远 13700002002", False, "a numbered list without a heading naming people"),
    ("", "获奖人员名单\n1. 周雨桐 13900001001\n2. 陈思远 13700002002", True, "a numbered list under a 名单 heading"),
]


@pytest.mark.parametrize("title, text, expected, why", NEAR, ids=[c[3] for c in NEAR])
def test_a_list_of_people_needs_signals_near_the_numbers(title, text, expected, why):
    found = run_check("privacy.phone", [{"text": text, "title": title}], as_of=AS_OF)
    assert bool(found) == expected, why
    if found:
        assert found[0].evidence["reason"] == "list" and "人员名单" in found[0].message


def test_only_the_listed_numbers_are_named():
    text = "获奖人员名单\n周雨桐 13900001001\n\n本次活动由县审计局主办。\n联系人：王老师 13700002002"
    (finding,) = run_check("privacy.phone", [text], as_of=AS_OF)
    assert finding.evidence["count"] == 1 and finding.evidence["text"] == "139****1001"
