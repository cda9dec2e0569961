"""The arithmetic of the money, in whole won (integers only, never floats).

The rounding rule of the split by source: the city's share (시비) is the total
times the call's city percentage, **rounded down to the won**; the district's
share (구비) is the rest (total − city share), so the two always add up to the
total and any odd won is the district's.
"""


def split_by_ratio(total: int, city_percent: int) -> tuple[int, int]:
    """(city share, district share) of ``total`` won for a city share of
    ``city_percent`` per cent."""
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise ValueError("total must be a whole number of won, 0 or more")
    if isinstance(city_percent, bool) or not 0 <= city_percent <= 100:
        raise ValueError("city_percent must be between 0 and 100")
    city = total * city_percent // 100
    return city, total - city
