"""Reviewer mode: a folder of published reports → results cache, year-over-year pairs, the
reviewer's decisions, and what the dashboard, the exports and the 整改清单 show.

``review_folder(ReviewOptions(folder, out_dir, …))`` reads and checks every report (on every core,
from the cache when a file is unchanged) and pairs each with last year's; ``outputs.write_outputs``
applies the decisions and writes the dashboard, the CSV and .xlsx lists and one 整改清单 per agency.
``drafting review`` is a thin command over these two calls.
"""

from __future__ import annotations

from .run import Item, Review, ReviewOptions, review_folder

__all__ = ["Item", "Review", "ReviewOptions", "review_folder"]
