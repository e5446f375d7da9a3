"""Collecting the townships' reports from their web sites into the inbox, politely and incrementally.

`collect(sites, inbox)` visits each township's listing page (the register's `url`), follows its
pagination, finds the report links, saves each article page that holds a report and each attachment in
`inbox/<township>/`, and returns one `Fetch` per request: the provenance the warehouse keeps in
`sources`. Upstream of everything else: it knows nothing of parsing or of the warehouse.
"""

from gongkai.collect.crawl import collect
from gongkai.collect.records import Fetch
from gongkai.collect.sites import Site, read_sites, register_has_urls
from gongkai.collect.store import Store, clear_pending, pending_fetches, safe_name
from gongkai.options import CollectSettings

__all__ = [
    "CollectSettings",
    "Fetch",
    "Site",
    "Store",
    "clear_pending",
    "collect",
    "pending_fetches",
    "read_sites",
    "register_has_urls",
    "safe_name",
]
