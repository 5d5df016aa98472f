"""Fictional personal numbers for the planted privacy defects: GB 11643 IDs, Luhn card numbers, phones."""

from __future__ import annotations

import datetime

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

# The GB 11643 sample number itself (a published example, nobody's real ID).
SAMPLE_ID = "11010519491231002X"


def id_check_char(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def make_id(region: str, birth: datetime.date, seq: int) -> str:
    """A checksum-valid 18-character ID on the sample's region code (fictional person)."""
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def id_is_valid(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_check_char(number[:17]) == number[17].upper()


def bad_check_id(region: str, birth: datetime.date, seq: int) -> str:
    """Same shape and a real date, but a wrong check character: must NOT count as an ID."""
    good = make_id(region, birth, seq)
    wrong = next(c for c in "0123456789" if c != good[17])
    return good[:17] + wrong


def mask_id(number: str) -> str:
    return number[:6] + "*" * 8 + number[14:]


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_complete(prefix: str) -> str:
    """Append the digit that makes `prefix` pass the Luhn check."""
    return next(prefix + d for d in "0123456789" if luhn_ok(prefix + d))


def luhn_broken(prefix: str) -> str:
    good = luhn_complete(prefix)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


def mask_phone(number: str) -> str:
    return number[:3] + "****" + number[7:]


# Numbers used by the planted pages and attachments (all fictional, patterned on purpose).
REGION = SAMPLE_ID[:6]
ROSTER_IDS = (
    SAMPLE_ID,
    make_id(REGION, datetime.date(1986, 5, 12), 31),
    make_id(REGION, datetime.date(1991, 9, 3), 42),
    make_id(REGION, datetime.date(1994, 2, 17), 26),
)
ROSTER_PHONES = ("13900001001", "13700002002", "15800003003", "18800004004")
HOTLINE_MOBILE = "13900005005"
BANK_CARD = luhn_complete("621700123456789012")        # 19 digits, Luhn-valid
BANK_CARD_BAD = luhn_broken("621700987654321098")      # 19 digits, fails Luhn
PROJECT_NO = bad_check_id("339900", datetime.date(2025, 3, 5), 1)  # ID-shaped, wrong check char
