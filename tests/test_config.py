"""Site configuration: valid files load with defaults; every mistake is one line naming file and key, exit 2."""

from __future__ import annotations

import pytest

from govinspect.config import ConfigError, load_config, private_kind

from conftest import run_cli

GOOD = """
[site]
name = "某县审计局"
base_url = "https://sjj.example.gov.cn/"

[crawl]
max_pages = 100
delay_seconds = 1

[[columns]]
name = "审计动态"
url = "https://sjj.example.gov.cn/col/col123/index.html"
category = "dynamic"
max_age_days = 10

[checks]
disable = ["text.punctuation"]
[checks.options."interpretation.late"]
max_working_days = 3

[schedule]
cron = "0 2 * * *"
"""


def test_good_config_loads_with_defaults(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text(GOOD, encoding="utf-8")
    config = load_config(path)
    assert config.site.allowed_domains == ["sjj.example.gov.cn"]
    assert config.site.level == "department" and config.site.timezone == "Asia/Shanghai"
    assert config.crawl.max_pages == 100 and config.crawl.delay_seconds == 1.0
    assert config.crawl.timeout_seconds == 15 and config.crawl.concurrency_per_host == 2
    assert config.columns[0].category == "dynamic" and config.columns[0].max_age_days == 10
    assert config.checks.disable == ["text.punctuation"]
    assert config.checks.options == {"interpretation.late": {"max_working_days": 3}}


BAD = [
    ("[site\nname='x'", None, "not valid TOML"),
    ('[site]\nname = "x"\n', "site.base_url", "required key is missing"),
    ('[site]\nname = "x"\nbase_url = "ftp://x/"\n', "site.base_url", "not an http(s) URL"),
    ('[site]\nname = "x"\nbase_url = "http://x.gov.cn/"\ncolour = 1\n', "site.colour", "unknown key"),
    ('[site]\nname = "x"\nbase_url = "http://x.gov.cn/"\n[crawel]\n', "crawel", "unknown key"),
    ('[site]\nname = "x"\nbase_url = "http://x.gov.cn/"\n[crawl]\nmax_pages = "many"\n', "crawl.max_pages",
     "must be an integer"),
    ('[site]\nname = "x"\nbase_url = "http://x.gov.cn/"\n[crawl]\nmax_pages = 0\n', "crawl.max_pages",
     "greater than 0"),
    ('[site]\nname = "x"\nbase_url = "http://x.gov.cn/"\nlevel = "county"\n', "site.level", "must be one of"),
    ('[site]\nname = "x"\nbase_url = "http://x.gov.cn/"\ntimezone = "Mars/Base"\n', "site.timezone",
     "unknown time zone"),
    ('[site]\nname = "x"\nbase_url = "http://x.gov.cn/"\n[[columns]]\nname = "动态"\nurl = "http://x.gov.cn/a"\n'
     'category = "news"\n', "columns[0].category", "unknown category"),
    ('[site]\nname = "x"\nbase_url = "http://x.gov.cn/"\n[[columns]]\nname = "动态"\nurl = "not a url"\n',
     "columns[0].url", "not an http(s) URL"),
    ('[crawl]\nmax_pages = 3\n', "[site]", "missing section"),
    # negative or zero numbers where they make no sense
    ('[site]\nname = "x"\nbase_url = "http://x.gov.cn/"\n[crawl]\nmax_depth = -3\n', "crawl.max_depth",
     "greater than 0"),
    ('[site]\nname = "x"\nbase_url = "http://x.gov.cn/"\n[crawl]\ndelay_seconds = -0.5\n', "crawl.delay_seconds",
     "must not be negative"),
    ('[site]\nname = "x"\nbase_url = "http://x.gov.cn/"\n[[columns]]\nname = "动态"\nurl = "http://x.gov.cn/a"\n'
     'max_age_days = -14\n', "columns[0].max_age_days", "greater than 0"),
    ('[site]\nname = "x"\nbase_url = "http://x.gov.cn/"\n[schedule]\nprobe_minutes = -60\n', "schedule.probe_minutes",
     "must not be negative"),
]


@pytest.mark.parametrize("text, key, problem", BAD)
def test_bad_config_names_file_and_key(tmp_path, text, key, problem):
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert message.startswith(str(path)) and problem in message
    if key:
        assert key in message


@pytest.mark.parametrize("text, key, problem", [BAD[0], BAD[3], BAD[9], BAD[-4]])
def test_cli_reports_bad_config_in_one_line_exit_2(tmp_path, text, key, problem):
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("crawl", "-c", str(path), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert str(path) in lines[0] and problem in lines[0] and (key is None or key in lines[0])


def test_cli_missing_config_file(tmp_path):
    missing = tmp_path / "nowhere.toml"
    result = run_cli("audit", "-c", str(missing), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {missing}: file not found"


@pytest.mark.parametrize("host, kind", [
    ("127.0.0.1", "loopback"), ("localhost", "loopback"), ("[::1]", "loopback"), ("10.1.2.3", "private"),
    ("192.168.1.10", "private"), ("172.16.0.5", "private"), ("169.254.169.254", "link-local"),
    ("oa", "intranet"), ("cms.intranet", "intranet"), ("sjj.example.gov.cn", None), ("8.8.8.8", None),
])
def test_private_address_kinds(host, kind):
    assert private_kind(host) == kind
