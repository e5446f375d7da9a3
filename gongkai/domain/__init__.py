"""What every room speaks of: the canonical cell codes and the six parts of a report (`codes`), and the
county's register of townships (`register`, `register_checks`). Leaves of plain Python: collection, the
parser, the warehouse, the dashboards and the commands all import them, and importing them loads no
parser, no PDF library and no database."""
