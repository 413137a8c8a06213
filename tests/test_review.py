"""The laboratoire's review: needs, k-anonymity, reports, learning loop, CLI, and the HTML in a browser.

Every question here is made up.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bot.cli import cli
from bot.knowledge import load_knowledge
from bot.laboratoire import (
    ACCENT_COLOUR,
    CHART_COLOUR,
    CSV_COLUMNS,
    K_ANONYMITY,
    LEARNED_FILE,
    ReviewError,
    add_question,
    build_report,
    cluster,
    cluster_key,
    dismiss,
    find_need,
    format_table,
    need_id,
    needs_summary_text,
    parse_since,
    render_html,
    teach,
    write_csv,
    write_html,
)
from bot.laboratoire.html import ANSWERED_COLOUR
from bot.laboratoire.trend import LINE_COLOURS
from bot.storage.store import Store, UnmetQuestion
from tests.conftest import Clock

PARIS = dt.timezone(dt.timedelta(hours=1))
START = dt.datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)

CANTINE = [
    "aide pour payer la cantine",
    "comment payer la cantine de mon fils",
    "payer la cantine",
    "aide payer cantine scolaire",
    "payer la cantine svp",
]
GARDE = ["garde d'enfant le soir", "faire garder mes enfants le soir", "garde enfants soir"]
VELO = ["ou acheter un velo d occasion"]


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "relais.db"


@pytest.fixture
def store(db_path: Path, clock: Clock, shipped_quartiers):
    with Store(db_path, clock=clock, quartiers=shipped_quartiers) as opened:
        yield opened


def ask(store: Store, text: str, quartier: str | None = None, guess: str | None = None, score: int = 0) -> None:
    store.record_unanswered(text, text, quartier, "telegram", guess, score)


@pytest.fixture
def filled(store: Store, clock: Clock) -> Store:
    """Three weeks of questions: cantine (5: 3 Bellevue, 2 Europe), garde (3), vélo (1)."""
    for i, text in enumerate(CANTINE):
        clock.now = START + dt.timedelta(days=2 * i)
        ask(store, text, "bellevue" if i < 3 else "europe", guess="caf", score=40 + i)
    for i, text in enumerate(GARDE):
        clock.now = START + dt.timedelta(days=7 + i)
        ask(store, text, "europe", guess="mediation-quartier", score=35)
    clock.now = START + dt.timedelta(days=20)
    ask(store, VELO[0], "saint-pierre")
    store.flush()
    return store


def questions(*groups: tuple[list[str], str | None]) -> list[UnmetQuestion]:
    out = []
    for texts, quartier in groups:
        for text in texts:
            n = len(out) + 1
            out.append(
                UnmetQuestion(n, f"2026-11-{n:02d}", "2026-W45", quartier, "telegram", text, text, None, 0, None)
            )
    return out


# --------------------------------------------------------------------------- clustering


def test_similar_questions_become_one_need_sorted_by_count():
    needs = cluster(questions((CANTINE, "bellevue"), (GARDE, "europe"), (VELO, None)))
    assert [n.count for n in needs] == [5, 3, 1]
    assert sorted(needs[0].examples) == sorted(needs[0].examples)[:3] and len(needs[0].examples) == 3
    assert set(needs[1].examples) <= set(GARDE)
    assert needs[2].examples == VELO


@pytest.mark.parametrize(
    "a, b, together",
    [
        ("bonjour je cherche un avocat gratuit", "avocat gratuit brest", True),
        ("bonjour je cherche un avocat gratuit", "bonjour je cherche une creche", False),
        ("reparer ma machine a laver", "reparation machine a laver pas cher", True),
        ("aide pour payer la cantine", "aide pour payer le loyer", False),
    ],
)
def test_clustering_looks_at_the_words_that_carry_the_need(a, b, together):
    assert (len(cluster(questions(([a, b], None)))) == 1) is together


def test_need_ids_are_short_and_stable():
    base = questions((CANTINE, "bellevue"), (GARDE, "europe"))
    first = {n.representative: n.id for n in cluster(base)}
    more = base + questions((["apprendre le breton"] * 7, None), (["aide cantine pour mon fils stp"], None))
    second = {n.representative: n.id for n in cluster(more)}
    for representative, ident in first.items():
        assert second[representative] == ident
    assert all(re.fullmatch(r"[0-9a-f]{7}", i) for i in second.values())
    assert need_id("payer cantine") == need_id("payer cantine")


def test_k_anonymity_hides_rare_quartiers_of_a_need():
    need = cluster(questions((CANTINE[:3], "bellevue"), (CANTINE[3:], "europe")))[0]
    assert need.count == 5
    assert need.quartiers == [("bellevue", 3)]
    assert "Europe" not in need.quartier_label


def test_a_need_seen_less_than_k_times_everywhere_has_no_quartier():
    need = cluster(questions((VELO, "saint-pierre")))[0]
    assert need.quartiers == [] and need.quartier_label == "—"


@pytest.mark.parametrize(
    "value, days", [("7d", 7), ("30d", 30), ("all", None), ("2w", 14), ("10j", 10), ("3650d", 3650), ("007d", 7)]
)
def test_parse_since(value, days):
    assert parse_since(value) == days


@pytest.mark.parametrize("value", ["hier", "0d", "-3d", "100000d", "3651d", "522w", "9" * 5000 + "d", "٣d"])
def test_parse_since_refuses_nonsense_in_french(value):
    with pytest.raises(ReviewError, match="période|au moins"):
        parse_since(value)


# --------------------------------------------------------------------------- reports


def test_report_from_the_store(filled, clock):
    report = build_report(filled, since="all")
    assert [n.count for n in report.needs] == [5, 3]
    assert report.hidden_needs == 1  # the lone bicycle question: too rare to be shown
    cantine = report.needs[0]
    assert cantine.first_seen == "2026-11-02" and cantine.last_seen == "2026-11-10"
    assert cantine.guess == "caf" and cantine.guess_score == 44
    assert cantine.quartiers == [("bellevue", 3)]
    assert report.total_questions == 9
    assert dict(report.per_quartier) == {"Europe": 5, "Bellevue": 3, "non précisé ou trop rare": 1}
    # The vélo week (1 question) is masked, and the weeks cantine's line hides (4 then 1): W46's total
    # (4) less garde's 3 would give cantine's 1 back.
    assert cantine.masked_weeks == {"2026-W45", "2026-W46"}
    assert report.masked_weeks == {"2026-W45", "2026-W46", "2026-W47"}
    assert sum(n for _, n in report.per_week) == 0
    clock.now = START + dt.timedelta(days=21)
    last_week = build_report(filled, since="7d")
    assert last_week.needs == [] and last_week.hidden_needs == 1 and last_week.total_questions == 1


def test_quartier_filter_leaves_out_needs_too_rare_there(filled):
    report = build_report(filled, since="all", quartier="europe")
    assert [n.count for n in report.needs] == [3]  # garde; cantine has only 2 in Europe
    assert report.hidden_needs == 1
    table = format_table(report)
    assert "masqué" in table
    with pytest.raises(ReviewError, match="quartier « mars » inconnu"):
        build_report(filled, quartier="mars")


def test_terminal_table(filled):
    table = format_table(build_report(filled, since="all"))
    assert "BESOIN" in table and "QUARTIERS" in table
    assert "Bellevue (3)" in table
    assert "velo" not in table and "1 besoin vu moins de 3 fois masqué" in table
    assert "--teach" in table


def test_csv_for_spreadsheets(filled, tmp_path):
    report = build_report(filled, since="all", k=1)  # the format, rare needs included
    path = tmp_path / "besoins.csv"
    write_csv(report, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    assert tuple(lines[0]) == CSV_COLUMNS
    assert len(lines) == 4
    first = dict(zip(CSV_COLUMNS, lines[1]))
    assert first["nombre"] == "5" and first["quartiers"] == "Bellevue (3), Europe (2)"
    assert first["besoin"] == report.needs[0].id and first["piste_du_bot"] == "caf"
    assert dict(zip(CSV_COLUMNS, lines[3]))["quartiers"] == "Saint-Pierre (1)"
    write_csv(build_report(filled, since="all"), path)  # the threshold of config: rare needs and quartiers left out
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = [dict(zip(CSV_COLUMNS, row)) for row in list(csv.reader(handle, delimiter=";"))[1:]]
    assert [r["nombre"] for r in rows] == ["5", "3"] and rows[0]["quartiers"] == "Bellevue (3)"


def test_html_is_self_contained_and_escaped(filled, tmp_path):
    ask(filled, "<script>alert('x')</script> aide cantine", "bellevue")
    filled.flush()
    page = render_html(build_report(filled, since="all"))
    assert page.startswith("<!DOCTYPE html>")
    for forbidden in ("<script", "<link", "src=", "url(", "http://", "https://", "@import"):
        assert forbidden not in page.lower()
    assert page.count("<svg") == 5  # weeks, quartiers, top needs, needs per week, answered share
    assert page.count("<rect") >= 3 + 3 + 3
    assert "&lt;script&gt;" in page
    assert 'lang="fr"' in page


def test_html_with_no_data_still_renders(store, tmp_path):
    path = tmp_path / "vide.html"
    write_html(build_report(store, since="7d"), path)
    assert "Aucun besoin à revoir" in path.read_text(encoding="utf-8")


def test_needs_summary_for_telegram(filled, clock):
    clock.now = START + dt.timedelta(days=10)
    text = needs_summary_text(filled, days=30, limit=1)
    assert text.startswith("Besoins sans réponse des 30 derniers jours : 9 question(s), 2 besoin(s).")
    assert "5 fois — Bellevue (3)" in text
    assert "… et 1 autre(s)." in text and "1 besoin trop rare ici masqué" in text and "velo" not in text
    clock.now = START + dt.timedelta(days=200)
    assert needs_summary_text(filled, days=7).startswith("Aucune question sans réponse")


# --------------------------------------------------------------------------- learning loop


def tree_hashes(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_teach_appends_phrasings_to_the_learned_file_only(filled, kb_dir):
    before = tree_hashes(kb_dir)
    need = build_report(filled, since="all").needs[1]  # garde d'enfant
    result = teach(filled, need.id, "mediation-quartier", kb_dir)
    path = kb_dir / LEARNED_FILE
    assert result.path == path and set(result.added) == set(need.examples)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["source"] and isinstance(data["verifie_le"], dt.date)
    assert set(data["mediation-quartier"]) == set(need.examples)
    after = tree_hashes(kb_dir)
    assert {k: v for k, v in after.items() if k != str(LEARNED_FILE)} == before
    loaded = load_knowledge(kb_dir)
    assert not [p for p in loaded.errors if "appris" in str(p.path)]
    assert set(need.examples) <= set(loaded.kb.phrasings_of("mediation-quartier"))
    # The need is now reviewed: it leaves the default report.
    assert need.id not in [n.id for n in build_report(filled, since="all").needs]
    # Teaching again merges without duplicates.
    ask(filled, "garde enfants le soir apres 18h", "europe")
    filled.flush()
    again = teach(filled, need_id(cluster_key("garde enfants le soir apres 18h")), "mediation-quartier", kb_dir)
    merged = yaml.safe_load(path.read_text(encoding="utf-8"))["mediation-quartier"]
    assert len(merged) == len(set(merged)) == len(need.examples) + len(again.added)


def test_teach_refuses_an_unknown_entry_in_french(filled, kb_dir):
    need = build_report(filled, since="all").needs[0]
    with pytest.raises(ReviewError, match="fiche « cantinne » inconnue"):
        teach(filled, need.id, "cantinne", kb_dir)
    assert not (kb_dir / LEARNED_FILE).exists()
    assert need.id in [n.id for n in build_report(filled, since="all").needs]


def test_teach_never_writes_personal_data(store, kb_dir):
    for text in [
        "je m'appelle Yvette Kerhervé, aide cantine",
        "aide cantine tel 06 98 76 54 32",
        "aide cantine mon fils",
    ]:
        ask(store, text, "bellevue")
    store.flush()
    need = build_report(store, since="all").needs[0]
    teach(store, need.id, "caf", kb_dir)
    content = (kb_dir / LEARNED_FILE).read_text(encoding="utf-8")
    assert "Yvette" not in content and "98 76" not in content and "[" not in content.split("caf:")[1]


def test_dismiss_hides_the_need(filled):
    need = build_report(filled, since="all").needs[1]
    assert dismiss(filled, need.id[:5]).id == need.id  # a unique prefix is enough
    assert need.id not in [n.id for n in build_report(filled, since="all").needs]
    reviewed = build_report(filled, since="all", include_reviewed=True)
    assert need.id in [n.id for n in reviewed.needs]
    with pytest.raises(ReviewError, match="introuvable"):
        find_need(filled, need.id)


def test_unknown_or_short_need_ids_are_explained(filled):
    with pytest.raises(ReviewError, match="introuvable"):
        dismiss(filled, "abcdef0")
    with pytest.raises(ReviewError, match="trop court"):
        dismiss(filled, "ab")


def test_add_records_a_face_to_face_question_redacted(store, db_path):
    text = add_question(store, "Mme Le Goff au 06 98 76 54 32 demande une aide pour le permis", "europe")
    assert text == "Mme [nom] au [téléphone] demande une aide pour le permis"
    [question] = store.unmet()
    assert question.channel == "mediation" and question.quartier == "europe" and question.question == text
    with pytest.raises(ReviewError, match="inconnu"):
        add_question(store, "question", "atlantide")


# --------------------------------------------------------------------------- command line


@pytest.fixture
def run(db_path, kb_dir):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(
            cli, ["--knowledge", str(kb_dir), *args], env={"RELAIS_DB": str(db_path)}, catch_exceptions=False
        )

    return invoke


def test_cli_review_cycle(run, db_path, kb_dir, tmp_path):
    for text in CANTINE:
        result = run("review", "--add", text, "--quartier", "bellevue")
        assert result.exit_code == 0 and "Question notée" in result.output
    result = run("review", "--since", "all", "--csv", str(tmp_path / "r.csv"), "--html", str(tmp_path / "r.html"))
    assert result.exit_code == 0, result.output
    assert "Bellevue (5)" in result.output
    assert (tmp_path / "r.csv").exists() and (tmp_path / "r.html").exists()
    ident = re.search(r"^([0-9a-f]{7})\s+5\s", result.output, re.M).group(1)

    refused = run("review", "--teach", ident, "--to", "inconnue")
    assert refused.exit_code == 1 and "fiche « inconnue » inconnue" in refused.output

    taught = run("review", "--teach", ident, "--to", "caf")
    assert taught.exit_code == 0, taught.output
    assert "appris pour « caf »" in taught.output
    assert (kb_dir / LEARNED_FILE).exists()
    assert "Aucun besoin à revoir" in run("review").output

    assert run("review", "--teach", ident).exit_code == 2  # --to is required with --teach


def test_cli_dismiss_stats_and_purge(run):
    for _ in range(K_ANONYMITY):
        run("review", "--add", "ou acheter un velo", "--quartier", "europe")
    ident = re.search(r"^([0-9a-f]{7})\s", run("review").output, re.M).group(1)
    dismissed = run("review", "--dismiss", ident)
    assert dismissed.exit_code == 0 and "écarté" in dismissed.output
    stats = run("stats")
    assert stats.exit_code == 0 and "Aucune réponse comptée" in stats.output
    assert f"Europe : 0 avec réponse, {K_ANONYMITY} sans réponse" in stats.output
    purged = run("purge", "--older-than", "0", "--oui")
    assert purged.exit_code == 0 and "ligne(s) de plus de 0 jours supprimée(s)" in purged.output


def test_cli_stats_table(db_path, run):
    with Store(db_path) as store:
        for _ in range(K_ANONYMITY):
            store.record_answered("rsa", "bellevue", "telegram")
    output = run("stats", "--since", "7d").output
    assert re.search(rf"\d{{4}}-W\d{{2}}\s+Bellevue\s+rsa\s+{K_ANONYMITY}", output)


def test_cli_stats_for_one_quartier_filters_the_summary_too(db_path, run):
    # Issue #16.10: the per-quartier summary under the table listed every quartier.
    with Store(db_path) as store:
        store.record_answered("rsa", "bellevue", "telegram")
        for _ in range(K_ANONYMITY):
            store.record_answered("css", "europe", "telegram")
    output = run("stats", "--since", "7d", "--quartier", "europe").output
    summary = output[output.index("Questions des") :]
    assert f"- Europe : {K_ANONYMITY} avec réponse" in summary
    assert "Bellevue" not in summary and "Lambézellec" not in summary
    assert f"Total : {K_ANONYMITY} avec réponse" in summary


# --------------------------------------------------------------------------- the HTML in a real browser

CHROMIUM_NAMES = ("chromium", "chromium-browser")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium (`.ci/run` installs it); skipped with the reason when absent on a dev machine."""
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    pytest.skip("chromium absent: install it (apt-get install chromium, as .ci/run does) to test the HTML report")


def read_png(path: Path, max_rows: int | None = None) -> tuple[int, int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA non-interlaced PNG: (width, height, channels, rows)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(min(height, max_rows or height)):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def count_colour(rows: list[bytes], channels: int, colour: str, tolerance: int = 12) -> int:
    import numpy as np

    target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    pixels = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(-1, channels)[:, :3].astype(np.int16)
    return int(np.all(np.abs(pixels - target) <= tolerance, axis=1).sum())


@pytest.mark.slow  # a real browser
def test_html_report_renders_its_charts_in_chromium(chromium, filled, clock, tmp_path):
    for day, text in ((9, CANTINE[0]), (10, CANTINE[1])):  # cantine's second week reaches k: its line is drawn
        clock.now = START + dt.timedelta(days=day)
        ask(filled, text, "bellevue", guess="caf", score=40)
    for _ in range(6):
        filled.record_answered("rsa", "bellevue", "telegram")
    for text in ("mon rsa est suspendu", "rsa pas versé", "calcul du rsa faux"):
        filled.record_feedback("rsa", text, False, "bellevue", "telegram")
    filled.flush()
    clock.now = START + dt.timedelta(days=21)
    report = build_report(filled, since="all")
    assert report.feedback and report.answered and len(report.weeks) >= 4
    page = tmp_path / "rapport.html"
    write_html(report, page)
    shot = tmp_path / "rapport.png"
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profil'}",
        f"--screenshot={shot}",
        "--window-size=1200,1600",
        page.as_uri(),
    ]
    try:
        subprocess.run(command, capture_output=True, timeout=90, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("chromium did not finish the screenshot in 90 s")
    assert shot.exists(), "chromium wrote no screenshot"
    width, height, channels, rows = read_png(shot, max_rows=1300)  # the charts are at the top
    assert (width, height) == (1200, 1600)
    non_white = sum(1 for row in rows for x in range(0, len(row), channels) if min(row[x : x + 3]) < 235)
    assert non_white > 20_000, "the chart area is (almost) blank"
    assert count_colour(rows, channels, CHART_COLOUR) > 3_000, "the blue bars (weeks, quartiers) did not render"
    assert count_colour(rows, channels, ACCENT_COLOUR) > 1_500, "the orange bars (top needs) did not render"
    # (the two lines share their segment after W46: each keeps a few hundred pixels of its own)
    assert count_colour(rows, channels, LINE_COLOURS[0]) > 400, "the needs-per-week lines did not render"
    assert count_colour(rows, channels, LINE_COLOURS[1]) > 400, "the second need's line did not render"
    assert count_colour(rows, channels, ANSWERED_COLOUR) > 1_000, "the answered-share bars did not render"


def test_k_anonymity_constant_is_three():
    assert K_ANONYMITY == 3


def test_datasette_queries_use_the_k_anonymity_setting():
    # The canned queries are read by Datasette, not by Python: their threshold
    # is checked against the one setting, so that changing it cannot leave them behind.
    metadata = (Path(__file__).resolve().parent.parent / "datasette" / "metadata.yml").read_text(encoding="utf-8")
    thresholds = {int(n) for n in re.findall(r"having\s+count\(\*\)\s*>=\s*(\d+)", metadata)}
    assert thresholds == {K_ANONYMITY}
    assert f"au moins {K_ANONYMITY} fois" in metadata


@pytest.mark.parametrize("content", [b"caf: [pas ferme\n", b"\xff\xfecaf: []\n", b"caf: une phrase\n"])
def test_teach_refuses_a_broken_learned_file_without_touching_it(filled, kb_dir, content):
    path = kb_dir / LEARNED_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    need = build_report(filled, since="all").needs[0]
    with pytest.raises(ReviewError, match="corrigez-le d'abord"):
        teach(filled, need.id, "caf", kb_dir)
    assert path.read_bytes() == content  # never rewritten (a text would have become one line per letter)
    assert need.id in [n.id for n in build_report(filled, since="all").needs]


def test_add_says_so_when_the_database_refuses_the_question(db_path, clock, shipped_quartiers):
    read_only = Store(
        db_path,
        clock=clock,
        quartiers=shipped_quartiers,
        retries=1,
        retry_delay=0,
        on_connect=lambda conn: conn.execute("PRAGMA query_only = 1"),
    )
    with read_only as store, pytest.raises(ReviewError, match="non enregistrée"):
        add_question(store, "ou acheter un velo", "europe")


def test_cli_review_explains_a_database_that_refuses_the_write(run, monkeypatch):
    from bot.storage.store import StoreUnavailable

    for _ in range(K_ANONYMITY):
        run("review", "--add", "ou acheter un velo", "--quartier", "europe")
    ident = re.search(r"^([0-9a-f]{7})\s", run("review").output, re.M).group(1)

    def refuse(self, ids, status):
        raise StoreUnavailable("revue d'un besoin : attempt to write a readonly database")

    monkeypatch.setattr(Store, "mark_reviewed", refuse)
    result = run("review", "--dismiss", ident)
    assert result.exit_code == 1
    assert "base de données inaccessible" in result.output


def test_cli_stats_refuses_an_unknown_quartier(run):
    result = run("stats", "--quartier", "mars")
    assert result.exit_code == 2 and "quartier inconnu « mars »" in result.output
    assert run("stats", "--quartier", "Bellevue").exit_code == 0


def test_cli_purge_with_an_enormous_number_of_days(run):
    run("review", "--add", "ou acheter un velo", "--quartier", "europe")  # a database to purge
    result = run("purge", "--older-than", "99999999999")
    assert result.exit_code == 0 and "0 ligne(s)" in result.output


def test_csv_never_turns_a_resident_question_into_a_formula(store, tmp_path):
    ask(store, '=HYPERLINK("http://example.org/x","aide loyer")')
    ask(store, "aide pour le loyer")
    ask(store, "aide loyer svp")
    store.flush()
    path = tmp_path / "besoins.csv"
    write_csv(build_report(store, since="all"), path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle, delimiter=";") for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), cells
    assert '\'=HYPERLINK("http://example.org/x","aide loyer")' in cells


def test_cli_report_to_a_missing_folder_is_a_clear_error(run, tmp_path):
    run("review", "--add", "ou acheter un velo", "--quartier", "europe")
    for option in ("--csv", "--html"):
        result = run("review", option, str(tmp_path / "absent" / "rapport"))
        assert result.exit_code == 1, result.output
        assert "impossible d'écrire" in result.output and "absent" in result.output
