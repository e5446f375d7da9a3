"""The county dashboards: charts (matplotlib), HTML pages and correction-list workbooks from the warehouse."""

from dashboards.build import build_dashboard

__all__ = ["build_dashboard"]
