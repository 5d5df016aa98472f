"""disclosure.late (主动公开超期): working days between a document's own date and its publication, with Chinese
public holidays and make-up working days; years the calendar does not know fall back to Monday to Friday."""

from __future__ import annotations

import pytest

from conftest import AS_OF, planted
from textsite import article, crawl_and_check, fired, findings, listing

from checks.textutil import own_doc_numbers, run_check


def late(text: str, published: str, document_date: str | None = None, options: dict | None = None) -> list:
    page = {"text": text, "published": published, "published_source": "meta", "document_date": document_date}
    return run_check("disclosure.late", [page], options, as_of=AS_OF)


CASES = [
    # (document date, publication, fires, why)
    ("2026-04-24", "2026-06-23", True, "60 days, 39 working days"),
    ("2026-10-23", "2026-10-26", False, "a few days"),
    ("2026-06-01", "2026-06-30", False, "20 working days exactly (端午 on 19 June)"),
    ("2026-06-01", "2026-07-01", True, "21 working days"),
    ("2026-09-23", "2026-10-28", False, "35 days over 中秋 and 国庆: 20 working days (10 October is worked)"),
    ("2026-09-23", "2026-10-29", True, "21 working days over 中秋 and 国庆"),
    ("2026-02-05", "2026-03-09", False, "32 days over 春节: 18 working days (14 and 28 February are worked)"),
    ("2026-10-26", "2026-10-20", False, "made after its publication: not late"),
    # documents no office can publish faster: made before the 条例, or an archive release
    ("1981-06-15", "2018-09-20", False, "a 1981 document a national portal put online in 2018"),
    ("2004-03-10", "2018-09-20", False, "a 2004 document put online in 2018"),
    ("2008-04-30", "2008-07-01", False, "made the day before the 条例 took effect"),
    ("2008-05-01", "2008-07-01", True, "made the day it took effect, 42 working days later"),
    ("2015-09-19", "2018-09-20", False, "published more than 3 years later: an archive release"),
    ("2015-09-20", "2018-09-20", True, "exactly 3 years later: still a late disclosure"),
    ("2016-02-29", "2019-02-28", True, "3 years from 29 February end on 28 February"),
    ("2016-02-29", "2019-03-01", False, "a day more: an archive release"),
]


@pytest.mark.parametrize("made, published, expected, why", CASES, ids=[c[3] for c in CASES])
def test_late_by_working_days_not_before_2008_nor_archive(made, published, expected, why):
    assert bool(late("现将办法印发给你们。", published, made)) == expected, why


def test_the_limit_is_an_option():
    assert late("办法。", "2026-10-30", "2026-10-23", {"max_working_days": 4})
    assert not late("办法。", "2026-10-30", "2026-10-23")


def test_a_year_the_calendar_does_not_know_is_counted_monday_to_friday_and_says_so():
    (finding,) = late("办法。", "2027-03-01", "2027-01-04")
    evidence = finding.evidence
    assert evidence["calendar_fallback_years"] == [2027] and "按周一至周五计算" in evidence["calendar"]
    assert evidence["working_days"] == 40  # 4 January to 1 March 2027, Monday to Friday; 春节 not known


def test_evidence_quotes_the_date_as_written():
    text = "第三条 本办法自印发之日起施行。\n青山县审计局 青审〔2026〕15号\n2026年4月24日"
    (finding,) = late(text, "2026-06-23", "2026-04-24")
    evidence = finding.evidence
    assert evidence["text"] == "2026年4月24日" and evidence["context"].endswith("2026年4月24日")
    assert evidence["working_days"] == 39 and evidence["basis"] == "成文日期" and evidence["limit_days"] == 20
    assert finding.message == "成文日期 2026-04-24，2026-06-23 才公开，相隔 39 个工作日，超过 20 个工作日"


@pytest.mark.parametrize("text, own", [
    ("现将办法印发给你们。\n青山县审计局 青审〔2024〕15号\n", ["青审〔2024〕15号"]),
    ("青审〔2024〕15号\n现将办法印发给你们。", ["青审〔2024〕15号"]),
    ("文号：青审〔2024〕15号\n现将办法印发给你们。", ["青审〔2024〕15号"]),
    ("根据《通知》（青政办〔2024〕126号）要求，制定本方案。", []),
    ("按照青政办〔2024〕126号文件精神执行。", []),
])
def test_own_doc_number_is_at_the_head_or_the_foot(text, own):
    assert [m.text for m in own_doc_numbers(text)] == own


def test_only_the_year_of_the_own_doc_number_known():
    (finding,) = late("现将办法印发给你们。\n青山县审计局 青审〔2024〕15号", "2025-07-08")
    assert finding.evidence["basis"] == "文号年份" and finding.evidence["document_date"] == "2024-12-31"
    assert "青审〔2024〕15号" in finding.message
    assert not late("根据（青政办〔2024〕126号）要求，制定本方案。", "2025-07-08")  # a cited 文号
    assert not late("现将办法印发给你们。\n青山县审计局 青审〔2025〕15号", "2025-07-08")  # the same year


@pytest.mark.parametrize("closing", ["2026年4月24日", "二〇二六年四月二十四日", "（2026年4月24日）"])
def test_the_date_that_closes_the_document_wins_over_a_cms_date(closing):
    """A Hanweb 生成日期 of the publication day does not hide the 成文日期 signed at the end."""
    text = f"现将办法印发给你们。\n青山县审计局\n{closing}"
    (finding,) = late(text, "2026-06-23", "2026-06-23")
    assert finding.evidence["document_date"] == "2026-04-24" and finding.evidence["text"] in closing


def test_a_date_inside_the_text_is_not_the_documents_date():
    assert not late("会议定于2026年1月5日召开，请准时参加。\n特此通知。", "2026-06-23")


def test_a_date_read_from_the_url_is_not_a_publication_date():
    page = {"text": "办法。", "published": "2026-06-23", "published_source": "url", "document_date": "2026-01-04"}
    assert run_check("disclosure.late", [page], as_of=AS_OF) == []


# ---- end to end ----------------------------------------------------------------------------------------------

PAGES = {
    "/news/late.html": ("关于印发审计结果公告办法的通知", ["现将办法印发给你们，请认真贯彻执行。", "青山县审计局 青审〔2026〕15号",
                                               "2026年4月24日"], "2026-06-23"),
    "/news/ontime.html": ("关于印发项目计划管理办法的通知", ["现将办法印发给你们，请认真贯彻执行。", "青山县审计局 青审〔2026〕3号",
                                               "2026年10月23日"], "2026-10-26"),
    "/news/cited.html": ("青山县审计局2025年政务公开工作实施方案", ["根据《通知》（青政办〔2024〕126号）要求，制定本方案。"],
                         "2025-07-08"),
}


@pytest.fixture(scope="module")
def site(module_site_server, tmp_path_factory):
    routes = {path: article(title, body, day) for path, (title, body, day) in PAGES.items()}
    routes["/news/list.html"] = listing([(path, title, day) for path, (title, _, day) in PAGES.items()])
    routes["/"] = '<html><head><meta charset="utf-8"><title>青山县审计局</title></head><body></body></html>'
    base = module_site_server(routes)
    return findings(crawl_and_check(tmp_path_factory.mktemp("late-site"), base))


@pytest.mark.parametrize("path, expected", [("/news/late.html", True), ("/news/ontime.html", False),
                                            ("/news/cited.html", False)])
def test_end_to_end(site, path, expected):
    assert (("disclosure.late", path) in fired(site)) == expected


def test_end_to_end_evidence(site):
    row = next(r for r in site if r["check_id"] == "disclosure.late")
    assert row["evidence"]["text"] == "2026年4月24日" and row["evidence"]["published"] == "2026-06-23"
    assert row["severity"] == "major" and row["column_name"] == "工作动态"


def test_sample_site(sample_checked):
    card = planted(sample_checked, "disclosure.late")
    assert card["defects"] and card["missed"] == [] and card["fired"] == []


# ---- documents no office can publish faster --------------------------------------------------------------------

def test_a_document_signed_in_1981_published_in_2018():
    text = "各省、自治区、直辖市人民政府：\n现将有关规定印发给你们，请遵照执行。\n国务院办公厅\n一九八一年六月十五日"
    assert not late(text, "2018-09-20")
    assert late(text, "1981-09-20", options={"max_working_days": 20}) == []  # before the 条例: no limit at all


@pytest.mark.parametrize("number, published, expected", [
    ("青审〔2008〕15号", "2009-07-01", False),  # its year alone: it may have been made before May 2008
    ("青审〔2009〕15号", "2010-07-01", True),
    ("青审〔2012〕15号", "2018-09-20", False),  # an archive release
])
def test_a_doc_numbers_year_alone(number, published, expected):
    assert bool(late(f"现将办法印发给你们。\n青山县审计局 {number}", published)) == expected


def test_the_archive_threshold_is_an_option():
    assert late("办法。", "2018-09-20", "2015-03-02", {"archive_years": 10})
    assert not late("办法。", "2018-09-20", "2015-03-02")
