"""What outside evaluators mark a report down for, chosen by the seed like the faults (demo.faults): prose
written as last year's again (`copied`, PROSE_COPIED) or last year's partly rewritten (`edited`, which no
evaluator would call a copy), and a required part left out (SECTION_MISSING). Most reports do neither.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

Key = tuple[str, int]  # (township, year)


@dataclass
class QualityPlan:
    prose: dict[Key, str] = field(default_factory=dict)  # demo.prose.PROSE_MODES; "fresh" when absent
    omitted: dict[Key, str] = field(default_factory=dict)  # the part (五 or 六) the report leaves out

    def mode(self, key: Key) -> str:
        return self.prose.get(key, "fresh")


def plan(rng: random.Random, townships: list[str], years: list[int], missing: set[Key], fees: set[Key]) -> QualityPlan:
    """Each kind at least once where the county has room, then about one report in twenty-five of each.
    Prose is copied or edited from a year the township published; a report whose table 二 prints fees
    keeps its part 六, which says what they were (FEES_UNEXPLAINED otherwise). 汤旺河镇 writes as always:
    its real 2022 report exists, and tests read it."""
    p = QualityPlan()
    present = [(t, y) for t in townships for y in years if (t, y) not in missing and t != "汤旺河镇"]
    follows = [(t, y) for t, y in present if (t, y - 1) in present]
    if len(follows) < 4:
        return p
    first = rng.sample(follows, 2)
    if first[0][0] == first[1][0]:  # two townships where there are, so neither copies the other's year
        first[1] = next((k for k in follows if k[0] != first[0][0]), first[0])
    p.prose[first[1]], p.prose[first[0]] = "edited", "copied"
    for key in follows:
        # last year's text is its own, and next year's copies or edits none of its (a copy of a copy would
        # not be of what last year printed)
        own = (key[0], key[1] - 1) not in p.prose and (key[0], key[1] + 1) not in p.prose
        if key not in p.prose and own and rng.random() < 0.08:
            p.prose[key] = rng.choice(("copied", "edited"))
    omit_first = rng.sample(present, 2)
    for key in present:
        if key in omit_first or rng.random() < 0.04:
            part = "五" if key == omit_first[0] else "六" if key == omit_first[1] else rng.choice("五六")
            p.omitted[key] = "五" if key in fees else part
    return p
