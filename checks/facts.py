"""What the site-fact checks share: the run's observation of the site as a whole, or the reason it is missing."""

from __future__ import annotations

from checks.api import CheckSkipped, CrawlView


def observed(crawl: CrawlView, name: str, what: str) -> dict:
    """The run's fact `name` (crawler/sitefacts.py), or CheckSkipped when the run did not observe `what`."""
    fact = crawl.fact(name)
    if fact is None:
        raise CheckSkipped(f"本次采集没有观测{what}（较早或中断的采集）")
    return fact
