"""Planted defects and near misses in the news-like columns (Hanweb news, notices, results, 专题, 留言, 机构)."""

from __future__ import annotations

import datetime

from govinspect.demo import attachments as att
from govinspect.demo import content as c
from govinspect.demo import numbers as num
from checks.builtin.typo import SUSPECTED
from govinspect.demo.plan import DAY, Builder

HIDDEN_HOST = "http://www.yule-88.example/"      # the 暗链 target: reserved TLD, never resolvable
PRIVATE_URL = "http://192.168.1.10:8080/jcms/jcms_files/jcms1/web1/site/art/preview/art_1229403_5800099.html"
DOWNFILE = "/module/download/downfile.jsp?classid=0&filename={}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    cells = lambda tag, row: "<tr>" + "".join(f"<{tag}>{x}</{tag}>" for x in row) + "</tr>"
    return ('<table class="gs-table" border="1" cellspacing="0" width="100%">' + cells("th", header)
            + "".join(cells("td", r) for r in rows) + "</table>")


def downfile(b: Builder, name: str, body: bytes, ext: str) -> str:
    """Store a Hanweb download (real name only in the link text) and return its href."""
    href = DOWNFILE.format(b.hexid("downfile", name) + "." + ext)
    b.binary(href, body, "application/octet-stream", **{"Content-Disposition": f"attachment; filename={b.hexid('downfile', name)}.{ext}"})
    return href


def sjdt(b: Builder) -> None:
    k, r = "sjdt", b.rng("plant", "sjdt")
    for age in (10, 12):  # the newest items: in the column, but NOT on the (stale) homepage block
        title, paras = c.dynamic(r, b.ago(age))
        b.doc(k, title, b.ago(age), paras)
    d = b.doc(k, "县审计局召开党组（扩大）会议传达学习全省审计工作会议精神", b.ago(23), [
        f"{c.md(b.ago(23))}，县审计局召开党组（扩大）会议，传达学习全省审计工作会议精神，研究部署下一阶段重点工作。",
        "会议强调，要深入学习贯彻习进平总书记关于审计工作的重要论述，坚持以习近平新时代中国特色社会主义思想为指导，依法全面履行审计监督职责。"])
    b.defect("text.leader_name", d.url, "leader's name written with a homophone next to 总书记", text="习进平", suggestion="习近平")
    d = b.doc(k, "县审计局开展宪法宣传周活动", b.ago(30), [
        f"{c.md(b.ago(30))}，县审计局在城关镇人民广场开展宪法宣传活动。",
        "活动中，工作人员向过往群众发放《中华人民共合国宪法》和审计法律法规宣传资料，解答群众关心的审计问题。"])
    b.defect("text.formulation", d.url, "country name misspelt (共合国)", text="中华人民共合国", suggestion="中华人民共和国")
    d = b.doc(k, "县审计局召开固定资产投资审计业务培训会", b.ago(45), [
        f"{c.md(b.ago(45))}，县审计局召开固定资产投资审计业务培训会，邀请专家讲解工程结算审核要点。"],
        body_html=f'<div style="display:none;"><a href="{HIDDEN_HOST}" target="_blank">澳门葡京娱乐城 百家乐在线</a></div>')
    b.defect("link.hidden", HIDDEN_HOST, "off-site gambling link inside a display:none div (暗链)", page=d.url)
    old = b.as_of.year - 2
    dead, img = f"/art/{old}/5/8/art_1229401_5799001.html", f"/picture/0/s{b.hexid('img', 'dead')[:19]}.jpg"
    d = b.doc(k, "县审计局召开审计整改工作推进会", b.ago(60), [
        f"{c.md(b.ago(60))}，县审计局召开审计整改工作推进会，逐项梳理审计发现问题的整改进度。",
        f'相关阅读：<a href="{dead}" target="_blank">县审计局部署年度审计整改工作</a>',
        '往期动态请见<a href="/xxgk/sjdt/index.html">审计动态栏目</a>。'],
        body_html=f'<p style="text-align:center;"><img src="{img}" alt="推进会现场"></p>')
    b.defect("link.broken", b.url(dead), "internal article link answers 404 (article deleted)", page=d.url, kind="page")
    b.defect("link.broken", b.url(img), "image answers 404", page=d.url, kind="image")
    b.near_miss("link.broken", b.url("/xxgk/sjdt/index.html"), "301 to the Hanweb column: redirected-ok", page=d.url)
    d = b.doc(k, "县审计局召开党组理论学习中心组学习会", b.ago(75), ["近日，县审计局召开党组理论学习中心组学习会。"])
    b.near_miss("text.blank_page", d.url, "one-line article: thin, but not blank")
    d = b.doc(k, "县审计局召开审计整改经验交流会", b.ago(90), [
        f"{c.md(b.ago(90))}，县审计局召开审计整改经验交流会。",
        "会上，组织干部学习近年来审计整改工作的典型经验做法，交流审计整改跟踪检查工作体会。"])
    b.near_miss("text.leader_name", d.url, "学习近年来 contains 习近年 (one stroke from 习近平) but is ordinary text", text="学习近年来")
    town = c.TOWNS[0]
    d = b.doc(k, f"县审计局完成{town}政府投资建设项目审计", b.ago(100), [
        f"近日，县审计局完成{town}政府投资建设项目审计，审计共核减工程结算金额1,280.5万元，促进完善工程建设管理制度3项。"])
    b.near_miss("text.punctuation", d.url, "half-width comma between digits (1,280.5) is not between Chinese characters")
    _wording(b, k)


def _wording(b: Builder, k: str) -> None:
    """A typo only the statistical detector sees (疑似错别字, a finding apart from the dictionary's) and a law title
    that does not exist, each beside text that must stay quiet."""
    d = b.doc(k, "县审计局开展城乡居民医疗保障资金专项审计", b.ago(110), [
        f"{c.md(b.ago(110))}，县审计局开展城乡居民医疗保障资金专项审计。",
        "审计发现，全县城乡居民医疗报险参保率稳定在95%以上，基金运行总体平稳。"])
    b.defect("text.typo", d.url + SUSPECTED, "医疗报险 for 医疗保险: in no dictionary, found by the language model "
             "(confidence suspected)", page=d.url, text="医疗报险", suggestion="医疗保险", confidence="suspected")
    d = b.doc(k, "县审计局开展生态环境保护专项审计调查", b.ago(115), [
        f"{c.md(b.ago(115))}，县审计局依据《中华人民共和国环境环保法》开展生态环境保护专项审计调查。"])
    b.defect("text.law_title", d.url, "a law that does not exist (环境环保法 for 环境保护法)",
             text="中华人民共和国环境环保法", suggestion="中华人民共和国环境保护法")
    d = b.doc(k, "县审计局开展审计法宣传活动", b.ago(120), [
        f"{c.md(b.ago(120))}，审计组组长王喆同志向群众讲解《中华人民共和国审计法》和《审计法实施条例》。"])
    b.near_miss("text.typo", d.url + SUSPECTED, "a given name after a surname (王喆) is not a typo", page=d.url,
                text="王喆")
    b.near_miss("text.law_title", d.url, "real titles, in full and abbreviated", text="中华人民共和国审计法")


def tpxw(b: Builder) -> None:
    d = b.doc("tpxw", "县审计局开展审计业务技能比武活动", b.ago(40), [])
    b.defect("text.blank_page", d.url, "article page with no main text and no attachment")
    for doc in b.fill("tpxw"):
        src = f"/picture/0/{b.hexid('img', doc.extra['id'])[:19]}.png"
        b.binary(src, att.PNG_1PX, "image/png")
        doc.body_html = f'<p style="text-align:center;"><img src="{src}" alt="{doc.title}"></p>'
    b.defect("column.stale", b.url(b.cols["tpxw"].path), "dynamic column: newest item 40 days old (limit 14)")


def _add_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def tzgg(b: Builder) -> None:
    k = "tzgg"
    fut = _add_year(b.as_of - 10 * DAY)
    d = b.doc(k, f"关于开展{b.as_of.year}年度内部审计工作质量检查的通知", fut, c.notice(b.rng("n1"), fut)[1])
    b.defect("text.date", d.url, "publication date in the future (year typed wrong)", text=fut.isoformat())
    day = b.ago(30)
    d = b.doc(k, f"关于公开征集{day.year + 1}年度审计项目计划建议的公告", day, [
        "为提高审计项目计划的科学性和针对性，现面向社会公开征集审计项目计划建议。",
        f"征集截止时间：{c.cn_date(b.as_of + 15 * DAY)}。", f"咨询电话：{num.HOTLINE_MOBILE}（局办公室）"])
    b.near_miss("privacy.phone", d.url, "a single office hotline next to 咨询电话", text=num.HOTLINE_MOBILE)
    b.near_miss("text.date", d.url, "a deadline in the future is not a future publication date")
    day = b.ago(45)
    no = f"青审〔{day.year}〕第05号"
    d = b.doc(k, f"青山县审计局关于印发《{day.year}年度内部审计工作要点》的通知", day, [
        "各有关单位：", f"现将《{day.year}年度内部审计工作要点》印发给你们，请结合实际认真贯彻落实。", no, c.cn_date(day)],
        doc_no=no, written=day)
    b.defect("text.doc_number", d.url, "文号 with 第 and a leading zero", text=no, suggestion=f"青审〔{day.year}〕5号")
    day = b.ago(60)
    d = b.doc(k, f"关于做好{day.year + 1}年度审计项目计划编制工作的通知", day, [
        "各有关单位：", "为做好年度审计项目计划编制工作，请于本月底前报送审计项目计划建议。",
        f'具体格式详见<a href="{PRIVATE_URL}" target="_blank">附表样式</a>。'])
    b.defect("link.private", PRIVATE_URL, "CMS preview link to a private address pasted by an editor (never request it)", page=d.url)
    day = b.ago(70)
    rows = [[str(i + 1), c.PEOPLE[i], c.UNITS[i], num.ROSTER_PHONES[i]] for i in range(4)]
    d = b.doc(k, f"关于公布{day.year}年度特约审计员名单的公告", day, ["经研究，现将本年度特约审计员名单公布如下："],
              body_html=_table(["序号", "姓名", "工作单位", "联系电话"], rows))
    b.defect("privacy.phone", d.url, "personal mobile numbers in a table of people", text=num.ROSTER_PHONES[0])
    day = b.ago(80)
    rows = [[str(i + 1), c.PEOPLE[i], "男" if i % 2 == 0 else "女", num.ROSTER_IDS[i], c.UNITS[i]] for i in range(4)]
    body = att.docx_document("拟聘任特约审计员名单", ["经个人申请、单位推荐、资格审查，拟聘任以下同志为特约审计员："], day,
                             table=(["序号", "姓名", "性别", "身份证号码", "工作单位"], rows))
    href = downfile(b, "tsy-docx", body, "docx")
    d = b.doc(k, f"关于拟聘任{day.year}年度特约审计员的公示", day, ["现将拟聘任特约审计员名单予以公示，公示期为5个工作日。"],
              attachments=[(href, "拟聘任特约审计员名单.docx")])
    b.defect("privacy.id_number", b.url(href), "unmasked ID numbers in a docx 公示 list", page=d.url, text=num.ROSTER_IDS[0])
    day = b.ago(95)
    lines = ["经各单位推荐、评审，拟表彰以下同志为全县内部审计工作先进个人：", "序号　姓名　身份证号码　联系电话"]
    lines += [f"{i + 1}　{c.PEOPLE[i + 4]}　{num.mask_id(num.ROSTER_IDS[i])}　{num.mask_phone(num.ROSTER_PHONES[i])}" for i in range(4)]
    href = downfile(b, "xjgr-pdf", att.pdf_document("全县内部审计工作先进个人名单", lines), "pdf")
    masked = [[str(i + 1), c.PEOPLE[i + 4], num.mask_id(num.ROSTER_IDS[i]), num.mask_phone(num.ROSTER_PHONES[i])]
              for i in range(4)]
    d = b.doc(k, f"关于{day.year - 1}年度全县内部审计工作先进个人的公示", day, ["现将拟表彰名单予以公示（详见附件）。"],
              body_html=_table(["序号", "姓名", "身份证号码", "联系电话"], masked), attachments=[(href, "先进个人名单.pdf")])
    b.near_miss("privacy.phone", d.url, "table of people with masked IDs and mobiles (139****1001)",
                text=num.mask_phone(num.ROSTER_PHONES[0]))
    b.near_miss("privacy.id_number", b.url(href), "PDF with masked ID numbers only", page=d.url, text=num.mask_id(num.ROSTER_IDS[0]))
    b.near_miss("privacy.phone", b.url(href), "PDF with masked mobile numbers only", page=d.url)
    b.fill(k)


def sjjg(b: Builder) -> None:
    k = "sjjg"
    day = b.ago(50)
    d = b.doc(k, f"关于{c.UNITS[2]}{day.year - 1}年度预算执行情况审计结果的公告", day, [
        f"根据《中华人民共和国审计法》的规定，县审计局对{c.UNITS[2]}{day.year - 1}年度预算执行情况进行了审计，现将审计结果公告如下：",
        "一、基本情况：该单位预算收支总体规范。", "二、审计发现的主要问题：部分专项资金拨付不及时。",
        "四、审计处理及整改情况：被审计单位已按要求完成整改。"])
    b.defect("text.numbering", d.url, "headings skip from 二、 to 四、", text="四、")
    day = b.ago(70)
    t, p = c.audit_result(b.rng("a2"), day)
    d = b.doc(k, t, day, p, drop_meta=("ContentSource", "PubDate"))
    b.defect("meta.tags", d.url, "article lacks the PubDate and ContentSource meta tags")
    b.near_miss("meta.pubdate", d.url, "no PubDate meta, but the page shows 发布日期")
    day = b.ago(90)
    t, p = c.audit_result(b.rng("a3"), day)
    d = b.doc(k, t, day, [*p, f"审计项目编号：{num.PROJECT_NO}"])
    b.near_miss("privacy.id_number", d.url, "ID-shaped project number with a wrong check character", text=num.PROJECT_NO)
    day = b.ago(110)
    t, p = c.audit_result(b.rng("a4"), day)
    d = b.doc(k, t, day, [*p, f"请被审计单位将应缴资金上缴至县财政局非税收入汇缴结算户，账号：{num.BANK_CARD_BAD}。"])
    b.near_miss("privacy.bank_card", d.url, "19 digits next to 账号 that fail the Luhn check", text=num.BANK_CARD_BAD)
    b.fill(k)


def ztzl(b: Builder) -> None:
    k = "ztzl"
    d = b.doc(k, "县审计局推进扫黑除恶常态化工作", b.ago(35), [
        "近日，县审计局召开专题会议，部署深入推进扫黑险恶常态化工作，要求在审计中注意发现涉黑涉恶问题线索。"])
    b.defect("text.formulation", d.url, "slogan misspelt (an input-method slip seen on many sites)", text="扫黑险恶", suggestion="扫黑除恶")
    d = b.doc(k, "县审计局开展“清廉机关”建设主题宣传活动", b.ago(50), [
        "县审计局组织开展“清廉机关”建设主题宣传活动，营造崇廉尚洁的良好氛围。"], pub=False)
    b.defect("meta.pubdate", d.url, "article page shows no publication date at all (the list shows one)")
    b.defect("meta.tags", d.url, "article lacks the PubDate meta tag")
    day = b.ago(65)
    d = b.doc(k, f"关于{day.year}年度特约审计员工作补贴发放情况的公示", day, [
        "根据特约审计员管理有关规定，现将工作补贴发放情况公示如下：",
        f"户名：{c.PEOPLE[0]}　开户银行：青山农商银行城关支行　账号：{num.BANK_CARD}　金额：1200元"])
    b.defect("privacy.bank_card", d.url, "Luhn-valid personal card number next to 账号", text=num.BANK_CARD)
    d = b.doc(k, "县审计局召开审计质量分析会", b.ago(80), [
        "（内部资料，请勿外传）县审计局召开审计质量分析会，通报审计项目复核中发现的问题。"])
    b.defect("text.sensitive", d.url, "a word of the site's own sensitive-word list (configure sensitive_words)", text="内部资料")
    b.fill(k)


def lyb(b: Builder) -> None:
    k, r = "lyb", b.rng("plant", "lyb")

    def message(age: int, reply_after: int | None) -> object:
        day = b.ago(age)
        title, ask, reply = c.message(r, day)
        extra = {"ask": ask, "who": "王**", "reply": reply}
        if reply_after is not None:
            extra["reply_day"] = min(b.as_of, day + reply_after * DAY)
        return b.doc(k, title, day, extra=extra)

    message(5, 3)
    d = message(20, None)
    b.near_miss("interaction.unanswered", d.url, "unanswered for 20 days: within 3 months")
    d = message(120, None)
    b.defect("interaction.unanswered", d.url, "message 120 days old, no reply", column=b.url(b.cols[k].path))
    d = message(200, 6)
    b.near_miss("interaction.unanswered", d.url, "answered 6 days after it was left")
    count = b.target_count(k) - len(b.cols[k].docs)
    for day in b.filler_days(k, max(0, count)):
        message((b.as_of - day).days, r.randint(2, 7))
