"""Benchmark: entity pages, lists and search of opsi-kg over HTTP, against Oxigraph server, same data.

    pip install oxigraph                     # the peer: Oxigraph's server CLI (`oxigraph`)
    python bench/pages.py                    # 10k and 100k cases, 30 repetitions per request type
    python bench/pages.py --cases 10000 --repeat 30 --workdir /tmp/bench-pages

The stores are those of bench/sparql_http.py (same function, same files, so one --workdir serves
both scripts): SYNTHETIC cases (bench/synthetic.py, seed 42) loaded with `opsi-kg load` (which
materialises the inferences), dumped to N-Quads and loaded into Oxigraph, so both servers hold the
same quads. `opsi-kg serve` (2 query workers, 8 threads) and `oxigraph serve-read-only
--union-default-graph` run on free ports of 127.0.0.1.

What is compared (REQUESTS below), always a full render: no conditional headers, parameters
(which case, organisation, country, person, facet values, page, search word) drawn per repetition
from a seeded RNG, both servers asked about the same thing:

* entity pages: opsi-kg's HTML page (`/page/{kind}/{key}`) and Turtle data document
  (`/data/case/{key}.ttl`) against Oxigraph answering `DESCRIBE <iri>` in Turtle. Target: page
  <= 1.5x DESCRIBE (the median). The 303 of `/id/case/{key}` is timed on opsi-kg alone. For scale,
  the fixed cost of a request on each server: opsi-kg's constant `/context.jsonld` against `ASK {}`.
* lists: `/cases` (first page, a later page, two facets) and `/organisations` against the SPARQL a
  server without opsi-kg's index would need for the same answer: the page (ORDER BY title, LIMIT 20
  OFFSET), the total (COUNT) and the facet counts (one GROUP BY per facet the list shows: 11 for
  cases, 2 for organisations), in sequence, their times added. This favours Oxigraph: the labels of
  the listed rows' countries and tags and of the facet values, which the opsi-kg page also shows,
  are not asked. No target (the issue sets none); shown for scale. Unfiltered lists cost Oxigraph
  seconds (tens of seconds at 100k), so lists get --list-repeat repetitions (default 10).
* search: `/search?q=WORD` against a scan of the literals search covers (titles, summaries, names,
  keywords, labels, definitions) with `FILTER(CONTAINS(LCASE(STR(?label)), "word"))` and LIMIT 20.
  Words: the number of a random case, organisation or person, or a word of a random country's name.
  Target: opsi-kg >= 10x faster. A second row searches words that every synthetic entity holds
  ("synthetic", "summary", "benchmarks"); there the scan stops after 20 unranked matches while
  opsi-kg counts and ranks them all, so it is shown without a target.

Each answer is checked (outside the timing): the page names its entity and DESCRIBE returns its
triples; every DESCRIBE triple is in the data document; the list pages list the same entities in
the same order as the SPARQL page; search finds something on both. Requests go over one keep-alive
`requests.Session` per server, alternating which server is asked first, after a warm-up. Printed
per request type: median and p95 latency on each server (client wall time to the last byte), the
ratio opsi-kg / Oxigraph of the medians, the target and whether it is met, the answer sizes and the
check; then the CPU this client used and that of other processes on the machine (with a warning
above a quarter of a core: a busy machine makes every figure slower, on both servers).

--workdir DIR keeps the stores (and the servers' logs) in DIR and reuses them on the next run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import requests  # noqa: E402
from pyoxigraph import RdfFormat  # noqa: E402
from pyoxigraph import parse  # noqa: E402
from sparql_http import JSON_RESULTS  # noqa: E402
from sparql_http import PREFIXES  # noqa: E402
from sparql_http import REQUEST_TIMEOUT  # noqa: E402
from sparql_http import SEED  # noqa: E402
from sparql_http import SERVER_ENV  # noqa: E402
from sparql_http import TURTLE  # noqa: E402
from sparql_http import Answer  # noqa: E402
from sparql_http import Data  # noqa: E402
from sparql_http import build  # noqa: E402
from sparql_http import other_cpu  # noqa: E402
from sparql_http import p95  # noqa: E402
from sparql_http import run_sizes  # noqa: E402
from sparql_http import start_servers  # noqa: E402
from sparql_http import tag  # noqa: E402
from sparql_http import wait_ready  # noqa: E402

PAGE_TARGET = 1.5  # opsi-kg page / Oxigraph DESCRIBE, medians
SEARCH_TARGET = 0.1  # opsi-kg search / Oxigraph scan: at least 10x faster
LIST_SIZE = 20  # rows per list page, opsi-kg's default
WARM_UP = 3  # untimed repetitions of each request type per server
OTHER_CPU_WARN = 0.25  # of one core
CLIENT_CPU_WARN = 0.70
SPARQL_PREFIXES = PREFIXES + "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
FREQUENT_WORDS = ("synthetic", "summary", "benchmarks")
#: The predicates whose literals opsi-kg's search indexes (graph/catalogue.py, TEXTS).
SEARCHED = "opsi:title opsi:summary opsi:overview opsi:name opsi:keyword skos:prefLabel skos:altLabel skos:definition rdfs:label"
SCAN = f"""SELECT ?s ?label WHERE {{
  VALUES ?p {{ {SEARCHED} }}
  ?s ?p ?label . FILTER(isLiteral(?label) && isIRI(?s) && CONTAINS(LCASE(STR(?label)), "$word"))
}} LIMIT 20"""
#: Facets of /cases (graph/catalogue.py, CASE_FACETS) as SPARQL patterns on ?x.
CASE_FACETS = {
    "country": "opsi:country",
    "tag": "opsi:tag",
    "stage": "opsi:lifecycleStage",
    "facet": "opsi:facet",
    "sector": "opsi:sector",
    "level": "opsi:levelOfGovernment",
    "year": "opsi:launchYear",
    "lead": "opsi:leadOrganisation",
    "lead_type": "opsi:leadOrganisation/opsi:organisationType",
    "organisation": "opsi:leadOrganisation|opsi:partnerOrganisation|opsi:involvedOrganisation",
    "organisation_type": "(opsi:leadOrganisation|opsi:partnerOrganisation|opsi:involvedOrganisation)/opsi:organisationType",
}
ORGANISATION_FACETS = {"type": "opsi:organisationType", "country": "opsi:country"}
RESULT_LINK = re.compile(r'class="result-link" href="([^"]+)"')
RESULT = re.compile(r'<li class="result">')
GROUPS = {
    "pages": "opsi-kg page or data document vs Oxigraph DESCRIBE <iri> (Turtle)",
    "lists": "opsi-kg list (HTML) vs SPARQL page + COUNT + one GROUP BY per facet, in sequence, times added",
    "search": "opsi-kg /search (SQLite FTS5, ranked) vs FILTER(CONTAINS) scan, LIMIT 20",
}
#: Data's sampling helper -> the noun of the synthetic names ("Synthetic organisation 12").
NOUNS = {"case": "case", "org": "organisation", "person": "person"}


# -- what is measured ------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    url: str
    body: bytes | None = None
    headers: dict = field(default_factory=dict)
    redirects: bool = True


@dataclass
class Context:
    """Where the servers are and what the data holds, for building requests."""

    data: Data
    site: str  # opsi-kg, e.g. http://127.0.0.1:1234
    endpoint: str  # Oxigraph's query endpoint
    country_words: list[str]

    def page(self, path: str, accept: str = "text/html") -> Request:
        return Request("GET", self.site + path, headers={"Accept": accept})

    def sparql(self, text: str, accept: str = JSON_RESULTS) -> Request:
        headers = {"Content-Type": "application/sparql-query", "Accept": accept}
        return Request("POST", self.endpoint, (SPARQL_PREFIXES + text).encode(), headers)


@dataclass
class Check:
    """What one repetition answered: a size on each side (in the item's units) and any problem."""

    opsi: float | None
    oxigraph: float | None = None
    problem: str | None = None


@dataclass
class Item:
    name: str
    group: str  # "pages", "lists", "search"
    what: str
    params: Callable[[Context, random.Random], dict]
    opsi: Callable[[Context, dict], Request]
    oxigraph: Callable[[Context, dict], list[Request]] | None  # in sequence, times added; None: opsi-kg only
    check: Callable[[Context, dict, Answer, list[Answer]], Check]
    units: tuple[str, str]
    target: float | None = None


def key_of(iri_in_brackets: str) -> tuple[str, str]:
    """``(iri, key)`` of an IRI from Data's helpers (``<B id/kind/key>``)."""
    iri = iri_in_brackets.strip("<>")
    return iri, iri.rsplit("/", 1)[-1]


def triples(body: bytes) -> set:
    return set(parse(body, format=RdfFormat.TURTLE))


def rows(answer: Answer) -> list[dict]:
    return json.loads(answer.body)["results"]["bindings"]


def entity_params(kind: str) -> Callable[[Context, random.Random], dict]:
    def params(ctx: Context, rng: random.Random) -> dict:
        iri, key = key_of(getattr(ctx.data, kind)(rng))
        return {"kind": kind, "iri": iri, "key": key}

    return params


def check_page(ctx: Context, p: dict, opsi: Answer, oxigraph: list[Answer]) -> Check:
    described = len(triples(oxigraph[0].body)) if oxigraph[0].status == 200 else None
    size = len(opsi.body) / 1024
    if opsi.status != 200:
        return Check(size, described, f"opsi-kg HTTP {opsi.status} for {p['iri']}")
    if not described:
        return Check(size, described, f"DESCRIBE of {p['iri']} gave HTTP {oxigraph[0].status} and no triples")
    if p["key"].startswith("synthetic-"):  # the page names its entity
        name = f"Synthetic {NOUNS[p['kind']]} {int(p['key'].split('-')[1])}"
        if name.encode() not in opsi.body:
            return Check(size, described, f"the page of {p['iri']} does not show {name!r}")
    return Check(size, described)


def check_document(ctx: Context, p: dict, opsi: Answer, oxigraph: list[Answer]) -> Check:
    if opsi.status != 200 or oxigraph[0].status != 200:
        return Check(None, None, f"HTTP {opsi.status} / {oxigraph[0].status} for {p['iri']}")
    mine, described = triples(opsi.body), triples(oxigraph[0].body)
    missing = described - mine
    problem = f"{len(missing)} DESCRIBE triples missing from the data document of {p['iri']}" if missing else None
    return Check(len(mine), len(described), problem or (None if described else f"DESCRIBE of {p['iri']} is empty"))


def check_redirect(ctx: Context, p: dict, opsi: Answer, oxigraph: list[Answer]) -> Check:
    ok = opsi.status == 303
    return Check(1 if ok else 0, None, None if ok else f"/id/case/{p['key']} gave HTTP {opsi.status}, not 303")


def check_fixed(ctx: Context, p: dict, opsi: Answer, oxigraph: list[Answer]) -> Check:
    ok = opsi.status == 200 and oxigraph[0].status == 200
    return Check(len(opsi.body) / 1024, len(oxigraph[0].body), None if ok else f"HTTP {opsi.status} / {oxigraph[0].status}")


# -- lists -----------------------------------------------------------------------------------


def list_queries(cls: str, label: str, facets: dict[str, str], filters: str, page: int) -> list[str]:
    """The page, the total and the facet counts of a list, as a SPARQL-only server would ask them.

    One GROUP BY per facet: Oxigraph plans a UNION of all facets in one query badly (over 120 s at 10k cases).
    """
    return [
        f"""SELECT ?x ?label ?year ?summary WHERE {{
  ?x a {cls} ; {label} ?label . {filters}
  OPTIONAL {{ ?x opsi:launchYear ?year }} OPTIONAL {{ ?x opsi:summary ?summary }}
}} ORDER BY LCASE(STR(?label)) ?x LIMIT {LIST_SIZE} OFFSET {(page - 1) * LIST_SIZE}""",
        f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} . {filters} }}",
        *(f"SELECT ?value (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} . {filters} ?x {path} ?value }} GROUP BY ?value"
          for path in facets.values()),
    ]  # fmt: skip


def case_list(ctx: Context, p: dict) -> list[Request]:
    filters = "".join(f"?x opsi:{pred} <{iri}> . " for pred, iri in p.get("filters", []))
    return [ctx.sparql(q) for q in list_queries("opsi:Case", "opsi:title", CASE_FACETS, filters, p.get("page", 1))]


def organisation_list(ctx: Context, p: dict) -> list[Request]:
    return [ctx.sparql(q) for q in list_queries("opsi:Organisation", "opsi:name", ORGANISATION_FACETS, "", 1)]


def later_page(ctx: Context, rng: random.Random) -> dict:
    page = rng.randint(2, -(-ctx.data.cases // LIST_SIZE))
    return {"path": f"/cases?page={page}", "page": page}


def two_facets(ctx: Context, rng: random.Random) -> dict:
    country, _ = key_of(ctx.data.country(rng))
    tag_iri, _ = key_of(tag(rng))
    code, tag_key = country.rsplit("/", 1)[-1], tag_iri.rsplit("/", 1)[-1]
    return {"path": f"/cases?country={code}&tag={tag_key}", "filters": [("country", country), ("tag", tag_iri)]}


def check_list(ctx: Context, p: dict, opsi: Answer, oxigraph: list[Answer]) -> Check:
    if opsi.status != 200 or any(a.status != 200 for a in oxigraph):
        return Check(None, None, f"{p['path']}: HTTP {opsi.status} / {[a.status for a in oxigraph]}")
    listed = [href.rsplit("/", 1)[-1] for href in RESULT_LINK.findall(opsi.body.decode())]
    page = [row["x"]["value"].rsplit("/", 1)[-1] for row in rows(oxigraph[0])]
    total = int(rows(oxigraph[1])[0]["n"]["value"])
    shown = re.search(r'class="total">([^<]*)<', opsi.body.decode())
    opsi_total = int(re.sub(r"\D", "", shown.group(1))) if shown and re.search(r"\d", shown.group(1)) else None
    if listed != page:
        return Check(len(listed), len(page), f"{p['path']}: opsi-kg lists {listed[:3]}…, SPARQL {page[:3]}…")
    if opsi_total is not None and opsi_total != total:
        return Check(len(listed), len(page), f"{p['path']}: totals differ, opsi-kg {opsi_total}, SPARQL {total}")
    return Check(len(listed), len(page))


# -- search ----------------------------------------------------------------------------------


def search_word(ctx: Context, rng: random.Random) -> dict:
    how = rng.choice(["case", "org", "person", "country"])
    if how == "country":
        word = rng.choice(ctx.country_words)
    else:
        word = str(int(key_of(getattr(ctx.data, how)(rng))[1].split("-")[1]))
    return {"word": word}


def frequent_word(ctx: Context, rng: random.Random) -> dict:
    return {"word": rng.choice(FREQUENT_WORDS)}


def check_search(ctx: Context, p: dict, opsi: Answer, oxigraph: list[Answer]) -> Check:
    found = len(RESULT.findall(opsi.body.decode())) if opsi.status == 200 else None
    scanned = len(rows(oxigraph[0])) if oxigraph[0].status == 200 else None
    if not found or not scanned:
        return Check(found, scanned, f"q={p['word']!r}: opsi-kg {found} results (HTTP {opsi.status}), scan {scanned} rows")
    return Check(found, scanned)


def describe(ctx: Context, p: dict) -> list[Request]:
    return [ctx.sparql(f"DESCRIBE <{p['iri']}>", TURTLE)]


def page_item(kind: str, path_kind: str, target: float | None = PAGE_TARGET) -> Item:
    return Item(
        f"page {path_kind}", "pages", f"GET /page/{path_kind}/<key> (HTML) vs DESCRIBE",
        entity_params(kind), lambda ctx, p: ctx.page(f"/page/{path_kind}/{p['key']}"), describe, check_page,
        ("KB", "triples"), target,
    )  # fmt: skip


REQUESTS = [
    page_item("case", "case"),
    page_item("org", "organisation"),
    page_item("country", "country"),
    page_item("person", "person"),
    Item("data case .ttl", "pages", "GET /data/case/<key>.ttl vs DESCRIBE", entity_params("case"),
         lambda ctx, p: ctx.page(f"/data/case/{p['key']}.ttl", TURTLE), describe, check_document,
         ("triples", "triples"), PAGE_TARGET),
    Item("303 /id/case", "pages", "GET /id/case/<key>, 303 not followed (opsi-kg only)", entity_params("case"),
         lambda ctx, p: Request("GET", f"{ctx.site}/id/case/{p['key']}", headers={"Accept": "text/html"}, redirects=False),
         None, check_redirect, ("303", "")),
    Item("fixed cost", "pages", "GET /context.jsonld vs ASK {}: what any request costs", lambda ctx, rng: {},
         lambda ctx, p: ctx.page("/context.jsonld", "application/ld+json"), lambda ctx, p: [ctx.sparql("ASK {}")],
         check_fixed, ("KB", "B")),
    Item("cases, first page", "lists", "GET /cases vs page + COUNT + facet counts", lambda ctx, rng: {"path": "/cases"},
         lambda ctx, p: ctx.page(p["path"]), case_list, check_list, ("rows", "rows")),
    Item("cases, later page", "lists", "GET /cases?page=N vs the same with OFFSET", later_page,
         lambda ctx, p: ctx.page(p["path"]), case_list, check_list, ("rows", "rows")),
    Item("cases, 2 facets", "lists", "GET /cases?country=C&tag=T vs the same filtered", two_facets,
         lambda ctx, p: ctx.page(p["path"]), case_list, check_list, ("rows", "rows")),
    Item("organisations", "lists", "GET /organisations vs page + COUNT + facet counts",
         lambda ctx, rng: {"path": "/organisations"}, lambda ctx, p: ctx.page(p["path"]), organisation_list,
         check_list, ("rows", "rows")),
    Item("search", "search", "GET /search?q=W vs CONTAINS scan LIMIT 20", search_word,
         lambda ctx, p: ctx.page(f"/search?q={p['word']}"),
         lambda ctx, p: [ctx.sparql(SCAN.replace("$word", p["word"]))], check_search, ("results", "rows"), SEARCH_TARGET),
    Item("search, frequent word", "search", "a word of every entity: the scan stops at 20", frequent_word,
         lambda ctx, p: ctx.page(f"/search?q={p['word']}"),
         lambda ctx, p: [ctx.sparql(SCAN.replace("$word", p["word"]))], check_search, ("results", "rows")),
]  # fmt: skip


# -- measuring -------------------------------------------------------------------------------


def send(session: requests.Session, request: Request) -> Answer:
    started = time.perf_counter()
    try:
        r = session.request(request.method, request.url, data=request.body, headers=request.headers,
                            allow_redirects=request.redirects, timeout=REQUEST_TIMEOUT)  # fmt: skip
        body, status = r.content, r.status_code  # the whole body is read before the clock stops
    except requests.RequestException as error:
        body, status = str(error).encode(), 0
    return Answer(time.perf_counter() - started, status, body)


@dataclass
class Result:
    seconds: dict = field(default_factory=lambda: {"opsi-kg": [], "Oxigraph": []})
    checks: list[Check] = field(default_factory=list)


def measure(ctx: Context, sessions: dict, item: Item, repeat: int, seed: str) -> Result:
    rng = random.Random(seed)
    result = Result()
    for rep in range(repeat):
        p = item.params(ctx, rng)
        answers: dict[str, list[Answer]] = {}
        sides = ["opsi-kg", "Oxigraph"] if item.oxigraph else ["opsi-kg"]
        for side in sides if rep % 2 == 0 else sides[::-1]:
            requests_ = [item.opsi(ctx, p)] if side == "opsi-kg" else item.oxigraph(ctx, p)
            answers[side] = [send(sessions[side], r) for r in requests_]
            result.seconds[side].append(sum(a.seconds for a in answers[side]))
        result.checks.append(item.check(ctx, p, answers["opsi-kg"][0], answers.get("Oxigraph", [])))
    return result


def wait_pages(site: str, log: Path, limit: float = 900.0) -> float:
    """Until opsi-kg renders a list (the search index is built or checked at start); a 5xx is an error."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        try:
            status = requests.get(site + "/cases", timeout=limit).status_code
            if status == 200:
                return time.perf_counter() - started
            if status >= 500:
                raise RuntimeError(f"opsi-kg answered /cases with HTTP {status}; see {log}")
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"opsi-kg did not render /cases within {limit:.0f} s")


def country_words(endpoint: str) -> list[str]:
    """Words (five letters or more) of the names of the countries: search words that exist in the data."""
    query = SPARQL_PREFIXES + "SELECT DISTINCT ?name WHERE { ?c a opsi:Country ; opsi:name ?name }"
    answer = requests.post(endpoint, data=query.encode(), timeout=REQUEST_TIMEOUT,
                           headers={"Content-Type": "application/sparql-query", "Accept": JSON_RESULTS})  # fmt: skip
    answer.raise_for_status()
    words = {w.lower() for row in answer.json()["results"]["bindings"] for w in re.findall(r"[^\W\d_]{5,}", row["name"]["value"])}
    return sorted(words)


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# -- one size --------------------------------------------------------------------------------


def bench(cases: int, args, workdir: Path, opsi_kg: str, oxigraph: str) -> None:
    print(f"\n=== {cases} cases ===", flush=True)
    store, ostore, built = build(cases, workdir, opsi_kg, oxigraph)
    print(f"stores: {built['quads']} quads (asserted + inferred + reference) in both", flush=True)
    servers = start_servers(cases, store, ostore, workdir, opsi_kg, oxigraph)
    try:
        started = time.perf_counter()
        for server in servers:
            wait_ready(server)
        site = servers[0].endpoint.rsplit("/", 1)[0]
        wait_pages(site, servers[0].log)
        print(f"ready after {time.perf_counter() - started:.1f} s (opsi-kg loads its query workers and its search index)")
        ctx = Context(Data.of(cases), site, servers[1].endpoint, country_words(servers[1].endpoint))
        sessions = {s.name: requests.Session() for s in servers}
        print(f"warm-up ({WARM_UP} of each request type per server, 1 of each list) ...", flush=True)
        for item in REQUESTS:
            measure(ctx, sessions, item, 1 if item.group == "lists" else WARM_UP, f"{SEED}-warm-{cases}-{item.name}")
        print(f"measuring: {args.repeat} repetitions per request type ({args.list_repeat} per list), servers alternating "
              f"(load average {loadavg()}) ...", flush=True)  # fmt: skip
        before = other_cpu(servers)
        cpu, wall = time.process_time(), time.perf_counter()
        results = {
            item.name: measure(ctx, sessions, item, args.list_repeat if item.group == "lists" else args.repeat,
                               f"{SEED}-{cases}-{item.name}")
            for item in REQUESTS
        }  # fmt: skip
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        others = other_cpu(servers, before)
        for s in sessions.values():
            s.close()
    finally:
        for server in servers:
            server.stop()
    report(cases, results, cpu / wall, others, wall)


def report(cases: int, results: dict[str, Result], client: float, others: float | None, wall: float) -> None:
    print(f"\n{cases} cases, SYNTHETIC data: latency in ms (median / p95), ratio = opsi-kg / Oxigraph of the medians")
    header = (f"{'request':<24} {'opsi-kg':>8} {'p95':>7} {'Oxigraph':>9} {'p95':>7} {'ratio':>7} {'target':>8} {'met':>4}"
              f"  {'answer (median) opsi-kg / Oxigraph':<36} check")  # fmt: skip
    group = None
    problems = []
    for item in REQUESTS:
        if item.group != group:
            group = item.group
            print(f"\n-- {group}: {GROUPS[group]}")
            print(header)
            print("-" * len(header))
        r = results[item.name]
        mo, po = statistics.median(r.seconds["opsi-kg"]) * 1000, p95(r.seconds["opsi-kg"]) * 1000
        sizes_o = [c.opsi for c in r.checks if c.opsi is not None]
        size_o = f"{statistics.median(sizes_o):.0f} {item.units[0]}" if sizes_o else "-"
        bad = [c.problem for c in r.checks if c.problem]
        check = "ok" if not bad else f"{len(bad)} PROBLEMS"
        problems += [f"{item.name}: {p}" for p in bad[:3]]
        if not item.oxigraph:
            print(f"{item.name:<24} {mo:8.2f} {po:7.2f} {'-':>9} {'-':>7} {'-':>7} {'-':>8} {'':>4}  {size_o:<36} {check}")
            continue
        mx, px = statistics.median(r.seconds["Oxigraph"]) * 1000, p95(r.seconds["Oxigraph"]) * 1000
        ratio = mo / mx
        sizes_x = [c.oxigraph for c in r.checks if c.oxigraph is not None]
        answer = f"{size_o} / {statistics.median(sizes_x):.0f} {item.units[1]}" if sizes_x else f"{size_o} / -"
        if item.target is None:
            target, met = "-", ""
        else:
            target = f"<={item.target:.2f}x"
            met = "yes" if ratio <= item.target else "NO"
        shown = f"{ratio:.2f}x" if ratio >= 0.1 else f"{ratio:.3f}x"
        print(f"{item.name:<24} {mo:8.2f} {po:7.2f} {mx:9.2f} {px:7.2f} {shown:>7} {target:>8} {met:>4}  {answer:<36} {check}")
    print("\ntargets: page and data document <= 1.5x DESCRIBE; search >= 10x faster than the scan (ratio <= 0.10x).")
    print("lists: opsi-kg also shows labels of the rows' countries and tags and of the facet values, not asked of Oxigraph.")
    print("search, frequent word: the scan stops after 20 unranked matches; opsi-kg counts and ranks every match.")
    for problem in problems:
        print(f"  !!! {problem}")
    print(f"\nclient CPU: {client * 100:.0f}% of a core over {wall:.0f} s of measurement"
          + ("  (WARNING: the client may be the bottleneck)" if client > CLIENT_CPU_WARN else ""))  # fmt: skip
    if others is not None:
        print(f"other processes on this machine ({os.cpu_count()} cores) meanwhile: {others * 100:.0f}% of a core; "
              f"load average now {loadavg()}"
              + ("  (WARNING: the machine was not quiet; the alternation spreads it over both servers)"
                 if others > OTHER_CPU_WARN else ""), flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--repeat", type=int, default=30, help="repetitions of each request type on each server")
    parser.add_argument("--list-repeat", type=int, default=10, help="repetitions of each list (slow on Oxigraph)")
    parser.add_argument("--workdir", type=Path, help="keep (and reuse) the stores here instead of a temporary directory")
    run_sizes(parser, lambda: f"{len(REQUESTS)} request types; opsi-kg with {SERVER_ENV}; no conditional requests (full renders)",
              bench)  # fmt: skip


if __name__ == "__main__":
    main()
