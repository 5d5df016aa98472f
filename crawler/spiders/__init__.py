"""Scrapy spiders of govinspect."""
