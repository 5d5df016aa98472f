"""Name-to-address tables: public-looking names that point into private networks (scope tests), and localhost with
and without an IPv6 address (site facts tests)."""

TABLE = {
    "intranet-cms.example.gov.cn": ["10.1.2.3"],
    "rebind.example.gov.cn": ["169.254.169.254"],
    "preview.example.gov.cn": ["192.168.0.8"],
}


async def fake_dns(host: str) -> list[str]:
    if host not in TABLE:
        raise OSError(f"{host}: not in the test table")
    return TABLE[host]


async def dual_stack(host: str) -> list[str]:
    """`localhost` with an IPv6 address too (the sandbox's hosts file has none): the ipv6 tests' AAAA record."""
    if host != "localhost":
        raise OSError(f"{host}: not in the test table")
    return ["127.0.0.1", "::1"]


async def ipv4_only(host: str) -> list[str]:
    if host != "localhost":
        raise OSError(f"{host}: not in the test table")
    return ["127.0.0.1"]
