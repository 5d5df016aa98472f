"""The baseline of the crawl benchmark: a bare Scrapy spider that follows every on-site <a href> and nothing else."""

from urllib.parse import urlsplit

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start_url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_url = start_url
        self.allowed_domains = [urlsplit(start_url).hostname]
        self.pages = 0

    async def start(self):
        yield scrapy.Request(self.start_url)

    def parse(self, response):
        self.pages += 1
        if not isinstance(response, scrapy.http.TextResponse):
            return
        for href in response.css("a::attr(href)").getall():
            if not href.strip().lower().startswith(("javascript:", "mailto:", "tel:", "#")):
                yield response.follow(href)

    def closed(self, reason):
        print(f"bare-pages {self.pages}", flush=True)
