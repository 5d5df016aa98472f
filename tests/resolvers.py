"""A name-to-address table for the scope tests: public-looking names that point into private networks."""

TABLE = {
    "intranet-cms.example.gov.cn": ["10.1.2.3"],
    "rebind.example.gov.cn": ["169.254.169.254"],
    "preview.example.gov.cn": ["192.168.0.8"],
}


async def fake_dns(host: str) -> list[str]:
    if host not in TABLE:
        raise OSError(f"{host}: not in the test table")
    return TABLE[host]
