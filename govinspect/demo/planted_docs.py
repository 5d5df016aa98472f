"""Planted defects and near misses in the document-like columns (policy pair, rules, reports, budget, plans)."""

from __future__ import annotations

import datetime

from govinspect.demo import annual
from govinspect.demo import attachments as att
from govinspect.demo import content as c
from govinspect.demo import numbers as num
from govinspect.demo.model import Doc
from govinspect.demo.plan import DAY, Builder
from govinspect.demo.planted_news import downfile

PLANTED_RULES = ("审计项目计划管理办法", "内部审计指导监督工作规定", "审计整改跟踪检查办法", "审计档案管理办法",
                 "审计结果公告办法", "审计现场管理办法", "政府信息公开保密审查办法")


def _rule(b: Builder, key: str, day: datetime.date, name: str, n: int, written: datetime.date | None = None,
          doc_no: str | None = None) -> Doc:
    written = written or day - (n % 4) * DAY
    doc_no = doc_no or f"青审〔{written.year}〕{n}号"
    return b.doc(key, f"青山县审计局关于印发《青山县审计局{name}》的通知", day,
                 c.rule_body(f"青山县审计局{name}", doc_no, written), doc_no=doc_no, written=written)


def _unique(pool: list[str], i: int, day: datetime.date) -> str:
    """Pool names in turn; later rounds are revisions, numbered so that no two documents share a title."""
    rule, k = pool[i % len(pool)], i // len(pool)
    return rule if k == 0 else f"{rule}（{day.year}年第{k}次修订）"


def _link(a: Doc, b_: Doc) -> None:
    a.related.append((b_.url, b_.title, b_.day.isoformat()))


def policy_pair(b: Builder) -> None:
    def interp(age: int, title: str, name: str) -> Doc:
        return b.doc("zcjd", title, b.ago(age), c.interpretation_body(f"青山县审计局{name}"))

    p1 = _rule(b, "zcwj", b.ago(25), PLANTED_RULES[0], 3)
    i1 = interp(23, f"《青山县审计局{PLANTED_RULES[0]}》政策解读", PLANTED_RULES[0])
    _link(p1, i1), _link(i1, p1)
    for check in ("interpretation.missing_source", "interpretation.missing_link", "interpretation.mismatch",
                  "interpretation.late", "interpretation.broken"):
        b.near_miss(check, p1.url, "correct pair: linked both ways, same title, interpretation 2 days later",
                    interpretation=i1.url)
    b.near_miss("disclosure.late", p1.url, "成文日期 a few days before publication")
    p2 = _rule(b, "zcwj", b.ago(60), PLANTED_RULES[1], 6)
    i2 = interp(58, f"图解：《青山县审计局{PLANTED_RULES[1]}》", PLANTED_RULES[1])
    _link(i2, p2)
    b.defect("interpretation.missing_link", p2.url, "the interpretation links the document, the document does not link back",
             interpretation=i2.url)
    p3 = _rule(b, "zcwj", b.ago(90), PLANTED_RULES[2], 9)
    i3 = interp(69, f"《青山县审计局{PLANTED_RULES[2]}》解读", PLANTED_RULES[2])
    _link(p3, i3), _link(i3, p3)
    b.defect("interpretation.late", p3.url, "interpretation published 21 days after the document", interpretation=i3.url)
    p5 = _rule(b, "zcwj", b.ago(120), PLANTED_RULES[3], 12)
    i4 = interp(118, f"一图读懂《青山县审计局{PLANTED_RULES[5]}》", PLANTED_RULES[5])
    _link(p5, i4), _link(i4, p5)
    b.defect("interpretation.mismatch", p5.url, f"interpretation names 《青山县审计局{PLANTED_RULES[5]}》 but is linked "
             "(both ways) to a different document", interpretation=i4.url)
    day = b.ago(150)
    p6 = _rule(b, "zcwj", day, PLANTED_RULES[4], 15, written=day - 60 * DAY)
    b.defect("disclosure.late", p6.url, "成文日期 (end of text, 生成日期) 60 days before publication", text=c.cn_date(p6.written))
    dead = f"/qsxsjj/zcwj/{b.ago(141):%Y%m}/{b.hexid('dead-policy')}.shtml"
    i5 = interp(140, f"《青山县审计局{PLANTED_RULES[6]}》政策解读", PLANTED_RULES[6])
    i5.related.append((b.url(dead), f"青山县审计局关于印发《青山县审计局{PLANTED_RULES[6]}》的通知", b.ago(141).isoformat()))
    b.defect("interpretation.broken", b.url(dead), "the interpretation's 关联稿件 link to its document answers 404 "
             "(missing_source may also fire: its only link is dead)", interpretation=i5.url)
    b.defect("link.broken", b.url(dead), "dead 关联稿件 link", page=i5.url, kind="page")
    i6 = interp(160, f"《青山县审计局{b.ago(160).year}年审计工作要点》解读", f"{b.ago(160).year}年审计工作要点")
    b.defect("interpretation.missing_source", i6.url, "interpretation with no link to (and no copy of) its document")
    # Fillers: clean documents; each filler interpretation is paired both ways, same day.
    pool = [x for x in c.RULES if x not in PLANTED_RULES]
    n_pol = b.target_count("zcwj") - len(b.cols["zcwj"].docs)
    fill_pol = [_rule(b, "zcwj", day, _unique(pool, i, day), 20 + i)
                for i, day in enumerate(b.filler_days("zcwj", max(0, n_pol)))]
    n_int = b.target_count("zcjd") - len(b.cols["zcjd"].docs)
    for pol in fill_pol[:max(0, n_int)]:
        name = pol.title.split("《")[1].split("》")[0]
        it = b.doc("zcjd", f"《{name}》政策解读", pol.day, c.interpretation_body(name))
        _link(pol, it), _link(it, pol)


def gfxwj(b: Builder) -> None:
    k = "gfxwj"
    d = _rule(b, k, b.ago(300), c.OLD_RULES[0], 30)
    d.paras[4] = "第二条　本办法所称差旅费锟斤拷锟斤拷，是指工作人员临时到常驻地以外地区公务出差所发生的\ufffd\ufffd城市间交通费、住宿费。"
    b.defect("text.mojibake", d.url, "锟斤拷 and U+FFFD left over from a mis-decoded migration", text="锟斤拷")
    day = b.ago(350)
    no = f"青审[{day.year}]5号"
    _rule(b, k, day, c.OLD_RULES[1], 5, doc_no=no)
    b.defect("text.doc_number", b.cols[k].docs[-1].url, "文号 year in [] instead of 〔〕", text=no,
             suggestion=f"青审〔{day.year}〕5号")
    d = _rule(b, k, b.ago(400), c.OLD_RULES[2], 2)
    d.paras.append('原文件详见：<a href="/zwgk/gfxwj/content_1088.html">青山县审计局公文处理办法（试行）</a>')
    b.defect("link.soft404", b.url("/zwgk/gfxwj/content_1088.html"),
             "old-site link: the old CMS answers 200 with its 页面不存在 template", page=d.url)
    pool = c.OLD_RULES[3:]
    count = b.target_count(k) - len(b.cols[k].docs)
    for i, day in enumerate(b.filler_days(k, max(0, count))):
        _rule(b, k, day, pool[i % len(pool)], 40 + i)
    b.defect("column.stale", b.url(b.cols[k].path), "policy column: newest item 300 days old (limit 183)")


def reports(b: Builder) -> None:
    """信息公开年报 (Hanweb, 2021 format) and the old site's 政务公开年度报告 column (old format, stops at 2020)."""
    k = "nb"
    last = b.as_of.year - 1 if b.as_of >= datetime.date(b.as_of.year, 3, 1) else b.as_of.year - 2
    if last < 2023:
        raise ValueError("the sample site needs as_of on or after 2024-03-01")
    for year in range(last, 2020, -1):
        title = f"青山县审计局{year}年政府信息公开工作年度报告"
        if year == last:
            day = datetime.date(year + 1, 2, 20)
            d = b.doc(k, title, day, body_html=annual.report_yueqing_style(year))
            for check, note in (("annual_report.late", "published 20 February, deadline 31 January"),
                                ("annual_report.structure", "not the six-section 2021 format (总体情况概述/存在的主要问题/改进措施)"),
                                ("annual_report.tables", "no statistical tables at all"),
                                ("annual_report.fee", "no statement on 信息处理费"),
                                ("annual_report.year", f"改进措施 plans for {year} instead of {year + 1}"),
                                ("text.date", f"the {year} report plans 「{year}年，我局将继续…」")):
                b.defect(check, d.url, note, **({"text": f"{year}年，我局将继续"} if check in ("annual_report.year", "text.date") else {}))
            continue
        day = datetime.date(year + 1, 1, 20 if year == last - 1 else 18)
        html, paras = annual.report_2021(year, published=30 + year % 7, broken_total=year == last - 2)
        d = b.doc(k, title, day, body_html=html)
        if year == last - 1:
            body = att.docx_document(title, paras, day, headings=frozenset({1, 7, 8, 9, 10, 13}))
            d.attachments.append((downfile(b, f"nb{year}", body, "docx"), f"{title}.docx"))
            for check in ("annual_report.late", "annual_report.structure", "annual_report.tables", "annual_report.fee",
                          "annual_report.year"):
                b.near_miss(check, d.url, "complete 2021-format report, on time, fee stated, plans for next year")
            b.near_miss("text.numbering", d.url, "the 一、…四、 and （一）…（七） row labels of the section 三 table are "
                        "table cells of the official format, not a second run of headings")
        if year == last - 2:
            b.defect("annual_report.tables", d.url, "section 三: 本年新收 + 上年结转 does not equal 总计 + 结转下年度")
    b.near_miss("annual_report.missing", b.url(b.cols[k].path), f"has the report for {last}")
    for year in range(2020, 2016, -1):
        d = b.doc("ndbg", f"青山县审计局{year}年政府信息公开工作年度报告", datetime.date(year + 1, 1, 22),
                  body_html=annual.report_old_format(year, 20 + year % 5))
        for check in ("annual_report.structure", "annual_report.tables", "annual_report.fee"):
            b.near_miss(check, d.url, "pre-2021 report in the old format: the 2021 format and the fee statement "
                        "(国办函〔2020〕109号) do not apply")
    b.defect("annual_report.missing", b.url(b.cols["ndbg"].path),
             f"the old site's annual report column stops at 2020: no report for {last} (per-column rule)")


def budget(b: Builder) -> None:
    k = "yjs"
    pdf = att.pdf_document("青山县审计局部门预算公开表", ["一、收支预算总表", "二、一般公共预算支出表", "三、“三公”经费支出表"])

    def trs_file(doc: Doc, ext: str) -> tuple[str, str]:
        name = f"P0{doc.day:%Y%m%d}{doc.extra['id']:012d}.{ext}"
        return "./" + name, doc.path.rsplit("/", 1)[0] + "/" + name

    day = b.ago(420)
    d = b.doc(k, f"青山县审计局{day.year}年部门预算公开", day, ["根据预决算公开有关规定，现将本局部门预算予以公开，具体内容详见附件。"])
    href, path = trs_file(d, "pdf")
    d.attachments.append((href, f"青山县审计局{day.year}年部门预算.pdf"))  # never stored: 404
    b.defect("link.broken", b.url(path), "attachment answers 404", page=d.url, kind="attachment")
    day = b.ago(450)
    d = b.doc(k, f"青山县审计局{day.year - 1}年部门决算公开", day, [])
    href, path = trs_file(d, "pdf")
    d.attachments.append((href, f"青山县审计局{day.year - 1}年部门决算.pdf"))
    b.binary(path, pdf, "application/pdf")
    b.near_miss("text.blank_page", d.url, "no text, but an attachment")
    for doc in b.fill(k):
        href, path = trs_file(doc, "pdf")
        doc.attachments.append((href, doc.title + ".pdf"))
        b.binary(path, pdf, "application/pdf")
    b.defect("column.stale", b.url(b.cols[k].path), "budget column: newest item 420 days old (limit 365)")


def personnel(b: Builder) -> None:
    k = "rsxx"
    day = b.ago(300)
    d = b.doc(k, f"青山县审计局{day.year}年公开招聘编外工作人员拟聘用人员名单公示", day, [
        "根据招聘公告，经笔试、面试、体检和考察，现将拟聘用人员名单予以公示（详见附件），公示期为5个工作日。",
        f"监督电话：{c.OFFICE_PHONE}"], script_attachments=True)
    name = f"P0{day:%Y%m%d}{d.extra['id']:012d}.xlsx"
    rows = [[str(i + 1), c.PEOPLE[i + 2], "女" if i % 2 else "男", num.ROSTER_IDS[i], num.ROSTER_PHONES[i], "综合文秘"]
            for i in range(4)]
    body = att.xlsx_table("拟聘用人员名单", ["序号", "姓名", "性别", "身份证号码", "联系电话", "拟聘岗位"], rows, day)
    url = b.binary(d.path.rsplit("/", 1)[0] + "/" + name, body,
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    d.attachments.append(("./" + name, "名单.xlsx"))
    b.defect("privacy.id_number", url, "unmasked ID numbers in an xlsx 公示 list (linked only from a hasFJ script)",
             page=d.url, text=num.ROSTER_IDS[1])
    b.defect("privacy.phone", url, "unmasked mobile numbers of the people in the xlsx", page=d.url, text=num.ROSTER_PHONES[1])
    b.fill(k)
    b.near_miss("column.stale", b.url(b.cols[k].path), "personnel column: newest item 300 days old (limit 365)")


def planning(b: Builder) -> None:
    from govinspect.demo.seedtext import work_plan

    k = "ghjh"
    day = b.ago(500)
    d = b.doc(k, f"青山县审计局{day.year}年政务公开工作实施方案", day, work_plan(day))
    name = f"P0{day:%Y%m%d}{d.extra['id']:012d}.docx"
    tasks = [["1", "审计结果公告", "办公室、各业务科室", "常年"], ["2", "部门预决算公开", "办公室", "按规定时限"],
             ["3", "政策解读", "法规审理科", "与文件同步"]]
    body = att.docx_document("主要任务分解表", ["青山县审计局政务公开主要任务分解表"], day,
                             table=(["序号", "工作任务", "责任科室", "完成时限"], tasks))
    b.binary(d.path.rsplit("/", 1)[0] + "/" + name, body,
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    d.attachments.append(("./" + name, "主要任务分解表.docx"))
    b.defect("text.punctuation", d.url, "half-width commas and parentheses between Chinese characters", text="工作,积极")
    b.defect("text.typo", d.url, "已示公开 for 以示公开", text="已示公开", suggestion="以示公开")
    b.near_miss("text.doc_number", d.url, "correct 文号 of a referenced document", text=f"青政办〔{day.year - 1}〕126号")
    b.near_miss("disclosure.late", d.url, "the older 文号 belongs to a referenced document, not to this one")
    b.near_miss("text.numbering", d.url, "（一）（二） restart under each new heading: not a repeat")
    b.fill(k)
    b.defect("column.stale", b.url(b.cols[k].path), "planning column: newest item 500 days old (limit 365)")
