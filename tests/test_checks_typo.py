"""The typo detector (text.typo: certain and suspected), duplicated words, text.law_title, and the wider punctuation
and 文号 rules: sentences written for each pattern real pages missed, each with near misses that must stay quiet."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import AS_OF, run_cli, write_config
from textsite import article, crawl_and_check, findings, listing

from checks.textutil import PlainTexts, run_check

TYPO = [
    # (sentence, exact wrong text, right form, confidence)
    ("各部门要切实加强知只产权保护工作。", "知只产权", "知识产权", "certain"),
    ("本局委托会计事务所对专项资金开展审计。", "会计事务所", "会计师事务所", "certain"),
    ("要认真贯切落实县委县政府各项决策部署。", "贯切落实", "贯彻落实", "certain"),
    ("持续优化营商环竟，激发市场主体活力。", "营商环竟", "营商环境", "certain"),
    ("县人大常委员会听取了审计工作报告。", "常委员会", "常务委员会", "certain"),
    ("对申请人提交的手续的的批复意见进行复核。", "的的", "的", "certain"),
    ("推动移动移动互联网政务应用向基层延伸。", "移动移动", "移动", "certain"),
    ("全县城乡居民医疗报险参保率稳定在95%以上。", "医疗报险", "医疗保险", "suspected"),
    ("厂西壮族自治区审计厅召开工作会议。", "厂西", "广西", "suspected"),
    ("进一步提高行政审批办事效律。", "效律", "效率", "suspected"),
]

QUIET = [
    "各部门要切实加强知识产权保护工作。",
    "本局委托会计师事务所对专项资金开展审计。",
    "逐步形成合理的通报频次，及时研究解决问题。",  # 形成合理: two right words, not 形成合力
    "大家常常说，人人参与、天天坚持，谢谢各位。",  # reduplication
    "干部职工要认认真真、扎扎实实地做好每一项工作，的的确确取得了实效。",  # AABB
    "领导干部要经常研究研究群众反映的问题，一个一个地解决。",  # ABAB verb, 一个一个
    "全面从严治党向纵深发展，一体推进不敢腐、不能腐、不想腐。",  # a parallel phrase
    "杭州佰意教育科技有限公司董事长出席会议。",  # a firm's name
    "龙潭街道党委书记王喆同志出席会议。",  # a person's name
    "PPP项目项目经理对工程质量负总责。",  # a name in Latin letters before the doubled word
]


@pytest.mark.parametrize("text, wrong, right, confidence", TYPO, ids=[t[1] for t in TYPO])
def test_typos_are_found_with_their_right_form_and_confidence(text, wrong, right, confidence):
    found = run_check("text.typo", [text])
    assert len(found) == 1
    evidence = found[0].evidence
    assert (evidence["text"], evidence["suggestion"], evidence["confidence"]) == (wrong, right, confidence)
    assert text.find(wrong) >= 0 and evidence["context"].find(wrong) >= 0
    if confidence == "suspected":
        assert evidence["score"] >= 4.0 and evidence["model"] == "kenlm"
        assert found[0].subject.endswith("#suspected-typo") and "疑似错别字" in found[0].message
    else:
        assert "score" not in evidence and "#" not in found[0].subject


@pytest.mark.parametrize("text", QUIET)
def test_near_misses_stay_quiet(text):
    assert [(f.evidence["text"], f.evidence.get("suggestion")) for f in run_check("text.typo", [text])] == []


def test_certain_and_suspected_typos_of_one_page_are_two_findings():
    found = run_check("text.typo", ["进一步提高办事效律，认真贯切落实各项部署。"])
    assert sorted(f.evidence["confidence"] for f in found) == ["certain", "suspected"]
    assert len({f.subject for f in found}) == 2


def test_the_site_allow_list_and_switching_suspects_off():
    text = "进一步提高办事效律。"
    assert run_check("text.typo", [text])
    assert run_check("text.typo", [text], {"whitelist": ["效律"]}) == []
    assert run_check("text.typo", [text], {"suspected": False}) == []


def test_a_suspect_triaged_as_ignored_is_not_reported_again_on_that_site():
    ignored = [{"check_id": "text.typo", "evidence": {"text": "效律", "confidence": "suspected"}},
               {"check_id": "text.typo", "evidence": {"text": "贯切落实", "confidence": "certain"}}]
    view = PlainTexts(["提高办事效律。", "认真贯切落实。"], AS_OF, ignored=ignored)
    assert [f.evidence["text"] for f in run_check("text.typo", view)] == ["贯切落实"]


def test_without_the_language_model_the_check_says_so_and_keeps_its_dictionaries(monkeypatch):
    from checks import spelling

    monkeypatch.setenv("GOVINSPECT_LM", "/nonexistent/zh_CN.lm")
    spelling.detector.cache_clear()
    try:
        view = PlainTexts(["提高办事效律，认真贯切落实。"], AS_OF)
        found = run_check("text.typo", view)
        assert [f.evidence["confidence"] for f in found] == ["certain"]
        assert len(view.limitations) == 1 and "libime-data-language-model" in view.limitations[0]
    finally:
        monkeypatch.delenv("GOVINSPECT_LM")
        spelling.detector.cache_clear()


# ---- text.law_title -------------------------------------------------------------------------------------------

LAWS = [
    ("依据《中华人民共和国环境环保法》开展执法检查。", "中华人民共和国环境环保法", "中华人民共和国环境保护法"),
    ("根据《中华人民共和国预箅法》编制年度预算。", "中华人民共和国预箅法", "中华人民共和国预算法"),
    ("按照《政府信息公开条列》要求，依申请公开。", None, None),  # 条列 is no title we judge (not 法 or 条例)
    ("贯彻《优化营商环竟条例》，提升服务水平。", "优化营商环竟条例", "优化营商环境条例"),
    ("认真学习《审计法》和《中华人民共和国审计法实施条例》。", None, None),
    ("学习《中华人民共和国宪法》和《宪法》修正案。", None, None),
    ("执行《福建省优化营商环境条例》和《中国共产党纪律处分条例》。", None, None),
    ("印发《青山县财政专项资金管理办法》。", None, None),
    ("依照《中华人民共和国政府信息公开条例》（2019年修订）办理。", None, None),
]


@pytest.mark.parametrize("text, wrong, right", LAWS, ids=[t[0][:14] for t in LAWS])
def test_law_titles(text, wrong, right):
    found = run_check("text.law_title", [text])
    assert [(f.evidence["text"], f.evidence["suggestion"]) for f in found] == ([(wrong, right)] if wrong else [])
    if found:
        assert found[0].evidence["titles"] == {"law_titles.txt": "2026.12.1"}


def test_the_law_list_is_dated_sourced_and_holds_the_laws_sites_cite():
    from checks.dictionaries import read_dictionary, shipped

    data = read_dictionary(shipped("law_titles.txt"))
    header = shipped("law_titles.txt").read_text(encoding="utf-8").split("\n", 8)
    assert data.version and any("flk.npc.gov.cn" in line for line in header) and any("2026-12-04" in line for line in header)
    titles = {e.wrong: e.right for e in data.entries}
    assert len(titles) > 900
    assert titles["中华人民共和国审计法"] == "法律" and titles["中华人民共和国政府信息公开条例"] == "行政法规"


# ---- text.punctuation and text.doc_number -----------------------------------------------------------------------

FORMS = [
    ("text.punctuation", "全年粮食产量增长3.9%;粮食播种面积稳定。", True),
    ("text.punctuation", "完成投资12亿元,同比增长8%。", True),
    ("text.punctuation", "参加培训（含线上培训)的人数明显增加。", True),
    ("text.punctuation", "加强组织领导.压实工作责任。", True),
    ("text.punctuation", "会议于上午10:30开始，共1,200人参加。", False),
    ("text.punctuation", "PM2.5平均浓度为28微克，比例为1:2。", False),
    ("text.punctuation", "详见http://www.example.gov.cn/a.html,或发送邮件至shenji.ju@example.gov.cn。", False),
    ("text.punctuation", "一.总体要求", False),
    ("text.punctuation", "Tel:0591-88880000，No.1文件", False),
    ("text.doc_number", "青审〔2016〕 号", True),
    ("text.doc_number", "青审〔2016〕 191 号", True),
    ("text.doc_number", "青审〔2016〕191号", False),
    ("text.doc_number", "青山县（2020）号召全体干部", False),
]


@pytest.mark.parametrize("check_id, text, expected", FORMS, ids=[f"{c}-{t[:10]}" for c, t, _ in FORMS])
def test_punctuation_and_doc_number_forms(check_id, text, expected):
    assert bool(run_check(check_id, [text])) == expected


def test_doc_number_without_serial_names_both_problems():
    found = run_check("text.doc_number", ["青审〔2016〕 号"])
    assert "（缺少序号，文号中有空格）" in found[0].message
    assert found[0].evidence["suggestion"] == "青审〔2016〕□号"


# ---- end to end: crawl, check, triage, check again ----------------------------------------------------------------


def test_triaged_suspect_is_not_reported_again_and_the_allow_list_comes_from_the_configuration(site_server, tmp_path):
    pages = {"/news/a.html": ("行政审批提速", "进一步提高行政审批办事效律，认真贯切落实各项部署。"),
             "/news/b.html": ("窗口服务", "窗口工作人员要提高办事效律。全县城乡居民医疗报险参保率稳定。")}
    routes = {path: article(title, text, "2026-11-02") for path, (title, text) in pages.items()}
    routes["/news/list.html"] = listing([(p, t, "2026-11-02") for p, (t, _) in pages.items()])
    routes["/"] = '<html><head><title>青山县审计局</title></head><body><a href="/news/list.html">工作动态</a></body></html>'
    base = site_server(routes)
    db = crawl_and_check(tmp_path, base)
    sheet = tmp_path / "list.xlsx"
    assert run_cli("report", "--db", str(db), "--format", "xlsx", "--out", str(sheet)).returncode == 0
    rows = [r for r in openpyxl.load_workbook(sheet)["整改清单"].iter_rows(values_only=True) if "错别字" in str(r[2])]
    assert [r[2] for r in rows] == ["错别字", "疑似错别字", "疑似错别字"]  # certain first, suspected labelled
    suspects = {r["subject"]: r for r in findings(db) if r["check_id"] == "text.typo"}
    assert {s.rsplit("/", 1)[1] for s in suspects} == {"a.html", "a.html#suspected-typo", "b.html#suspected-typo"}
    first = suspects[base + "news/a.html#suspected-typo"]
    assert first["evidence"]["text"] == "效律" and first["evidence"]["confidence"] == "suspected"

    assert run_cli("triage", first["id"], "--ignore", "--reason", "误报", "--db", str(db)).returncode == 0
    config = write_config(tmp_path / "site.toml", base,
                          f'\n[[columns]]\nname = "工作动态"\nurl = "{base}news/list.html"\ncategory = "dynamic"\n'
                          '[checks.options."text.typo"]\nwhitelist = ["医疗报险"]\n')
    assert run_cli("check", "-c", str(config), "--db", str(db), "--as-of", AS_OF.isoformat()).returncode == 0
    after = {r["subject"].rsplit("/", 1)[1]: r for r in findings(db) if r["check_id"] == "text.typo"}
    assert after["a.html#suspected-typo"]["status"] == "ignored"
    # b.html's 效律 is the word a person called a false positive, its 医疗报险 on the site's allow-list: nothing left
    # (a pass over the same run forgets what only an earlier pass over it saw)
    assert set(after) == {"a.html", "a.html#suspected-typo"} and after["a.html"]["status"] == "open"
    suspected = run_cli("findings", "--db", str(db), "--check", "text.typo", "--confidence", "suspected")
    certain = run_cli("findings", "--db", str(db), "--check", "text.typo", "--confidence", "certain")
    assert suspected.returncode == 0 and certain.returncode == 0, suspected.stderr + certain.stderr
    assert "效律" in suspected.stdout and "贯切落实" not in suspected.stdout
    assert "贯切落实" in certain.stdout and "效律" not in certain.stdout
