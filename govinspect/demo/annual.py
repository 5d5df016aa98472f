"""Annual report texts: the 2021 format with its tables, a Yueqing-style defective report, old-format reports."""

from __future__ import annotations

_ORGS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
_SEC3 = (
    ("一、本年新收政府信息公开申请数量", "new"), ("二、上年结转政府信息公开申请数量", "carried"),
    ("三、本年度办理结果", None), ("（一）予以公开", "open"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "zero"),
    ("（三）不予公开", None), ("1.属于国家秘密", "zero"), ("2.其他法律行政法规禁止公开", "zero"),
    ("3.危及“三安全一稳定”", "zero"), ("4.保护第三方合法权益", "zero"), ("5.属于三类内部事务信息", "zero"),
    ("6.属于四类过程性信息", "zero"), ("7.属于行政执法案卷", "zero"), ("8.属于行政查询事项", "zero"),
    ("（四）无法提供", None), ("1.本机关不掌握相关政府信息", "nohold"), ("2.没有现成信息需要另行制作", "zero"),
    ("3.补正后申请内容仍不明确", "zero"), ("（五）不予处理", None), ("1.信访举报投诉类申请", "zero"),
    ("2.重复申请", "zero"), ("3.要求提供公开出版物", "zero"), ("4.无正当理由大量反复申请", "zero"),
    ("5.要求行政机关确认或重新出具已获取信息", "zero"), ("（六）其他处理", None),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "zero"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "zero"),
    ("3.其他", "zero"), ("（七）总计", "total"), ("四、结转下年度继续办理", "zero"),
)
_TD = '<td style="border:1px solid #000;text-align:center;">'


def _row(cells: list[str]) -> str:
    return "<tr>" + "".join(f"{_TD}{c}</td>" for c in cells) + "</tr>"


def _vec(n: int) -> list[str]:
    # All applicants in a small bureau's report are natural persons: the total equals that column.
    return [str(n), "0", "0", "0", "0", "0", str(n)]


def _tables_sec2(rules_made: int, rules_valid: int) -> str:
    t = '<table style="border-collapse:collapse;width:100%;" class="nb-table">'
    return (
        f'{t}<tr><td colspan="4">第二十条第（一）项</td></tr>'
        + _row(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
        + _row(["规章", "0", "0", "0"]) + _row(["行政规范性文件", str(rules_made), "0", str(rules_valid)]) + "</table>"
        + f'{t}<tr><td colspan="2">第二十条第（五）项</td></tr>' + _row(["信息内容", "本年处理决定数量"])
        + _row(["行政许可", "0"]) + "</table>"
        + f'{t}<tr><td colspan="2">第二十条第（六）项</td></tr>' + _row(["信息内容", "本年处理决定数量"])
        + _row(["行政处罚", "0"]) + _row(["行政强制", "0"]) + "</table>"
        + f'{t}<tr><td colspan="2">第二十条第（八）项</td></tr>' + _row(["信息内容", "本年收费金额（单位：万元）"])
        + _row(["行政事业性收费", "0"]) + "</table>"
    )


def _table_sec3(new: int, opened: int, nohold: int, total: int) -> str:
    values = {"new": new, "carried": 0, "open": opened, "nohold": nohold, "total": total, "zero": 0}
    head = ('<tr><td colspan="2" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
            '<td colspan="7">申请人情况</td></tr><tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td>'
            '<td rowspan="2">总计</td></tr>' + _row(list(_ORGS[1:6])))
    rows = "".join(_row([label] + (_vec(values[key]) if key else [""] * 7)) for label, key in _SEC3)
    return f'<table style="border-collapse:collapse;width:100%;" class="nb-table">{head}{rows}</table>'


def _table_sec4() -> str:
    head = ('<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
            '<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td>'
            '<td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td>'
            '<td colspan="5">复议后起诉</td></tr>' + _row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2))
    return f'<table style="border-collapse:collapse;width:100%;" class="nb-table">{head}{_row(["0"] * 15)}</table>'


def _h(text: str) -> str:
    return f'<p style="text-indent:2em;"><strong>{text}</strong></p>'


def _p(text: str) -> str:
    return f'<p style="text-indent:2em;">{text}</p>'


def report_2021(year: int, *, published: int, requests: int = 2, broken_total: bool = False) -> tuple[str, list[str]]:
    """A complete 2021-format report (HTML, and plain paragraphs for its docx copy).

    `broken_total` makes the 总计 row of section 三 disagree with new + carried (annual_report.tables)."""
    opened, nohold = requests - 1, 1
    total = requests - 1 if broken_total else requests
    paras = [
        f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求编制，所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、总体情况",
        f"（一）主动公开情况。{year}年，我局坚持“以公开为常态、不公开为例外”，全年通过门户网站主动公开政府信息{published}条，其中审计结果公告8条，审前公示5条，部门预决算2条，人事信息3条。",
        f"（二）依申请公开情况。全年共受理政府信息公开申请{requests}件，均在法定期限内答复，未发生因政府信息公开引起的行政复议和行政诉讼。",
        "（三）政府信息管理情况。严格执行发布内容审查程序，按照录入与审核发布相分离的原则，信息经科室负责人、分管局领导逐级审核后由办公室统一发布。",
        "（四）平台建设情况。持续优化门户网站信息公开专栏，定期开展栏目自查，及时更新审计动态和审计结果公告。",
        "（五）监督保障情况。将政务公开工作纳入年度考核，定期开展督查并及时整改发现的问题。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "一是政策解读形式较为单一，图文解读材料不足；二是信息公开与公众互动有待加强。",
        f"{year + 1}年，我局将进一步拓宽政务公开广度深度，丰富政策解读形式，加强日常监测，重点对栏目更新、链接有效性等内容开展检查。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。无其他需要报告的事项。",
    ]
    tables = {7: _tables_sec2(2, 11), 8: _table_sec3(requests, opened, nohold, total), 9: _table_sec4()}
    heads = {1, 7, 8, 9, 10, 13}
    html = "".join((_h(t) if i in heads else _p(t)) + tables.get(i, "") for i, t in enumerate(paras))
    return html, paras


def report_yueqing_style(year: int) -> str:
    """Shaped like the real 2021 Yueqing audit bureau report: not the 2021 format, no tables, no fee
    line, and its 改进措施 plans for its own year ("{year}年，我局将继续…")."""
    paras = [
        f"{year}年，青山县审计局坚持以习近平新时代中国特色社会主义思想为指导，紧紧围绕县委、县政府中心工作，认真贯彻执行《中华人民共和国政府信息公开条例》，不断完善政务公开制度，有力有序推进政务公开工作。现将我局{year}年度政府信息公开工作开展情况报告如下：",
        "#一、总体情况概述",
        f"（一）主动公开情况。截至{year}年底，我局累计主动公开政府信息37条，其中机构设置15条，政策文件2条，规划信息2条，部门预决算2条，人事信息3条，审计信息公开12条。",
        "（二）依申请公开情况。我局持续规范依申请公开答复工作，全年共受理依申请公开件0件，无因政府信息公开引起的行政复议或行政诉讼。",
        "（三）政府信息管理。严格执行发布内容审查程序，定期对各栏目开展自查回访。",
        "（四）平台建设情况。加强审计信息公开管理，丰富信息公开内容，强化信息发布的及时性和准确性。",
        "#二、存在的主要问题",
        "一是解读回应创新性有待提高，政策文件的图文解读材料不足；二是信息公开与公众互动有差距。",
        "#三、改进措施",
        f"{year}年，我局将继续认真按照国务院、省市关于政务公开工作的有关要求，结合我局实际，进一步完善体制机制建设，继续深化重点领域审计信息公开力度，不断提高日常监测运维管理水平。",
        "一是在拓宽政务公开广度深度上下功夫。二是在推动政务公开规范开展上下功夫。三是在强化政务公开考核培训上下功夫。",
    ]
    return "".join(_h(t[1:]) if t.startswith("#") else _p(t) for t in paras)


def report_old_format(year: int, published: int) -> str:
    """Pre-2021 format (概述 / 主动公开 / 依申请公开 / 问题及改进 / 统计表), as on the old site."""
    paras = [
        f"本报告根据《中华人民共和国政府信息公开条例》要求编制，由概述、主动公开政府信息情况、依申请公开政府信息情况、存在的主要问题及改进措施和统计表组成。统计期限自{year}年1月1日至{year}年12月31日。",
        "#一、概述",
        f"{year}年，我局认真贯彻落实政府信息公开工作各项要求，明确专人负责政府信息公开工作。",
        "#二、主动公开政府信息情况",
        f"全年主动公开政府信息{published}条，主要包括审计动态、审计结果公告和部门预决算等。",
        "#三、依申请公开政府信息情况",
        "全年未收到政府信息公开申请，未发生政府信息公开行政复议和行政诉讼。",
        "#四、存在的主要问题及改进措施",
        f"公开内容还不够丰富。{year + 1}年，我局将进一步加大审计结果公开力度。",
        "#五、政府信息公开情况统计表",
    ]
    table = ('<table class="nb-table">' + _row(["指标名称", "计量单位", "本年度"])
             + _row(["主动公开信息数", "条", str(published)]) + _row(["受理依申请公开信息总数", "条", "0"])
             + _row(["行政复议数", "件", "0"]) + _row(["行政诉讼数", "件", "0"]) + "</table>")
    return "".join(_h(t[1:]) if t.startswith("#") else _p(t) for t in paras) + table
