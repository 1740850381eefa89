"""the archive page's month counts, as Jinja's groupby used to make them."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from types import SimpleNamespace

import jinja2
from warta.site.listings import archive_years

OLD = ('{% for year in dates|groupby(attribute="date.year")|reverse %}{{ year.grouper }}:'
       '{% for month in year.list|groupby(attribute="date.month")|reverse %}'
       '{{ month.grouper }}={{ month.list|length }}/{{ month.list[0].date.strftime("%Y-%m") }} '
       '{% endfor %};{% endfor %}')
NEW = ('{% for year, months in archive_years(dates) %}{{ year }}:'
       '{% for month, count, first in months %}{{ month }}={{ count }}/'
       '{{ first.strftime("%Y-%m") }} {% endfor %};{% endfor %}')


def test_same_years_months_and_counts_as_groupby():
    rng = random.Random(5)
    start = datetime(2021, 11, 30, 23, 0)
    dates = [SimpleNamespace(date=start + timedelta(hours=rng.uniform(0, 24 * 900)))
             for _ in range(3000)]
    dates.sort(key=lambda a: a.date, reverse=True)
    env = jinja2.Environment()
    old = env.from_string(OLD).render(dates=dates)
    new = env.from_string(NEW).render(dates=dates, archive_years=archive_years)
    assert new == old
    assert old.startswith("2024:") and old.count(";") == 4  # 2021 … 2024
    assert archive_years([]) == []
