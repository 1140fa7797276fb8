"""Wachttijden: the current waiting times of care providers per product category, by
Wachttijd BV — an OpenRegie module built on the OpenRegie SDK alone.

The vendor's feed (a CSV file, see README.md) is imported with `openregie wachttijden
import FEED.csv`; the waiting times are shown on allocation pages, on a page of their own
and as a reporting metric.
"""
