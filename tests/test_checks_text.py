"""Text checks (内容表述): texts that must fire and near misses that must not, per check; the checks end to end on
a loopback site crawled by the real CLI; the seeds; the sample site's planted defects; the false-alarm budget."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from conftest import AS_OF, REPO, run_cli, write_config
from textsite import (LUOYUAN, YUEQING, article, copy_db, crawl_and_check, fired, findings, listing,
                      own_correct_text, realpage_bodies, seed, seeds_correct_passages)

from checks.textutil import PlainTexts, run_check

TEXT_CHECKS = ["text.leader_name", "text.formulation", "text.typo", "text.sensitive", "text.doc_number",
               "text.punctuation", "text.numbering", "text.mojibake", "text.blank_page", "text.date"]


def fires(check_id: str, text, options: dict | None = None) -> list:
    return run_check(check_id, [text], options, as_of=AS_OF)


# ---- texts that must fire, near misses that must not ------------------------------------------------------

CASES = [
    # text.leader_name: a near miss beside the person's own title fires; ordinary words never
    ("text.leader_name", "要深入学习贯彻习进平总书记关于审计工作的重要论述。", True, "homophone, title after"),
    ("text.leader_name", "中共中央总书记、国家主席习进平出席会议。", True, "homophone, title before"),
    ("text.leader_name", "国务院总理李墙主持召开国务院常务会议。", True, "two-character name, own title before"),
    ("text.leader_name", "全国人大常委会委员长赵乐标出席。", True, "similar shape (际/标)"),
    ("text.leader_name", "习近平总书记强调，要坚持人民至上。", False, "the name right"),
    ("text.leader_name", "组织干部学习近年来审计整改工作的典型经验。", False, "学习近年来: 习近年 without a title"),
    ("text.leader_name", "县人大常委会副主任李西同志出席。", False, "同志 is not 李希's own title, 李西 is someone else"),
    ("text.leader_name", "县工商联主席王洋出席。", False, "主席 of a local body"),
    ("text.leader_name", "习进平的名字没有头衔。", False, "near miss with no title beside it"),
    # text.formulation: wrong forms and wrong order of fixed formulations
    ("text.formulation", "发放《中华人民共合国宪法》宣传资料。", True, "country name misspelt"),
    ("text.formulation", "部署深入推进扫黑险恶常态化工作。", True, "slogan misspelt"),
    ("text.formulation", "坚持以习近平新时期中国特色社会主义思想为指导。", True, "新时期 for 新时代"),
    ("text.formulation", "倡导民主、富强、文明、和谐。", True, "core values in the wrong order"),
    ("text.formulation", "贯彻创新、绿色、协调、开放、共享的新发展理念。", True, "new development idea, wrong order"),
    ("text.formulation", "深入学习贯彻党的20大精神。", True, "congress number in Arabic digits"),
    ("text.formulation", "富强、民主、文明、和谐是国家层面的价值目标。", False, "right order"),
    ("text.formulation", "经济建设、文化建设两手抓。", False, "a part of a list is not a wrong order"),
    ("text.formulation", "中华人民共和国第十四届全国人民代表大会。", False, "right names"),
    # text.typo: the confusion dictionary
    ("text.typo", "分发至县直各有关单位,已示公开。", True, "已示公开"),
    ("text.typo", "严禁露天焚烧秸杆。", True, "秸杆"),
    ("text.typo", "要认真贯切落实会议精神。", True, "贯彻落实 variant"),
    ("text.typo", "要认真做好工作布署。", True, "布署"),
    ("text.typo", "各项工作开展得如火如茶。", True, "如火如茶"),
    ("text.typo", "分发至县直各有关单位，以示公开。", False, "right form"),
    ("text.typo", "青山日报发布署名文章。", False, "发布署名: 布署 across a word boundary"),
    ("text.typo", "养成良好的学习习惯彻底改变作风。", False, "习惯彻底: 惯彻 across a word boundary"),
    ("text.typo", "做好预防犯罪工作。", False, "预防犯罪"),
    # text.doc_number
    ("text.doc_number", "青山县审计局 青审[2025]5号", True, "[] for 〔〕"),
    ("text.doc_number", "青审〔2026〕第05号", True, "第 and a leading zero"),
    ("text.doc_number", "根据国办发(2019)19号文件精神", True, "() for 〔〕"),
    ("text.doc_number", "青审【2024】12号", True, "【】 for 〔〕"),
    ("text.doc_number", "青审〔2026〕05号", True, "leading zero"),
    ("text.doc_number", "（罗政办〔2017〕126号）", False, "right form"),
    ("text.doc_number", "（2024）浙0382民初123号", False, "a court case number"),
    ("text.doc_number", "在（2024）年度工作中", False, "a bracketed year"),
    # text.punctuation
    ("text.punctuation", "为进一步抓好我局政府信息公开工作,积极推进审计公开。", True, "comma between Chinese"),
    ("text.punctuation", "(一)深入解读政策背景", True, "half-width parentheses of a heading"),
    ("text.punctuation", "具体如下;请各单位遵照执行", True, "semicolon"),
    ("text.punctuation", "审计共核减工程结算金额1,280.5万元。", False, "a number"),
    ("text.punctuation", "详见 http://www.example.gov.cn/list.jsp?id=1,2:3 页面", False, "a URL"),
    ("text.punctuation", "He said: yes, of course (really)!", False, "an English sentence"),
    ("text.punctuation", "联系电话:0579-88880000", False, "colon before digits"),
    ("text.punctuation", "生产总值(GDP)262.6亿元", False, "parentheses around Latin letters"),
    ("text.punctuation", "if (a,b) { return f(x); }", False, "code"),
    # text.numbering
    ("text.numbering", "一、基本情况\n二、主要问题\n四、整改情况", True, "heading skips 三"),
    ("text.numbering", "（一）总体要求\n（二）主要任务\n（二）保障措施", True, "（二） repeated"),
    ("text.numbering", "工作重点：一是加强学习；三是强化监督。", True, "一是 … 三是"),
    ("text.numbering", "1.明确目标\n2.压实责任\n2.强化考核", True, "Arabic numbers repeated"),
    ("text.numbering", "成效：一是学习，二是监督。问题：一是解读不足，三是互动不够。", True, "a second 一是 starts anew"),
    ("text.numbering", "一、总体情况\n（一）主动公开\n（二）依申请公开\n二、主要问题\n（一）解读不足\n（二）互动不够\n三、改进措施",
     False, "（一）（二） restart under each heading"),
    ("text.numbering", "三、收到和处理申请情况\n一、本年新收 2 0 2\n二、上年结转 0 0 0\n三、本年度办理结果\n四、结转下年度 0 0\n"
                       "四、行政复议、行政诉讼情况\n五、存在的问题", False, "the table's row labels, then the headings go on"),
    ("text.numbering", "要坚持统一是前提，唯一是标准。", False, "统一是, 唯一是 are words"),
    ("text.numbering", "二、主要问题\n三、改进措施", False, "an excerpt starting at 二"),
    # text.mojibake
    ("text.mojibake", "本办法所称差旅费锟斤拷锟斤拷，是指", True, "锟斤拷"),
    ("text.mojibake", "发生的\ufffd\ufffd城市间交通费", True, "replacement characters"),
    ("text.mojibake", "閫氱煡锛氬悇鏈夊叧鍗曚綅锛", True, "UTF-8 read as GBK (锛 twice)"),
    ("text.mojibake", "å®¡è®¡å±€ç»„ç»‡å¼€å±•", True, "UTF-8 read as Latin-1"),
    ("text.mojibake", "对龙潭街道党委书记王喆同志、陈镕同志开展审计。", False, "rare but real characters"),
    ("text.mojibake", "Café résumé naïve", False, "accented Latin"),
    # text.blank_page (pages: a dict is a stored article)
    ("text.blank_page", {"title": "县审计局开展技能比武", "text": ""}, True, "no text, no attachment"),
    ("text.blank_page", {"title": "县审计局开展技能比武", "text": "\n附件：\n"}, True, "only the empty 附件 label"),
    ("text.blank_page", {"title": "学习会", "text": "近日，县审计局召开党组理论学习中心组学习会。"}, False, "one line is thin, not blank"),
    ("text.blank_page", {"title": "部门决算", "text": "", "attachments": [{"url": "http://x/a.pdf", "name": "决算"}]},
     False, "an attachment"),
    ("text.blank_page", {"title": "首页", "text": "", "kind": "home"}, False, "not an article"),
    # text.date
    ("text.date", {"text": "通知如下。", "published": "2027-11-10", "published_source": "meta"}, True, "future"),
    ("text.date", {"text": "会议定于2025年2月30日召开。"}, True, "no 30 February"),
    ("text.date", {"text": "统计截至2025-13-01。"}, True, "no month 13"),
    ("text.date", {"title": "青山县审计局2025年政府信息公开工作年度报告",
                   "text": "一、总体情况\n略。\n三、改进措施\n2025年，我局将继续深化公开。"}, True, "own year's plans"),
    ("text.date", {"text": "征集截止时间：2026年12月5日。", "published": "2026-10-21", "published_source": "meta"},
     False, "a deadline in the future"),
    ("text.date", {"text": "2024年2月29日召开。"}, False, "a leap day"),
    ("text.date", {"title": "2026年青山县人民政府工作报告", "text": "二、2026年工作安排\n2026年，我们将继续推进。"},
     False, "a 政府工作报告 plans the year it is delivered in"),
    ("text.date", {"title": "青山县审计局2025年度审计项目计划", "text": "二、工作安排\n2025年，我局将继续开展审计。"},
     False, "a plan, not a report"),
    ("text.date", {"title": "青山县审计局2024年政府信息公开工作年度报告",
                   "text": "五、存在的主要问题及改进情况\n2025年，我局将进一步拓宽公开。"}, False, "next year's plans"),
]


@pytest.mark.parametrize("check_id, text, expected, why", CASES, ids=[f"{c}-{w}" for c, _, _, w in CASES])
def test_text_check_table(check_id, text, expected, why):
    assert bool(fires(check_id, text)) == expected, why


@pytest.mark.parametrize("text, expected", [
    ("（内部资料，请勿外传）县审计局召开分析会。", True),
    ("县审计局召开内部审计工作会议。", False),
    ("资料汇编已内部印发。", False),
])
def test_sensitive_words_come_from_the_configuration(text, expected):
    assert bool(fires("text.sensitive", text, {"words": ["内部资料"]})) == expected
    assert fires("text.sensitive", text) == []  # empty by default: nothing fires


# ---- evidence -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("check_id, text, wrong, right", [
    ("text.typo", "形成审计结果通报,分发至县直各有关单位,已示公开。二是公告年度审计工作报告", "已示公开", "以示公开"),
    ("text.formulation", "活动中，工作人员向过往群众发放《中华人民共合国宪法》和审计法律法规宣传资料", "中华人民共合国", "中华人民共和国"),
    ("text.formulation", "倡导民主、富强、文明、和谐。", "民主、富强、文明、和谐", "富强、民主、文明、和谐"),
    ("text.leader_name", "会议强调，要深入学习贯彻习进平总书记关于审计工作的重要论述", "习进平", "习近平"),
    ("text.doc_number", "青山县审计局 青审〔2026〕第05号", "青审〔2026〕第05号", "青审〔2026〕5号"),
    ("text.punctuation", "为进一步抓好我局政府信息公开工作,积极推进审计公开", "工作,积极", "工作，积极"),
    ("text.numbering", "一、基本情况\n二、主要问题\n四、整改情况", "四、", "三、"),
])
def test_evidence_holds_the_exact_text_its_right_form_and_context(check_id, text, wrong, right):
    (finding,) = fires(check_id, text)
    evidence = finding.evidence
    assert evidence["text"] == wrong and evidence["suggestion"] == right
    assert wrong in evidence["context"] and evidence["context"] in text  # found again with Ctrl-F
    assert len(evidence["context"]) <= len(wrong) + 2 * 20 + 1
    assert wrong in finding.message and right in finding.message


def test_one_finding_per_page_lists_every_occurrence():
    (finding,) = fires("text.typo", "已示公开。又如秸杆，再如已示公开。")
    assert finding.evidence["count"] == 3
    assert [o["text"] for o in finding.evidence["occurrences"]] == ["已示公开", "秸杆", "已示公开"]
    assert "另有 2 处" in finding.message


def test_title_typos_are_found_and_say_so():
    (finding,) = fires("text.typo", {"title": "关于做好秸杆禁烧工作的通知", "text": "各乡镇：请做好禁烧工作。"})
    assert finding.evidence["where"] == "title" and "标题中" in finding.message


def test_a_page_whose_text_is_a_table_is_judged_on_its_cells():
    from checks.textutil import table_text

    grids = [[["索引号: 003399012/2026-00001", "发布机构: 青山县审计局"], ["生成日期: 2026-10-11", "主题分类: 综合"]],
             [["留言人", "王**"], ["留言内容", "请问何时公开？"], ["回复内容", "已示公开。"]]]
    row = {"tables": json.dumps(grids, ensure_ascii=False)}
    assert table_text(row) == "留言人\t王**\n留言内容\t请问何时公开？\n回复内容\t已示公开。"
    assert table_text({"tables": json.dumps(grids[:1])}) == ""  # the 信息公开 table alone is no content


def test_contexts_mask_personal_numbers():
    (finding,) = fires("text.typo", "林晓峰 11010519491231002X 13900001001 已示公开")
    assert "11010519491231002X" not in json.dumps(finding.evidence) and "13900001001" not in json.dumps(
        finding.evidence)
    assert "110105********002X" in finding.evidence["context"]


# ---- the checks end to end: a loopback site crawled by `govinspect crawl`, judged by `govinspect check` -----

PAGES = {
    # path: (title, paragraphs, PubDate)
    "/news/typo.html": ("县审计局推进政务公开", ["一是每个审计项目形成审计结果通报，已示公开。"], "2026-10-20"),
    "/news/typo-title.html": ("关于做好秸杆禁烧工作的通知", ["各乡镇：请认真做好禁烧工作。"], "2026-10-19"),
    "/news/leader.html": ("县审计局召开党组会议", ["会议强调，要深入学习贯彻习进平总书记关于审计工作的重要论述。"], "2026-10-18"),
    "/news/leader-near.html": ("县审计局召开交流会", ["组织干部学习近年来审计整改工作的典型经验做法。"], "2026-10-17"),
    "/news/formulation.html": ("县审计局开展宪法宣传", ["向群众发放《中华人民共合国宪法》。", "倡导民主、富强、文明、和谐。"],
                               "2026-10-16"),
    "/news/formulation-ok.html": ("县审计局开展宪法宣传周", ["向群众发放《中华人民共和国宪法》，倡导富强、民主、文明、和谐。"],
                                  "2026-10-15"),
    "/news/sensitive.html": ("县审计局召开分析会", ["（内部资料，请勿外传）通报审计项目复核发现的问题。"], "2026-10-14"),
    "/news/sensitive-ok.html": ("县审计局召开内审会", ["县审计局召开内部审计工作会议。"], "2026-10-13"),
    "/news/docno.html": ("关于印发管理制度的通知", ["现将制度印发给你们。", "青山县审计局 青审[2025]5号", "2026年10月10日"],
                         "2026-10-12"),
    "/news/docno-ok.html": ("关于印发管理办法的通知", ["现将办法印发给你们。", "青山县审计局 青审〔2025〕6号", "2026年10月9日"],
                            "2026-10-11"),
    "/news/punct.html": ("县审计局实施方案", ["为进一步抓好我局政府信息公开工作,积极推进审计公开。"], "2026-10-10"),
    "/news/punct-ok.html": ("县审计局完成项目审计", ["审计共核减工程结算金额1,280.5万元，详见 http://a.gov.cn/x?id=1,2 。"],
                            "2026-10-09"),
    "/news/numbering.html": ("审计结果公告", ["一、基本情况：总体规范。", "二、主要问题：拨付不及时。", "四、整改情况：已整改。"],
                             "2026-10-08"),
    "/news/numbering-ok.html": ("审计结果公告二", ["一、基本情况", "（一）收入", "（二）支出", "二、主要问题", "（一）拨付不及时",
                                            "（二）合同不规范", "三、整改情况"], "2026-10-07"),
    "/news/mojibake.html": ("差旅费管理办法", ["本办法所称差旅费锟斤拷锟斤拷，是指工作人员出差所发生的费用。"], "2026-10-06"),
    "/news/blank.html": ("县审计局开展技能比武", [], "2026-10-05"),
    "/news/blank-att.html": ("县审计局部门决算", [], "2026-10-04"),
    "/news/future.html": ("关于开展质量检查的通知", ["各有关单位：现将有关事项通知如下。"], "2027-11-10"),
    "/news/deadline.html": ("关于征集审计项目建议的公告", ["征集截止时间：2026年12月5日。"], "2026-10-03"),
    "/news/att.html": ("关于印发工作要点的通知", ["现将工作要点印发给你们。"], "2026-10-02"),
    "/news/table-only.html": ("询问审计结果何时公开", [], "2026-10-01"),
    "/news/meta-only.html": ("县审计局开展业务培训", [], "2026-09-30"),
}
MESSAGE = ('<table class="lyb-table"><tr><th>留言人</th><td>王**</td></tr><tr><th>留言内容</th><td>请问审计结果何时公开？</td>'
           '</tr><tr><th>回复内容</th><td>审计结果将在网站公布，已示公开。</td></tr></table>')
INFO = ('<table class="xxgk"><tr><td>索引号: 003399012/2026-00001</td><td>文件编号:</td><td>发布机构: 青山县审计局</td></tr>'
        '<tr><td>生成日期: 2026-09-30</td><td>主题分类: 综合政务</td><td>公开方式: 主动公开</td></tr></table>')
EXPECTED = [
    ("text.typo", "/news/typo.html", True), ("text.typo", "/news/typo-title.html", True),
    ("text.typo", "/news/att.docx", True), ("text.typo", "/news/att.html", False),
    ("text.leader_name", "/news/leader.html", True), ("text.leader_name", "/news/leader-near.html", False),
    ("text.formulation", "/news/formulation.html", True), ("text.formulation", "/news/formulation-ok.html", False),
    ("text.sensitive", "/news/sensitive.html", True), ("text.sensitive", "/news/sensitive-ok.html", False),
    ("text.doc_number", "/news/docno.html", True), ("text.doc_number", "/news/docno-ok.html", False),
    ("text.punctuation", "/news/punct.html", True), ("text.punctuation", "/news/punct-ok.html", False),
    ("text.numbering", "/news/numbering.html", True), ("text.numbering", "/news/numbering-ok.html", False),
    ("text.mojibake", "/news/mojibake.html", True), ("text.mojibake", "/news/gbk.html", False),
    ("text.blank_page", "/news/blank.html", True), ("text.blank_page", "/news/blank-att.html", False),
    ("text.date", "/news/future.html", True), ("text.date", "/news/deadline.html", False),
    ("text.blank_page", "/news/table-only.html", False), ("text.typo", "/news/table-only.html", True),
    ("text.blank_page", "/news/meta-only.html", True),
]


def _docx(paragraphs: list[str]) -> bytes:
    import io

    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def site(module_site_server, tmp_path_factory):
    from conftest import Route

    routes = {path: article(title, body, day) for path, (title, body, day) in PAGES.items()}
    routes["/news/blank-att.html"] = article("县审计局部门决算", [], "2026-10-04",
                                             '<p>附件：<a href="/news/final.pdf">部门决算.pdf</a></p>')
    routes["/news/att.html"] = article("关于印发工作要点的通知", ["现将工作要点印发给你们。"], "2026-10-02",
                                       '<p>附件：<a href="/news/att.docx">工作要点.docx</a></p>')
    routes["/news/table-only.html"] = article("询问审计结果何时公开", [], "2026-10-01", MESSAGE)
    routes["/news/meta-only.html"] = article("县审计局开展业务培训", [], "2026-09-30", INFO)
    routes["/news/att.docx"] = Route(_docx(["2026年工作要点", "要认真贯切落实各项决策部署。"]), headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
    routes["/news/final.pdf"] = Route(b"%PDF-1.4\n%%EOF\n", headers={"Content-Type": "application/pdf"})
    gbk = ('<html><head><meta charset="gbk"><title>审前公示</title></head><body><div class="main"><h1>审前公示</h1>'
           '<p>对龙潭街道党委书记王喆同志、陈镕同志任期经济责任履行情况进行审计。</p></div></body></html>')
    routes["/news/gbk.html"] = Route(gbk.encode("gb18030"), headers={"Content-Type": "text/html; charset=GBK"})
    items = [(path, title, day) for path, (title, _, day) in PAGES.items()] + [("/news/gbk.html", "审前公示", "2026-10-01")]
    routes["/news/list.html"] = listing(items)
    routes["/"] = ('<html><head><meta charset="utf-8"><title>青山县审计局</title></head><body>'
                   '<a href="/news/list.html">工作动态</a></body></html>')
    base = module_site_server(routes)
    folder = tmp_path_factory.mktemp("text-site")
    db = crawl_and_check(folder, base, '\n[checks.options."text.sensitive"]\nwords = ["内部资料"]\n')
    return {"db": db, "base": base, "folder": folder, "findings": findings(db)}


@pytest.mark.parametrize("check_id, path, expected", EXPECTED, ids=[f"{c}-{p}" for c, p, _ in EXPECTED])
def test_end_to_end(site, check_id, path, expected):
    assert ((check_id, path) in fired(site["findings"])) == expected


def test_end_to_end_attachment_finding_names_the_article_that_links_it(site):
    row = next(r for r in site["findings"] if r["check_id"] == "text.typo" and r["subject"].endswith("/news/att.docx"))
    assert row["pages"] == [site["base"] + "news/att.html"]
    assert row["evidence"]["text"] == "贯切落实" and row["evidence"]["suggestion"] == "贯彻落实"
    assert row["evidence"]["attachment"] is True and row["message"].startswith("附件「工作要点.docx」中")
    assert row["column_name"] == "工作动态"


def test_end_to_end_only_the_planted_pages_fire(site):
    planted = {(c, p) for c, p, expected in EXPECTED if expected}
    mine = {f for f in fired(site["findings"]) if f[0] in TEXT_CHECKS}
    assert mine == planted


def test_site_dictionaries_and_whitelist_apply_on_check_without_recrawling(site, tmp_path):
    """extra_dictionaries are read relative to the configuration file; editing one changes the next check."""
    db = copy_db(site["db"], tmp_path / "govinspect.db")
    (tmp_path / "dicts").mkdir()
    extra = tmp_path / "dicts" / "site-typos.txt"
    extra.write_text("# version: 1\n审计项目形成\t审计项目形成了\n", encoding="utf-8")
    config = write_config(tmp_path / "site.toml", site["base"],
                          '\n[checks.options."text.typo"]\nextra_dictionaries = ["dicts/site-typos.txt"]\n'
                          'whitelist = ["关于做好秸杆禁烧工作的通知"]\n')
    result = run_cli("check", "-c", str(config), "--db", str(db), "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    typos = {path for check, path in fired(findings(db)) if check == "text.typo"}
    assert "/news/typo.html" in typos  # both 已示公开 and the site's own entry
    assert "/news/typo-title.html" not in typos  # whitelisted
    row = next(r for r in findings(db) if r["subject"].endswith("/news/typo.html") and r["check_id"] == "text.typo")
    assert {o["text"] for o in row["evidence"]["occurrences"]} == {"审计项目形成", "已示公开"}
    assert row["evidence"]["dictionaries"] == {"confusions.txt": "2026.11.1", "site-typos.txt": "1", "terms.txt": "2026.12.1"}

    extra.write_text("# version: 2\n以示公开\t已示公开\n工作要点印发\t工作要点印发了\n", encoding="utf-8")
    result = run_cli("check", "-c", str(config), "--db", str(db), "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    rows = {r["subject"].split("/", 3)[3]: r for r in findings(db) if r["check_id"] == "text.typo"}
    assert rows["news/att.html"]["status"] == "open"  # the new entry, on the stored crawl
    assert rows["news/typo.html"]["evidence"]["count"] == 1


def test_missing_site_dictionary_is_a_configuration_error(site, tmp_path):
    config = write_config(tmp_path / "site.toml", site["base"],
                          '\n[checks.options."text.typo"]\nextra_dictionaries = ["nowhere.txt"]\n')
    result = run_cli("check", "-c", str(config), "--db", str(site["db"]))
    assert result.returncode != 0
    assert 'checks.options."text.typo".extra_dictionaries' in result.stderr and "nowhere.txt" in result.stderr


# ---- the seeds ---------------------------------------------------------------------------------------------


def test_luoyuan_plan_gives_punctuation_and_the_typo():
    text = seed(LUOYUAN)
    (punctuation,) = fires("text.punctuation", text)
    assert punctuation.evidence["marks"][","] > 10
    assert any(o["text"] == "工作,积极" for o in punctuation.evidence["occurrences"])
    (typo,) = fires("text.typo", text)
    assert typo.evidence["text"] == "已示公开" and typo.evidence["suggestion"] == "以示公开"
    assert typo.evidence["count"] == 1


def test_yueqing_report_plans_its_own_year():
    (finding,) = fires("text.date", seed(YUEQING))
    assert finding.evidence["text"] == "2021年，我局将继续" and finding.evidence["suggestion"] == "2022年"


@pytest.mark.parametrize("check_id", ["text.typo", "text.leader_name", "text.formulation"])
def test_seeds_correct_passages_give_no_wording_finding(check_id):
    assert run_check(check_id, seeds_correct_passages(), as_of=AS_OF) == []


# ---- the sample site --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_text_checked(sample_crawl, tmp_path_factory):
    """`govinspect check` over a copy of the sample crawl, with the site's sensitive-word list configured."""
    db, run_id, site = sample_crawl
    folder = tmp_path_factory.mktemp("sample-text")
    copy = copy_db(db, folder / "govinspect.db")
    config = (db.parent / "site.toml").read_text(encoding="utf-8")
    config += '\n[checks.options."text.sensitive"]\nwords = ' + json.dumps(site.manifest()["sensitive_words"],
                                                                          ensure_ascii=False) + "\n"
    (folder / "site.toml").write_text(config, encoding="utf-8")
    result = run_cli("check", "-c", str(folder / "site.toml"), "--db", str(copy), "--run", str(run_id))
    assert result.returncode == 0, result.stderr
    return copy, run_id, site


def _score(sample, check_id):
    from govinspect.demo.scorecard import score
    from govinspect.store import Store

    db, run_id, site = sample
    with Store(db) as store:
        return score(store, run_id, site, [check_id])


@pytest.mark.parametrize("check_id", TEXT_CHECKS)
def test_sample_site_planted_defects_found_and_near_misses_quiet(sample_text_checked, check_id):
    card = _score(sample_text_checked, check_id)
    assert card["defects"] and card["missed"] == [] and card["fired"] == []


@pytest.mark.parametrize("check_id", ["text.typo", "text.leader_name", "text.formulation", "text.sensitive",
                                      "text.blank_page", "text.mojibake", "text.doc_number"])
def test_sample_site_clean_pages_give_nothing(sample_text_checked, check_id):
    assert [url for check, url in _score(sample_text_checked, check_id)["extra"] if check == check_id] == []


def test_sample_site_evidence_matches_the_oracle(sample_text_checked):
    from govinspect.store import Store

    db, run_id, site = sample_text_checked
    with Store(db) as store:
        rows = {(r["check_id"], r["subject"]): r for r in store.findings()}
    for defect in site.defects:
        if defect["check"] in TEXT_CHECKS and defect.get("text"):
            evidence = rows[defect["check"], defect["url"]]["evidence"]
            shown = [evidence["text"]] + [o["text"] for o in evidence.get("occurrences", [])]
            assert defect["text"] in shown, defect
            if defect.get("suggestion"):
                assert evidence["suggestion"] == defect["suggestion"], defect


# ---- the false-alarm budget --------------------------------------------------------------------------------


def _correct_corpus(sample_crawl, planted_by=("text.typo", "text.leader_name", "text.formulation")) -> list:
    """Own correct text, the seeds' correct passages, the real pages' bodies, the sample site's pages without
    the defects planted for the checks `planted_by`."""
    from govinspect.store import Store

    db, run_id, site = sample_crawl
    planted = {d["url"].split("#")[0] for d in site.defects if d["check"] in planted_by}  # #suspected-typo
    with Store(db) as store:
        sample = [{"url": p["url"], "title": p["title"] or "", "text": p["text"]} for p in store.pages(run_id)
                  if p["url"] not in planted and p["text"]]
    return own_correct_text() + seeds_correct_passages() + realpage_bodies() + sample


@pytest.mark.parametrize("check_id", ["text.typo", "text.leader_name", "text.formulation"])
def test_false_alarm_budget_is_zero_on_all_correct_text(sample_crawl, check_id):
    corpus = _correct_corpus(sample_crawl)
    assert sum(len(t if isinstance(t, str) else t["text"]) for t in corpus) > 50_000
    found = run_check(check_id, PlainTexts(corpus, AS_OF))
    assert [(f.subject, f.evidence["text"], f.evidence["context"]) for f in found] == []


def test_every_text_check_runs_over_the_correct_corpus(sample_crawl):
    """The rule checks may find real form problems in real pages (mixed punctuation is common); they must run."""
    view = PlainTexts(_correct_corpus(sample_crawl, TEXT_CHECKS), AS_OF)
    counts = {check_id: len(run_check(check_id, view)) for check_id in TEXT_CHECKS}
    assert counts["text.mojibake"] == 0 and counts["text.doc_number"] == 0 and counts["text.sensitive"] == 0


# ---- the benchmark script still runs ------------------------------------------------------------------------


def test_benchmark_script_runs_on_a_small_corpus():
    result = subprocess.run([sys.executable, str(REPO / "tests" / "benchmarks" / "text_speed.py"), "--mb", "0.3",
                             "--repeat", "1"], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "MB/s on one core" in result.stdout and "baseline" in result.stdout


def test_dates_are_checked_against_the_crawls_day():
    late = {"text": "通知。", "published": "2026-11-21", "published_source": "meta"}
    assert fires("text.date", late) and not run_check("text.date", [late], as_of=date(2026, 11, 21))


def test_the_demo_configures_the_sample_sites_sensitive_words(sample_server):
    from govinspect.demo.run import demo_config

    words = demo_config(sample_server.base_url)["checks"]["options"]["text.sensitive"]["words"]
    assert words == sample_server.site.manifest()["sensitive_words"]
