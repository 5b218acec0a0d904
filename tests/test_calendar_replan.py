"""Re-planning a term from today on the demo county: what happened stays, what must move moves, and
little else changes; moved and cancelled visits are marked for calendar apps (SEQUENCE, CANCELLED).

The demo's own data on purpose: the issue's "done when" speaks of the demo's autumn term.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from assign.calendar.visit_solve import schedule_term
from assign.cli import main
from assign.export.ics import read_ics
from assign.export.term_files import write_term_files
from assign.load import load_scenario
from assign.locale import _
from assign.plan import Plan
from assign.solver.passes import solve

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo-county" / "scenario.yaml"
TODAY = dt.date(2026, 10, 8)        # teaching week 6 of 2026秋 (the first working day after National Day)
AWAY_UNTIL = dt.date(2026, 10, 28)  # three weeks


@pytest.fixture(scope="module")
def base():
    problem = load_scenario(DEMO)
    plan = solve(problem, workers=1, seed=0)
    # 30 s to prove it (it stops at the proof, a few seconds on a quiet machine): the scenario's 10 s can run out on a loaded one
    visits, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0, time_limit=30)
    assert visits.status == "OPTIMAL" and visits.findings == []
    return problem, plan, visits


def away_scenario(folder: Path, rid: str) -> Path:
    path = folder / "away.yaml"
    path.write_text(yaml.safe_dump({"extends": str(DEMO), "name": "示范县 一人三周不在",
                                    "edits": {"researchers": {"update": {rid: {"不可用日期": f"{TODAY}~{AWAY_UNTIL}"}}}}},
                                   allow_unicode=True), encoding="utf-8")
    return path


def busiest_in_window(visits) -> str:
    """The researcher with the most visits in the three weeks: the hardest one to be away."""
    counts: dict[str, int] = {}
    for v in visits.visits:
        if TODAY <= v.first <= AWAY_UNTIL:
            counts[v.researcher_id] = counts.get(v.researcher_id, 0) + 1
    return max(sorted(counts), key=counts.get)


def test_a_researcher_away_for_three_weeks_moves_only_their_visits_and_what_they_displace(base, tmp_path):
    problem, plan, before = base
    rid = busiest_in_window(before)
    away = load_scenario(away_scenario(tmp_path, rid))
    after, _ = schedule_term(away, plan, "2026秋", workers=1, seed=0, previous=before, today=TODAY)
    assert after.status in ("OPTIMAL", "FEASIBLE") and after.findings == [], [str(f) for f in after.findings]

    old = {(v.researcher_id, v.school_id, v.number): v.days for v in before.visits}
    new = {(v.researcher_id, v.school_id, v.number): v.days for v in after.visits}
    past = {k: d for k, d in old.items() if d[0] < TODAY}
    assert all(new.get(k) == d for k, d in past.items())                                        # nothing before today changed
    assert not [d for k, days in new.items() if k[0] == rid for d in days if TODAY <= d <= AWAY_UNTIL]  # the researcher is away
    affected = {k for k, d in old.items() if k[0] == rid and any(TODAY <= x <= AWAY_UNTIL for x in d)}
    assert affected
    changed = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    assert affected <= changed
    displaced = changed - affected
    assert len(displaced) <= len(affected), (affected, displaced)                                # at most one displaced each
    # the changes list the same visits, the affected ones with the rule they broke
    assert {(c.researcher_id, c.school_id, c.number) for c in after.changes} == changed
    for c in after.changes:
        if (c.researcher_id, c.school_id, c.number) in affected:
            assert any("[researcher_unavailable]" in why for why in c.why), c
    # a moved visit keeps its UID and raises its SEQUENCE in the researcher's calendar
    out = tmp_path / "out"
    write_term_files(away, after, out, "t")
    events = {e["uid"]: e for path in (out / "ics" / "researchers").glob(f"{rid}*.ics") for e in read_ics(path)}
    moved = [v for v in after.visits if (v.researcher_id, v.school_id, v.number) in affected]
    assert moved and all(events[v.uid("2026秋")]["sequence"] == 1 and events[v.uid("2026秋")]["first"] == v.first for v in moved)
    assert "改期" in (out / "changes.csv").read_text(encoding="utf-8-sig")


def test_a_dropped_pair_cancels_its_future_visits_and_keeps_its_past_out_of_the_model(base, tmp_path):
    problem, plan, before = base
    dropped = sorted(plan.pairs, key=lambda a: (a.researcher_id, a.school_id))[0]
    smaller = Plan(**{**plan.model_dump(), "pairs": [a for a in plan.pairs if a != dropped]})
    after, _schedule = schedule_term(problem, smaller, "2026秋", workers=1, seed=0, previous=before, today=TODAY)
    assert after.solved and after.findings == [], [str(f) for f in after.findings]
    gone = [c for c in after.changes if c.kind == "cancelled"]
    future = [v for v in before.visits if (v.researcher_id, v.school_id) == (dropped.researcher_id, dropped.school_id) and v.last >= TODAY]
    assert {(c.researcher_id, c.school_id, c.number) for c in gone} == {(v.researcher_id, v.school_id, v.number) for v in future}
    not_a_pair = _("visit {researcher_id}→{school_id} is not a pair of the plan").split("{school_id}")[1]
    assert all(any(not_a_pair in why for why in c.why) for c in gone)
    out = tmp_path / "out"
    write_term_files(problem, after, out, "t")
    office = {e["uid"]: e for e in read_ics(out / "ics" / "office.ics")}
    assert all(office[v.uid("2026秋")]["status"] == "CANCELLED" and office[v.uid("2026秋")]["sequence"] == 1 for v in future)


def test_replanning_with_nothing_changed_changes_nothing(base):
    problem, plan, before = base
    after, _ = schedule_term(problem, plan, "2026秋", workers=1, seed=0, previous=before, today=TODAY)
    assert after.changes == [] and after.cancelled == []
    assert sorted(after.visits, key=repr) == sorted(before.visits, key=repr)


BAD_FROM = [
    # (what is wrong, visits.json text or None for the base's own, extra arguments, text the English message must hold)
    ("another term's calendar", lambda v: v.model_copy(update={"term": "2027春"}).model_dump_json(), [], "a calendar of term 2026秋"),
    ("not a visits.json", lambda v: json.dumps({"visits": 3}), [], "a visits.json written by `assign calendar`"),
    ("not JSON at all", lambda v: "visits: [", [], "a visits.json written by `assign calendar`"),
    ("--today without --from", None, ["--today", str(TODAY)], "goes with --from visits.json"),
]


@pytest.mark.parametrize("what, text, extra, message", BAD_FROM, ids=[c[0] for c in BAD_FROM])
def test_a_bad_calendar_to_replan_is_one_clear_error(base, tmp_path, english, what, text, extra, message):
    problem, plan, before = base
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(plan.model_dump_json(), encoding="utf-8")
    args = ["calendar", str(DEMO), "--term", "2026秋", "--plan", str(plan_file), "--no-write", "-q", *extra]
    if text is not None:
        previous = tmp_path / "visits.json"
        previous.write_text(text(before), encoding="utf-8")
        args += ["--from", str(previous), "--today", str(TODAY)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    if text is not None:
        assert "visits.json" in result.output


def test_report_base_replans_the_whatif_from_the_base_as_compare_does(base, tmp_path):
    # Two new researchers: re-planned from the base, only the pairs they take (or free) change.
    from assign.analysis.report_inputs import gather

    problem, plan, _ = base
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(plan.model_dump_json(), encoding="utf-8")
    whatif = DEMO.parents[1] / "whatif" / "two-new-researchers.yaml"
    inputs = gather(whatif, base=plan_file, workers=1, seed=0)
    changed = inputs.plan.pair_set() ^ plan.pair_set()
    assert inputs.base.pair_set() == plan.pair_set()
    assert changed and len(changed) <= 8, sorted(changed)
    assert {r for r, _ in inputs.plan.pair_set() - plan.pair_set()} & {"R047", "R048"}
