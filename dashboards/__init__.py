"""The county dashboards: charts (matplotlib), HTML pages and correction-list workbooks from the warehouse."""

from gongkai.dashboards.build import build_dashboard

__all__ = ["build_dashboard"]
