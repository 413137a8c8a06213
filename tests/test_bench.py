"""The benchmarks still run and print their figures (never their timings: those are not tested)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.knowledge.engine import Engine

pytestmark = pytest.mark.slow  # runs the benchmarks as scripts

BENCH = Path(__file__).resolve().parent.parent / "bench"
FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"

TINY_SET = """
- q: "mon rsa est suspendu"
  expect: rsa
- q: "revenu minimum pour vivre"
  expect: rsa
- q: "complementaire sante solidaire"
  expect: css
- q: "j'habite bellevue et je veux parler a quelqu'un du quartier"
  expect: [mediation-quartier, salutation]
  quartier: bellevue
- q: "recette des crepes"
  expect: none
- q: "score du match hier soir"
  expect: none
"""


# Only a guard against a hung script, never a speed check: a loaded machine may take minutes.
HANG_GUARD_SECONDS = 600


def _run(*args: str, timeout: float = HANG_GUARD_SECONDS) -> str:
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_eval_prints_figures_and_baselines(tmp_path):
    questions = tmp_path / "tiny.yaml"
    questions.write_text(TINY_SET, encoding="utf-8")
    out = _run(str(BENCH / "eval.py"), str(questions), "--knowledge", str(FIXTURE_KB))
    assert "Comparison on the same 6 questions" in out
    for name in ("bot", "naive rapidfuzz", "BM25 (bm25s)"):
        assert any(line.startswith(name) for line in out.splitlines()), name
    tail = out.rstrip("\n").splitlines()[-8:]  # the before-stop hook reads these lines
    assert tail[0] == ""
    assert tail[1].startswith("questions: 6 (4 in scope, 2 out of scope)")
    for line, label in zip(
        tail[2:],
        (
            "in-scope top-1 accuracy:",
            "in-scope abstentions:",
            "in-scope hesitations:",
            "expected among suggestions:",
            "out-of-scope answered:",
            "quartier detection:",
        ),
    ):
        assert line.startswith(label)


def test_eval_without_baselines_keeps_only_the_bot(tmp_path):
    questions = tmp_path / "tiny.yaml"
    questions.write_text(TINY_SET, encoding="utf-8")
    out = _run(str(BENCH / "eval.py"), str(questions), "--knowledge", str(FIXTURE_KB), "--no-baselines")
    assert "Comparison" not in out
    assert "in-scope top-1 accuracy:" in out
    assert out.splitlines()[0].startswith("measured at: ")  # which commit and knowledge the figures belong to
    # Which readings the figures are of: the tests switch the sentence reading off (conftest.py).
    assert out.splitlines()[1].startswith("reading: two readings (words + n-gram model)")
    # The figure closing notes quote, also without the table: expected id answered, or out of scope declined.
    counts = {line.split(":")[0]: line.rsplit("(", 1)[1] for line in out.splitlines() if " %  (" in line}
    top1 = int(counts["in-scope top-1 accuracy"].split("/")[0])
    out_answered = int(counts["out-of-scope answered"].split("/")[0])
    assert counts["correct overall"] == f"{top1 + 2 - out_answered}/6 questions)"


def test_eval_also_counts_what_ask_jsonl_answers_when_a_danger_comes_first(tmp_path):
    """The matcher finds the RSA; the reply a resident (and an outside evaluation) gets starts with the danger."""
    questions = tmp_path / "danger.yaml"
    questions.write_text(
        '- q: "mon copain me tape tous les soirs et mon rsa est suspendu"\n  expect: rsa\n'
        '- q: "mon rsa est suspendu"\n  expect: rsa\n',
        encoding="utf-8",
    )
    out = _run(str(BENCH / "eval.py"), str(questions), "--knowledge", str(FIXTURE_KB), "--no-baselines")
    lines = out.splitlines()
    assert "correct overall:                100.0 %  (2/2 questions)" in lines
    assert "as ask --jsonl reads it:        correct overall 50.0 % (1/2), confident wrong 50.0 % (1/2)" in lines


def test_speed_quick_prints_its_table():
    # On the small fixture base: the table's shape is tested, not its figures, and the shipped base
    # would train its models three times over (cold start, build, danger), most of the suite's time.
    out = _run(str(BENCH / "speed.py"), "--quick", "--sizes", "50", "--knowledge", str(FIXTURE_KB))
    assert "bot med" in out and "naive med" in out
    lines = out.splitlines()
    assert any(line.startswith("given ") for line in lines)  # the base measured, not called "shipped"
    assert not any(line.startswith("shipped") for line in lines)
    assert any(line.startswith("50 ") for line in lines)
    for figure in (
        "start-up in a fresh interpreter, warm",
        "start-up in a fresh interpreter, cold",
        "memory, 50-entry index",
        "cold build at 50 entries",
        "never slower than the naive baseline",
        "danger detection per message (given base",
        "start-up in this process, given base",
    ):
        assert figure in out


def test_speed_startup_alone_prints_cold_and_warm_cpu_times():
    out = _run(str(BENCH / "speed.py"), "--startup", "1", "--knowledge", str(FIXTURE_KB))
    lines = [line.strip() for line in out.splitlines()]
    assert any(line.startswith("cold (empty data directory, models trained): CPU ") for line in lines)
    assert any(line.startswith("warm (models read back): CPU ") for line in lines)
    # Start-up is until the bot answers; the sentence reading built after it is reported apart, cold and warm.
    assert any(line.startswith("with the sentence reading on") for line in lines)
    for kind in ("cold", "warm"):
        assert any(line.startswith(f"{kind}: answers after CPU ") for line in lines), kind
    assert "bot med" not in out  # nothing else is measured


def test_throughput_runs_through_the_telegram_stack(shipped_models):
    cache = ["--model-cache", str(shipped_models)] if shipped_models else []  # read back, not trained again
    out = _run(str(BENCH / "throughput.py"), "--questions", "40", "--chats", "4", "--idle-questions", "10", *cache)
    assert "updates handled per second:" in out
    assert "reply latency (update queued → reply sent):" in out
    assert "(0 refused by the fake Telegram)" in out


def test_clusters_prints_purity_and_split_needs(tmp_path):
    labelled = tmp_path / "needs.yaml"
    labelled.write_text(
        "- need: permis\n  questions: [aide pour le permis, aide pour payer le permis, permis de conduire aide]\n"
        "- need: velo\n  questions: [reparer mon velo, atelier velo, velo casse]\n",
        encoding="utf-8",
    )
    out = _run(str(BENCH / "clusters.py"), str(labelled), "--knowledge", str(FIXTURE_KB))
    assert "6 questions, 2 needs -> 2 clusters" in out
    assert "purity       1.000" in out and "needs split  0/2 = 0.0 %" in out
    assert "beyond words 0/6 questions" in out


def test_clusters_sums_up_tuning_and_held_out_sets_apart(tmp_path):
    tuning, held_out = tmp_path / "needs.yaml", tmp_path / "unmet-needs-heldout-9.yaml"
    tuning.write_text(NEEDS, encoding="utf-8")
    held_out.write_text(NEEDS.replace("atelier velo", "aide pour le permis"), encoding="utf-8")
    out = _run(str(BENCH / "clusters.py"), str(tuning), str(held_out), "--knowledge", str(FIXTURE_KB), "--quiet")
    assert "tuning: 1 set(s), mean purity 1.000, mean needs split 0.0 %, both targets met on 1/1" in out
    assert "held-out, never tuned on: 1 set(s)" in out and "both targets met on 0/1" in out


def test_clusters_counts_the_questions_no_grouping_on_words_can_bring_to_their_need(tmp_path):
    labelled = tmp_path / "needs.yaml"
    labelled.write_text(NEEDS.replace("permis de conduire aide]", "permis de conduire aide, zorblat kwargu]"), "utf-8")
    out = _run(str(BENCH / "clusters.py"), str(labelled), "--knowledge", str(FIXTURE_KB), "--quiet")
    assert "beyond words 1/7 questions share no word nor concept" in out and ": 1/2 needs" in out


NEEDS = (
    "- need: permis\n  questions: [aide pour le permis, aide pour payer le permis, permis de conduire aide]\n"
    "- need: velo\n  questions: [reparer mon velo, atelier velo, velo casse]\n"
)


def test_clusters_counts_needs_asked_once_that_another_need_absorbs(tmp_path):
    # Two needs on one word: either one cut to a single question lands in the other's group.
    alike, apart = tmp_path / "alike.yaml", tmp_path / "apart.yaml"
    alike.write_text(
        "- need: velo-casse\n  questions: [velo casse, velo tout casse, mon velo est casse]\n"
        "- need: velo-atelier\n  questions: [atelier velo, atelier de velo, un atelier velo]\n",
        encoding="utf-8",
    )
    # Two needs sharing no word: a need asked once stays a row of its own.
    apart.write_text(NEEDS, encoding="utf-8")
    out = _run(str(BENCH / "clusters.py"), str(alike), str(apart), "--knowledge", str(FIXTURE_KB), "--singletons")
    lines = [line.strip() for line in out.splitlines() if "singletons" in line]
    assert lines[0].startswith("singletons   2/2 = 100.0 % of needs asked once absorbed")
    assert lines[1].startswith("singletons   0/2 = 0.0 %")
    assert "needs asked once absorbed 50.0 %" in out  # the summary pools the sets


def test_clusters_sweep_prints_the_grid_with_the_constants_in_use_marked(tmp_path):
    from bot.laboratoire.meaning import CONCEPT_WEIGHT, THRESHOLD

    labelled = tmp_path / "needs.yaml"
    labelled.write_text(NEEDS, encoding="utf-8")
    out = _run(str(BENCH / "clusters.py"), "--sweep", str(labelled), "--knowledge", str(FIXTURE_KB))
    rows = [line for line in out.splitlines() if "threshold" in line]
    assert len(rows) == 25 and all("needs.yaml 1.000 /  0.0 %" in row for row in rows)  # 5 thresholds x 5 weights
    marked = [row for row in rows if row.startswith("*")]
    assert len(marked) == 1 and f"threshold {THRESHOLD:<5} concept weight {CONCEPT_WEIGHT:<4} ok" in marked[0]


def test_clusters_sweep_refuses_a_held_out_set(tmp_path):
    held_out = tmp_path / "unmet-needs-heldout-9.yaml"
    held_out.write_text(NEEDS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(BENCH / "clusters.py"), "--sweep", str(held_out), "--knowledge", str(FIXTURE_KB)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
    )
    assert result.returncode == 2 and "never on a held-out set (unmet-needs-heldout-9.yaml)" in result.stderr
    assert "threshold" not in result.stdout


def test_reach_prints_every_quartier_and_right_and_the_totals():
    out = _run(str(BENCH / "reach.py"), "--knowledge", str(FIXTURE_KB))
    kb = load_knowledge(FIXTURE_KB).kb
    rights = {e.id for e in kb.entries.values() if e.kind == "right"}
    rows = [line.split() for line in out.splitlines() if line.split() and line.split()[0] in kb.quartiers]
    assert {(row[0], row[1]) for row in rows} == {(q, r) for q in kb.quartiers for r in rights}
    total = len(kb.quartiers) * len(rights)
    assert f"Réponses quartier × droit montrant un lieu joignable : {total}/{total}" in out
    assert "avec seulement des coordonnées « à confirmer » : 0" in out
    for moment in ("lun. 10h", "mer. 15h", "jeu. 17h30", "sam. 11h"):
        assert f"{moment} : un lieu montré est ouvert" in out
    per_quartier = [line.split() for line in out.splitlines() if line.startswith("  quartier ")]
    assert sorted(row[1] for row in per_quartier) == sorted(kb.quartiers)


def test_eval_reports_every_own_held_out_set_found_by_name(tmp_path, monkeypatch):
    """A held-out set added later (own-questions-4.yaml…) is reported without editing eval.py."""
    monkeypatch.syspath_prepend(str(BENCH))
    import eval as bench_eval

    for name in ("own-questions.yaml", "own-questions-2.yaml", "own-questions-10.yaml", "own-questions-4.yaml"):
        (tmp_path / name).write_text(TINY_SET, encoding="utf-8")
    (tmp_path / "own-safety.yaml").write_text(TINY_SET, encoding="utf-8")
    found = bench_eval.held_out_sets(tmp_path)
    assert list(found) == ["own-1", "own-2", "own-4", "own-10"]
    assert found["own-4"].name == "own-questions-4.yaml"


def test_profiles_finds_every_held_out_profile_set_in_number_order(tmp_path, monkeypatch):
    """A held-out profile set added later (own-profiles-2.yaml…) is reported by the default run."""
    monkeypatch.syspath_prepend(str(BENCH))
    import profiles as bench_profiles

    for name in ("own-profiles-10.yaml", "own-profiles.yaml", "own-profiles-2.yaml", "profiles-tune.yaml"):
        (tmp_path / name).write_text("[]", encoding="utf-8")
    (tmp_path / "own-questions-2.yaml").write_text("[]", encoding="utf-8")
    found = bench_profiles.held_out_sets(tmp_path)
    assert [path.name for path in found] == ["own-profiles.yaml", "own-profiles-2.yaml", "own-profiles-10.yaml"]


TINY_PROFILES = """
- id: made-up-30-no-income
  profil: {age: 30, couple: false, enfants: [], situation: sans-revenu, logement: locataire}
  attendus: [rsa]
  exclus: [rsa]
"""


def test_profiles_prints_recall_precision_and_flags_an_excluded_right(tmp_path):
    profiles = tmp_path / "profiles.yaml"
    profiles.write_text(TINY_PROFILES, encoding="utf-8")
    out = _run(str(BENCH / "profiles.py"), str(profiles))
    assert "EXCLUDED listed rsa" in out  # listed as expected, and flagged as excluded by the same item
    assert "recall (whole list):            100.0 %  (1/1)" in out
    assert "excluded rights listed:         1" in out


def test_profiles_hides_a_held_out_sets_differences_unless_asked(tmp_path):
    """Nobody should decide a rule from a held-out profile's failure: only its figures are shown."""
    held_out = tmp_path / "own-profiles-9.yaml"
    held_out.write_text(TINY_PROFILES, encoding="utf-8")
    out = _run(str(BENCH / "profiles.py"), str(held_out))
    assert "HELD-OUT set" in out and "details hidden" in out
    assert "made-up-30-no-income" not in out and "excluded rights listed:         1" in out
    assert "made-up-30-no-income" in _run(str(BENCH / "profiles.py"), str(held_out), "--details")


def test_profiles_by_rule_counts_listings_strict_precision_counts_against(tmp_path):
    """--by-rule says, per right, which listings were only possible, so its rule can be judged."""
    profiles = tmp_path / "profiles.yaml"
    profiles.write_text(
        """
- id: made-up-30-no-income
  profil: {age: 30, couple: false, enfants: [], situation: sans-revenu, revenus_mensuels: 0, logement: locataire}
  attendus: [rsa]
  possibles: [aide-logement, css, cheque-energie, transport-tarif-solidaire, aide-alimentaire, logement-social]
""",
        encoding="utf-8",
    )
    out = _run(str(BENCH / "profiles.py"), str(profiles), "--by-rule")
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ") and "/" in line}
    assert rows["rsa"].split()[1:8] == ["1", "/", "0", "/", "0", "/", "0;"]
    assert rows["aide-logement"].split()[1:4] == ["0", "/", "1"]
    assert "not expected in: made-up-30-no-income" in out


def test_profiles_by_rule_is_hidden_for_a_held_out_set(tmp_path):
    held_out = tmp_path / "own-profiles-9.yaml"
    held_out.write_text(TINY_PROFILES, encoding="utf-8")
    out = _run(str(BENCH / "profiles.py"), str(held_out), "--by-rule")
    assert "By right" not in out and "hidden for a held-out set" in out


def test_profiles_refuses_a_knowledge_base_without_rules(tmp_path):
    profiles = tmp_path / "profiles.yaml"
    profiles.write_text(TINY_PROFILES, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(BENCH / "profiles.py"), str(profiles), "--knowledge", str(FIXTURE_KB)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no usable rights-check rules" in result.stderr


@pytest.fixture
def reach(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import reach as bench_reach

    return bench_reach


@pytest.mark.parametrize("hours_to_verify, expected", [(False, "aucun"), (True, "0001 (4)")])
def test_reach_names_the_lines_whose_hours_to_source_first(kb_dir, reach, hours_to_verify, expected):
    """Saturday and Thursday evening, nothing local is open: the general line is given (2 quartiers × 2 moments);
    unchecked hours make it a line to source."""
    if hours_to_verify:
        path = kb_dir / "lignes" / "renseignements.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "a_verifier: [horaires]\n", encoding="utf-8")
    engine = Engine.load(kb_dir)
    outcomes = [reach.measure(engine, quartier, "rsa") for quartier in engine.current.kb.quartiers]
    assert reach.lines_to_source_first(outcomes) == expected


@pytest.mark.parametrize("hours_to_verify, expected", [(False, "ouvert"), (True, "ouvert (horaires à confirmer)")])
def test_reach_counts_a_place_open_by_unchecked_hours_as_nobody_sure(kb_dir, reach, hours_to_verify, expected):
    """Monday 10h the Bellevue centre is open by its hours; if they are still to verify, nobody is sure."""
    path = kb_dir / "lieux" / "centre-bellevue.yaml"
    if hours_to_verify:
        path.write_text(path.read_text(encoding="utf-8") + "a_verifier: [horaires]\n", encoding="utf-8")
    engine = Engine.load(kb_dir)
    assert reach.measure(engine, "bellevue", "rsa").at["lun. 10h"] == expected


def test_closest_entry_prints_the_grid_with_the_rule_in_use_marked():
    out = _run(str(BENCH / "closest_entry.py"), "--knowledge", str(FIXTURE_KB))
    assert "uncovered needs (tuning sets)" in out
    rows = [line for line in out.splitlines() if line.lstrip("* ").startswith(("0.3", "0.5", "0.6", "0.7"))]
    assert len(rows) == 20 and sum(line.startswith("*") for line in rows) == 1
    assert any(line.startswith("* 0.6    30") for line in rows)


@pytest.mark.parametrize(("checked", "counted_old"), [("2025-01-01", True), ("2026-06-01", False)])
def test_reach_counts_apart_an_open_that_rests_on_hours_checked_over_a_year_ago(kb_dir, reach, checked, counted_old):
    """Monday 10h the Bellevue centre is open by checked hours; checked long ago, it is the first to check again."""
    path = kb_dir / "lieux" / "centre-bellevue.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2025-01-01", checked), encoding="utf-8")
    engine = Engine.load(kb_dir)
    outcome = reach.measure(engine, "bellevue", "rsa")
    assert outcome.at["lun. 10h"] == "ouvert"  # still open: old hours are shown, « à confirmer » beside them
    assert (outcome.open_by_old_hours.get("lun. 10h") == "centre-bellevue") is counted_old
    expected = "centre-bellevue (" if counted_old else "aucun"
    assert reach.places_to_check_again_first([outcome]).startswith(expected)


@pytest.mark.parametrize(("checked", "counted_old"), [("2025-01-01", True), ("2026-06-01", False)])
def test_reach_counts_apart_a_line_answering_on_hours_checked_over_a_year_ago(kb_dir, reach, checked, counted_old):
    """Saturday 11h only the general line answers; checked long ago, it is a number to check again."""
    path = kb_dir / "lignes" / "renseignements.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2025-01-01", checked), encoding="utf-8")
    outcome = reach.measure(Engine.load(kb_dir), "bellevue", "rsa")
    assert outcome.at["sam. 11h"] == "ligne 0001"
    assert ("sam. 11h" in outcome.line_by_old_hours) is counted_old
    assert reach.lines_to_check_again_first([outcome]) == ("0001 (1)" if counted_old else "aucun")


def test_reliability_prints_the_score_bands_entries_and_confusions_of_the_cross_validation():
    out = _run(
        str(BENCH / "reliability.py"),
        "--knowledge",
        str(FIXTURE_KB),
        "--folds",
        "2",
        "--settings",
        '{"close_call_below": 0}',
    )
    assert out.splitlines()[0] == "readings: words + n-gram model"  # the tests switch the meaning off (conftest.py)
    assert "cross-validation, 2 folds, whole decision:" in out and "confident wrong" in out
    variant = [line for line in out.splitlines() if line.startswith('with {"close_call_below": 0}: ')]
    assert len(variant) == 1 and "phrasings: correct" in variant[0]
    assert "answers by calibrated score:" in out and "% right" in out
    assert "entries, most over-confident first" in out and "mean score" in out
    assert "most frequent confusions:" in out


def test_ordinary_alarms_counts_held_out_sets_and_lists_only_the_tuning_ones(tmp_path):
    """bench/ordinary_alarms.py: per set, ordinary questions raising an alarm; a held-out set's are never printed."""
    dev = tmp_path / "dev.yaml"
    dev.write_text(TINY_SET + '- q: "mon copain me frappe tous les soirs"\n  expect: rsa\n', encoding="utf-8")
    own = tmp_path / "own"
    own.mkdir()
    (own / "own-questions-2.yaml").write_text(
        '- q: "mon copain me frappe tous les soirs"\n  expect: rsa\n- q: "mon rsa est suspendu"\n  expect: rsa\n',
        encoding="utf-8",
    )
    out = _run(str(BENCH / "ordinary_alarms.py"), "--knowledge", str(FIXTURE_KB), "--dev", str(dev), "--own", str(own))
    lines = out.splitlines()
    assert any(line.startswith("dev (dev.yaml, tuned on): ") and "in scope " in line for line in lines)
    assert any(line.startswith("  [violence] 'mon copain me frappe tous les soirs'") for line in lines)
    held_out = out.split("own-questions-2.yaml (held out: counts only): 1/2 ordinary questions alert")[1]
    assert "by kind: {'violence': 1}" in held_out and "frappe" not in held_out.split("knowledge base")[0]
    assert any(line.startswith("knowledge base, ordinary phrasings (5-fold cross-validation): ") for line in lines)
