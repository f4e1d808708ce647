"""Benchmark: the SPARQL 1.1 Protocol over HTTP, opsi-kg against Oxigraph server, same data.

    pip install oxigraph                     # the peer: Oxigraph's server CLI (`oxigraph`)
    python bench/sparql_http.py              # 10k and 100k cases, 30 repetitions per query
    python bench/sparql_http.py --cases 10000 --repeat 30 --throughput-requests 400

For each size it generates SYNTHETIC OPSI-shaped cases (bench/synthetic.py, seed 42) and builds
an opsi-kg store with the real command line (`opsi-kg init --no-demo`, `opsi-kg load`, which
materialises the inferences), dumps it (`opsi-kg dump --format nq`) and loads that dump into
Oxigraph (`oxigraph load`, then `oxigraph optimize` as Oxigraph advises for read workloads), so
both servers hold exactly the same quads, asserted and inferred. It then starts
`opsi-kg serve` (2 query workers, 8 threads, 120 s time limit) and
`oxigraph serve-read-only --union-default-graph` (120 s time limit), each on a free port of
127.0.0.1, and checks that both count the same quads.

The query mix (QUERIES below) uses only full IRIs and PREFIX declarations. Parameterised
queries draw new parameters for every repetition from a seeded RNG, and both servers get the
same parameters. Every request is a POST `application/sparql-query` with `Accept:
application/sparql-results+json` (SELECT, ASK) or `text/turtle` (CONSTRUCT, DESCRIBE), on one
keep-alive `requests.Session` per server (per thread in the throughput phase).

Measurement: a warm-up (the whole mix from 4 threads, then once in sequence, on each server);
then, query by query, --repeat repetitions alternating which server is asked first, giving
median and p95 latency (the client's wall time from sending the request to the last byte of
the body); the row count (triples for CONSTRUCT/DESCRIBE, the boolean for ASK) of every answer
is compared between the servers. Then throughput: 4 client threads share
--throughput-requests requests per server over the mix (each thread its own shuffled order),
in blocks opsi-kg, Oxigraph, Oxigraph, opsi-kg so drift hits both; the client's own CPU time is
measured so a saturated load generator is noticed, and the server's CPU (its whole process
tree) and that of every other process on the machine (from /proc/stat) are shown beside it.

Both servers and this client share the machine's cores: on a small machine the throughput
figures are those of the machine, not of a server alone, and a busy machine (other processes
above a quarter of a core) is reported.

--workdir DIR keeps the stores (and the servers' logs) in DIR and reuses them on the next run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from string import Template

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pycountry  # noqa: E402
import requests  # noqa: E402
from pyoxigraph import RdfFormat  # noqa: E402
from pyoxigraph import parse  # noqa: E402
from synthetic import TAGS  # noqa: E402
from synthetic import generate  # noqa: E402

BASE = "http://localhost:8000/"
SEED = 42
CLIENTS = 4
JSON_RESULTS = "application/sparql-results+json"
TURTLE = "text/turtle"
REQUEST_TIMEOUT = 300  # seconds, per request (the servers stop queries at 120 s)
CLIENT_CPU_WARN = 0.70  # of one core
SERVER_ENV = {"OPSI_KG_QUERY_WORKERS": "2", "OPSI_KG_QUERY_TIMEOUT": "120", "OPSI_KG_THREADS": "8"}

PREFIXES = """PREFIX opsi: <https://w3id.org/opsi-kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
VOCAB = "https://w3id.org/opsi-kg/vocab/"


# -- the query mix ---------------------------------------------------------------------------


@dataclass
class Data:
    """What the synthetic generator made, so parameters name entities that exist."""

    cases: int
    orgs: int
    people: int
    countries: list[str]

    @classmethod
    def of(cls, cases: int) -> Data:
        # the same arithmetic as bench/synthetic.generate
        countries = sorted(c.alpha_3 for c in pycountry.countries)
        return cls(cases, max(cases // 4, 5), max(cases // 3, 5), countries)

    def case(self, rng: random.Random) -> str:
        return f"<{BASE}id/case/synthetic-{rng.randrange(self.cases):07d}>"

    def org(self, rng: random.Random) -> str:
        return f"<{BASE}id/organisation/synthetic-{rng.randrange(self.orgs):07d}>"

    def parent_org(self, rng: random.Random) -> str:
        """An organisation with sub-units: the generator's ten-way tree gives them to 1 … orgs/10."""
        return f"<{BASE}id/organisation/synthetic-{rng.randrange(1, max(self.orgs // 10, 2)):07d}>"

    def person(self, rng: random.Random) -> str:
        return f"<{BASE}id/person/synthetic-{rng.randrange(self.people):07d}>"

    def country(self, rng: random.Random) -> str:
        return f"<{BASE}id/country/{rng.choice(self.countries)}>"


def tag(rng: random.Random) -> str:
    return f"<{VOCAB}innovation-tag/{rng.choice(TAGS)}>"


def year(rng: random.Random) -> int:
    return rng.randint(2003, 2025)  # the synthetic launch years


@dataclass
class Query:
    """A query of the mix: ``$name`` placeholders in ``template`` are filled by ``params``."""

    name: str
    kind: str  # "select", "ask" or "graph" (CONSTRUCT, DESCRIBE)
    template: str
    what: str
    params: Callable[[Data, random.Random], dict] = lambda d, r: {}

    def text(self, data: Data, rng: random.Random) -> str:
        return PREFIXES + Template(self.template).substitute(self.params(data, rng))

    @property
    def accept(self) -> str:
        return TURTLE if self.kind == "graph" else JSON_RESULTS


def _year_range(d: Data, r: random.Random) -> dict:
    first = year(r)
    return {"tag": tag(r), "first": first, "last": min(first + r.randint(0, 4), 2025)}


QUERIES = [
    Query(
        "case_lookup", "select",
        "SELECT ?p ?o WHERE { $case ?p ?o }",
        "all triples of one case (asserted + inferred)",
        lambda d, r: {"case": d.case(r)},
    ),
    Query(
        "describe_org", "graph",
        "DESCRIBE $org",
        "DESCRIBE one organisation",
        lambda d, r: {"org": d.org(r)},
    ),
    Query(
        "cases_per_country", "select",
        """SELECT ?country ?code ?name (COUNT(DISTINCT ?case) AS ?cases) WHERE {
  ?case a opsi:Case ; opsi:country ?country .
  ?country opsi:isoAlpha3 ?code ; opsi:name ?name .
} GROUP BY ?country ?code ?name ORDER BY DESC(?cases) ?name""",
        "aggregate over all cases, joined to countries",
    ),
    Query(
        "cases_per_year", "select",
        """SELECT ?year (COUNT(DISTINCT ?case) AS ?cases) WHERE {
  ?case a opsi:Case ; opsi:launchYear ?year .
} GROUP BY ?year ORDER BY ?year""",
        "aggregate by launch year",
    ),
    Query(
        "tag_year_range", "select",
        """SELECT ?case ?title ?year WHERE {
  ?case opsi:tag $tag ; opsi:launchYear ?year ; opsi:title ?title .
  FILTER(?year >= $first && ?year <= $last)
} ORDER BY ?year ?title""",
        "cases with tag T launched between Y1 and Y2",
        _year_range,
    ),
    Query(
        "orgs_many_countries", "select",
        """SELECT ?org (COUNT(DISTINCT ?country) AS ?countries) WHERE {
  ?case opsi:involvedOrganisation ?org ; opsi:country ?country .
} GROUP BY ?org HAVING (COUNT(DISTINCT ?country) > 1)
ORDER BY DESC(?countries) ?org LIMIT 100""",
        "organisations whose cases are in more than one country",
    ),
    Query(
        "sub_organisations", "select",
        """SELECT ?unit ?name WHERE {
  ?unit opsi:subOrganisationOf+ $org ; opsi:name ?name .
}""",
        "property path: units within organisation X",
        lambda d, r: {"org": d.parent_org(r)},
    ),
    Query(
        "title_contains", "select",
        """SELECT ?case ?title WHERE {
  ?case a opsi:Case ; opsi:title ?title .
  FILTER(CONTAINS(LCASE(?title), "case $number"))
}""",
        "text filter on every title",
        lambda d, r: {"number": r.randint(1, 999)},
    ),
    Query(
        "construct_year", "graph",
        """CONSTRUCT {
  ?case a schema:CreativeWork ; schema:name ?title ; schema:abstract ?summary ;
        schema:dateCreated "$year"^^xsd:gYear ; schema:spatialCoverage ?country .
  ?country schema:name ?countryName .
} WHERE {
  ?case a opsi:Case ; opsi:launchYear $year ; opsi:title ?title ; opsi:summary ?summary ;
        opsi:country ?country .
  ?country opsi:name ?countryName .
}""",
        "CONSTRUCT export (schema.org) of the cases of one year",
        lambda d, r: {"year": year(r)},
    ),
    Query(
        "ask_exists", "ask",
        "ASK { ?case opsi:country $country ; opsi:tag $tag ; opsi:launchYear $year }",
        "is there a case of country C, tag T, year Y",
        lambda d, r: {"country": d.country(r), "tag": tag(r), "year": year(r)},
    ),
    Query(
        "count_organizations", "select",
        "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a schema:Organization }",
        "count of an inferred type",
    ),
    Query(
        "top_tags", "select",
        """SELECT ?tag ?label (COUNT(DISTINCT ?case) AS ?cases) WHERE {
  ?case a opsi:Case ; opsi:tag ?tag .
  ?tag skos:prefLabel ?label . FILTER(LANG(?label) = "en")
} GROUP BY ?tag ?label ORDER BY DESC(?cases) ?label LIMIT 5""",
        "GROUP BY / ORDER BY / LIMIT",
    ),
    Query(
        "related_cases", "select",
        """SELECT DISTINCT ?other ?title WHERE {
  { $case opsi:relatedCase ?other } UNION { ?other opsi:relatedCase $case }
  ?other opsi:title ?title .
}""",
        "related cases, both directions",
        lambda d, r: {"case": d.case(r)},
    ),
    Query(
        "top_lead_orgs", "select",
        """SELECT ?org ?name ?countryName ?cases WHERE {
  { SELECT ?org (COUNT(DISTINCT ?case) AS ?cases) WHERE { ?case opsi:leadOrganisation ?org }
    GROUP BY ?org ORDER BY DESC(?cases) ?org LIMIT 10 }
  ?org opsi:name ?name ; opsi:country/opsi:name ?countryName .
} ORDER BY DESC(?cases) ?org""",
        "subquery: the 10 organisations leading most cases",
    ),
    Query(
        "innovator_cases", "select",
        "SELECT ?case ?title WHERE { $person opsi:innovatorOf ?case . ?case opsi:title ?title }",
        "cases of one person (inferred inverse)",
        lambda d, r: {"person": d.person(r)},
    ),
    Query(
        "country_cases", "select",
        """SELECT ?case ?title ?year ?lead WHERE {
  ?case opsi:country $country ; opsi:title ?title ; opsi:launchYear ?year ;
        opsi:leadOrganisation/opsi:name ?lead .
} ORDER BY DESC(?year) ?title""",
        "cases of one country with their lead organisation",
        lambda d, r: {"country": d.country(r)},
    ),
    Query(
        "cases_without_innovator", "select",
        "SELECT (COUNT(?case) AS ?n) WHERE { ?case a opsi:Case FILTER NOT EXISTS { ?case opsi:innovator ?person } }",
        "FILTER NOT EXISTS over all cases",
    ),
]  # fmt: skip


# -- servers ---------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    endpoint: str
    process: subprocess.Popen
    log: Path
    ready_s: float = 0.0

    def session(self) -> requests.Session:
        return requests.Session()

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)  # the session this script started
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass

    def cpu_seconds(self) -> float | None:
        """User + system CPU of the server's process tree (Linux /proc), or None."""
        total, seen, todo = 0.0, set(), [self.process.pid]
        tick = os.sysconf("SC_CLK_TCK")
        try:
            while todo:
                pid = todo.pop()
                if pid in seen:
                    continue
                seen.add(pid)
                try:
                    stat = Path(f"/proc/{pid}/stat").read_text()
                    fields = stat[stat.rindex(")") + 2 :].split()
                    total += (int(fields[11]) + int(fields[12])) / tick
                    for task in Path(f"/proc/{pid}/task").iterdir():
                        children = (task / "children").read_text().split()
                        todo.extend(int(c) for c in children)
                except (FileNotFoundError, ProcessLookupError):
                    continue
        except (OSError, ValueError):
            return None
        return total


def machine_cpu_seconds() -> float | None:
    """Busy CPU time of the whole machine, all cores (Linux /proc/stat), or None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        user, nice, system, idle, iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    except (OSError, ValueError, IndexError):
        return None
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def other_cpu(servers: list[Server], before: tuple | None = None):
    """CPU of processes other than this client and the servers: a snapshot, or the share of a core since one."""
    servers_cpu = [s.cpu_seconds() for s in servers]
    now = (time.perf_counter(), machine_cpu_seconds(), time.process_time(), None if None in servers_cpu else sum(servers_cpu))
    if before is None:
        return now
    if None in before or None in now:
        return None
    return ((now[1] - before[1]) - (now[2] - before[2]) - (now[3] - before[3])) / (now[0] - before[0])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def run(command: list[str], *, what: str, env: dict | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        how = f"exit code {done.returncode}" if done.returncode > 0 else f"killed by signal {-done.returncode}"
        sys.exit(f"{what} failed, {how} ({' '.join(command)}):\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started


def start(name: str, command: list[str], endpoint: str, log: Path, env: dict | None = None) -> Server:
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    return Server(name, endpoint, process, log)


def wait_ready(server: Server, limit: float = 900.0) -> None:
    """Until the server answers a query (opsi-kg's workers load their snapshot on the first)."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited ({server.process.returncode}); see {server.log}")
        try:
            r = requests.post(
                server.endpoint,
                data="ASK { ?s ?p ?o }",
                timeout=limit,
                headers={"Content-Type": "application/sparql-query", "Accept": JSON_RESULTS},
            )
            if r.status_code == 200:
                server.ready_s = time.perf_counter() - started
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer within {limit:.0f} s; see {server.log}")


# -- requests --------------------------------------------------------------------------------


@dataclass
class Answer:
    seconds: float
    status: int
    body: bytes


def ask(session: requests.Session, server: Server, query: Query, text: str) -> Answer:
    headers = {"Content-Type": "application/sparql-query", "Accept": query.accept}
    started = time.perf_counter()
    try:
        r = session.post(server.endpoint, data=text.encode(), headers=headers, timeout=REQUEST_TIMEOUT)
        body = r.content  # the whole body is read before the clock stops
        status = r.status_code
    except requests.RequestException as error:
        body, status = str(error).encode(), 0
    return Answer(time.perf_counter() - started, status, body)


def rows(query: Query, answer: Answer) -> str:
    """Solutions, triples or the boolean of an answer, for comparing the servers."""
    if answer.status != 200:
        return f"HTTP {answer.status}"
    if query.kind == "graph":
        return str(sum(1 for _ in parse(answer.body, format=RdfFormat.TURTLE)))
    result = json.loads(answer.body)
    if query.kind == "ask":
        return str(result["boolean"]).lower()
    return str(len(result["results"]["bindings"]))


# -- phases ----------------------------------------------------------------------------------


def count_quads(server: Server) -> int:
    query = Query("quads", "select", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "")
    answer = ask(requests.Session(), server, query, query.template)
    if answer.status != 200:
        raise RuntimeError(f"{server.name}: counting quads gave HTTP {answer.status}: {answer.body[:300]!r}")
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


def mix_pass(server: Server, data: Data, seed: str, count: int, threads: int) -> dict:
    """``count`` requests from ``threads`` threads over the mix; wall time, CPU, errors."""
    errors: list[str] = []
    lock = threading.Lock()

    def client(index: int, share: int) -> None:
        rng = random.Random(f"{seed}-{index}")
        session = server.session()
        order: list[Query] = []
        for _ in range(share):
            if not order:
                order = list(QUERIES)
                rng.shuffle(order)
            query = order.pop()
            answer = ask(session, server, query, query.text(data, rng))
            if answer.status != 200:
                with lock:
                    errors.append(f"{query.name}: HTTP {answer.status} {answer.body[:200]!r}")
        session.close()

    shares = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
    workers = [threading.Thread(target=client, args=(i, share)) for i, share in enumerate(shares)]
    server_cpu, machine_cpu = server.cpu_seconds(), machine_cpu_seconds()
    cpu, wall = time.process_time(), time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    server_after, machine_after = server.cpu_seconds(), machine_cpu_seconds()
    server_cpu = server_after - server_cpu if server_cpu is not None and server_after is not None else None
    machine_cpu = machine_after - machine_cpu if machine_cpu is not None and machine_after is not None else None
    return {
        "requests": count,
        "wall": wall,
        "client_cpu": cpu,
        "server_cpu": server_cpu,
        "other_cpu": machine_cpu - cpu - server_cpu if server_cpu is not None and machine_cpu is not None else None,
        "errors": errors,
    }


def throughput(server_list: list[Server], data: Data, count: int, seed: str) -> dict:
    """``count`` requests per server from CLIENTS threads, in blocks A B B A so drift hits both."""
    blocks = [count // 2, count - count // 2]
    totals = {s.name: {"requests": 0, "wall": 0.0, "client_cpu": 0.0, "server_cpu": 0.0, "other_cpu": 0.0,
                       "errors": []} for s in server_list}  # fmt: skip
    order = [(server_list[0], 0), (server_list[1], 0), (server_list[1], 1), (server_list[0], 1)]
    for server, block in order:
        result = mix_pass(server, data, f"{seed}-{block}", blocks[block], CLIENTS)
        total = totals[server.name]
        for key in ("requests", "wall", "client_cpu", "server_cpu", "other_cpu"):
            if total[key] is None or result[key] is None:
                total[key] = None
            else:
                total[key] += result[key]
        total["errors"] += result["errors"]
    return totals


@dataclass
class Timings:
    seconds: dict = field(default_factory=dict)  # server name -> [seconds]
    rows: dict = field(default_factory=dict)  # server name -> [row count text]
    errors: int = 0


def latency(servers: list[Server], data: Data, repeat: int) -> dict[str, Timings]:
    sessions = {s.name: s.session() for s in servers}
    out: dict[str, Timings] = {}
    for query in QUERIES:
        rng = random.Random(f"{SEED}-latency-{data.cases}-{query.name}")
        t = out[query.name] = Timings({s.name: [] for s in servers}, {s.name: [] for s in servers})
        for rep in range(repeat):
            text = query.text(data, rng)
            for server in servers if rep % 2 == 0 else servers[::-1]:
                answer = ask(sessions[server.name], server, query, text)
                t.seconds[server.name].append(answer.seconds)
                t.rows[server.name].append(rows(query, answer))
                if answer.status != 200:
                    t.errors += 1
                    print(f"  ! {server.name} {query.name}: HTTP {answer.status} {answer.body[:300]!r}", flush=True)
        a, b = (t.rows[s.name] for s in servers)
        if a != b:
            diff = [i for i in range(repeat) if a[i] != b[i]]
            print(f"  !!! ROW MISMATCH in {query.name}: {len(diff)} of {repeat} repetitions differ, "
                  f"e.g. repetition {diff[0]}: {servers[0].name} {a[diff[0]]}, {servers[1].name} {b[diff[0]]}",
                  flush=True)  # fmt: skip
    for s in sessions.values():
        s.close()
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# -- building the stores ---------------------------------------------------------------------


def build(cases: int, workdir: Path, opsi_kg: str, oxigraph: str) -> tuple[Path, Path, dict]:
    store, ostore = workdir / f"opsi-kg-{cases}", workdir / f"oxigraph-{cases}"
    marker = workdir / f"built-{cases}.json"
    if marker.exists() and store.is_dir() and ostore.is_dir():
        print(f"reusing the stores in {workdir}", flush=True)
        return store, ostore, json.loads(marker.read_text())
    for path in (store, ostore):
        shutil.rmtree(path, ignore_errors=True)
    times: dict = {}
    data, dump = workdir / f"synthetic-{cases}.nt", workdir / f"all-{cases}.nq"
    common = ["--store", str(store), "--base", BASE]
    times["init"] = run([opsi_kg, "init", "--no-demo", *common], what="opsi-kg init")
    started = time.perf_counter()
    times["triples"] = generate(cases, data, base=BASE, seed=SEED)
    times["generate"] = time.perf_counter() - started
    times["load"] = run([opsi_kg, "load", str(data), *common], what="opsi-kg load")
    times["dump"] = run([opsi_kg, "dump", "--format", "nq", "-o", str(dump), *common], what="opsi-kg dump")
    with dump.open("rb") as f:
        times["quads"] = sum(1 for _ in f)
    times["oxigraph_load"] = run([oxigraph, "load", "--location", str(ostore), "--file", str(dump)], what="oxigraph load")
    times["oxigraph_optimize"] = run([oxigraph, "optimize", "--location", str(ostore)], what="oxigraph optimize")
    data.unlink()
    dump.unlink()
    marker.write_text(json.dumps(times))
    return store, ostore, times


# -- servers for one size --------------------------------------------------------------------


def start_servers(cases: int, store: Path, ostore: Path, workdir: Path, opsi_kg: str, oxigraph: str) -> list[Server]:
    """``opsi-kg serve`` and ``oxigraph serve-read-only`` on free ports of 127.0.0.1 (not yet ready)."""
    env = dict(os.environ, **SERVER_ENV)
    p1, p2 = free_port(), free_port()
    return [
        start("opsi-kg", [opsi_kg, "serve", "--store", str(store), "--base", BASE, "--host", "127.0.0.1",
                          "--port", str(p1)], f"http://127.0.0.1:{p1}/sparql", workdir / f"opsi-kg-{cases}.log", env),
        start("Oxigraph", [oxigraph, "serve-read-only", "--location", str(ostore), "--bind", f"127.0.0.1:{p2}",
                           "--union-default-graph", "--timeout-s", "120"],
              f"http://127.0.0.1:{p2}/query", workdir / f"oxigraph-{cases}.log"),
    ]  # fmt: skip


# -- one size --------------------------------------------------------------------------------


def bench(cases: int, args, workdir: Path, opsi_kg: str, oxigraph: str) -> None:
    print(f"\n=== {cases} cases ===", flush=True)
    store, ostore, built = build(cases, workdir, opsi_kg, oxigraph)
    print(f"built: {built['triples']} synthetic triples; dump {built['quads']} quads (asserted + inferred + "
          f"reference); opsi-kg init {built['init']:.1f} s, load+infer {built['load']:.1f} s, dump "
          f"{built['dump']:.1f} s; oxigraph load {built['oxigraph_load']:.1f} s, optimize "
          f"{built['oxigraph_optimize']:.1f} s", flush=True)  # fmt: skip
    data = Data.of(cases)
    servers = start_servers(cases, store, ostore, workdir, opsi_kg, oxigraph)
    try:
        for server in servers:
            wait_ready(server)
        print("ready: " + ", ".join(f"{s.name} answered its first query after {s.ready_s:.1f} s" for s in servers))
        quads = {s.name: count_quads(s) for s in servers}
        same = len(set(quads.values())) == 1 and built["quads"] in quads.values()
        print(f"quads served: {quads} (dump: {built['quads']})" + ("" if same else "   !!! DIFFERENT DATA !!!"))
        print("warm-up ...", flush=True)
        for server in servers:
            mix_pass(server, data, f"{SEED}-warm-concurrent", len(QUERIES) * CLIENTS, CLIENTS)
            mix_pass(server, data, f"{SEED}-warm-sequential", len(QUERIES), 1)
        print(f"latency: {args.repeat} repetitions per query, servers alternating ...", flush=True)
        before = other_cpu(servers)
        timings = latency(servers, data, args.repeat)
        quiet = other_cpu(servers, before)
        if quiet is not None:
            print(f"  meanwhile other processes on this machine used {quiet * 100:.0f}% of a core"
                  + ("  (WARNING: not quiet; A/B alternation spreads it over both servers)" if quiet > 0.25 else ""))  # fmt: skip
        print(f"throughput: {CLIENTS} client threads, {args.throughput_requests} requests per server ...", flush=True)
        rates = throughput(servers, data, args.throughput_requests, f"{SEED}-throughput-{cases}")
    finally:
        for server in servers:
            server.stop()
    report(cases, servers, timings, rates)


def report(cases: int, servers: list[Server], timings: dict[str, Timings], rates: dict) -> None:
    a, b = (s.name for s in servers)
    print(f"\n{cases} cases, SYNTHETIC data: latency in ms (median / p95 of the repetitions), "
          f"ratio = {a} / {b} of the medians")  # fmt: skip
    header = f"{'query':<24} {a + ' med':>12} {'p95':>8} {b + ' med':>13} {'p95':>8} {'ratio':>7}  rows (median) {'':>4}check"
    print(header)
    print("-" * len(header))
    ratios = []
    mismatches = 0
    for query in QUERIES:
        t = timings[query.name]
        ma, mb = (statistics.median(t.seconds[n]) * 1000 for n in (a, b))
        pa, pb = (p95(t.seconds[n]) * 1000 for n in (a, b))
        ratio = ma / mb
        ratios.append(ratio)
        same = t.rows[a] == t.rows[b]
        mismatches += not same
        counts = t.rows[a]
        numeric = [int(c) for c in counts if c.isdigit()]
        if query.kind == "ask":
            shown = f"{counts.count('true')}/{len(counts)} true"
        else:
            shown = str(int(statistics.median(numeric))) if len(numeric) == len(counts) else counts[0]
        check = "same" if same else "MISMATCH"
        if t.errors:
            check += f", {t.errors} errors"
        print(f"{query.name:<24} {ma:12.2f} {pa:8.2f} {mb:13.2f} {pb:8.2f} {ratio:6.2f}x  {shown:>13} {'':>4}{check}")
    geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print("-" * len(header))
    print(f"{'geometric mean of median ratios':<70} {geo:6.2f}x")
    if mismatches:
        print(f"!!! {mismatches} queries returned different row counts on the two servers !!!")
    print(f"\nthroughput, {CLIENTS} client threads, the mix shuffled per thread, blocks {a} {b} {b} {a}; "
          f"CPU in % of one core ({os.cpu_count()} cores on this machine, shared by client and servers):")  # fmt: skip
    rps = {}
    for name in (a, b):
        t = rates[name]
        rps[name] = t["requests"] / t["wall"]

        def share(key: str, t=t) -> str:
            return f"{t[key] / t['wall'] * 100:4.0f}%" if t[key] is not None else "   -"

        print(f"  {name:<9} {rps[name]:8.1f} req/s  ({t['requests']} requests in {t['wall']:.1f} s; CPU: client "
              f"{share('client_cpu')}, server {share('server_cpu')}, other processes {share('other_cpu')}; "
              f"{len(t['errors'])} errors)")  # fmt: skip
        for error in t["errors"][:5]:
            print(f"      ! {error}")
        if t["client_cpu"] / t["wall"] > CLIENT_CPU_WARN:
            print(f"  WARNING: the client used {t['client_cpu'] / t['wall'] * 100:.0f}% of a core while driving "
                  f"{name}: the load generator may be the bottleneck")  # fmt: skip
        if t["other_cpu"] is not None and t["other_cpu"] / t["wall"] > 0.25:
            print(f"  WARNING: other processes used {t['other_cpu'] / t['wall'] * 100:.0f}% of a core meanwhile: "
                  "the machine was not quiet")  # fmt: skip
    print(f"  ratio {a}/{b}: {rps[a] / rps[b]:.2f}x (req/s)", flush=True)


def run_sizes(parser: argparse.ArgumentParser, describe: Callable[[], str], bench_one: Callable) -> None:
    """The part of ``main`` every benchmark shares: find the tools, then run each size.

    :param describe: the header line, after the Oxigraph version (called once the tools are found).
    :param bench_one: ``bench_one(cases, args, workdir, opsi_kg, oxigraph)`` for one size.
    """
    args = parser.parse_args()
    for sig in (signal.SIGTERM, signal.SIGHUP):  # stop the servers (the finally blocks) when stopped
        signal.signal(sig, lambda number, frame: sys.exit(128 + number))
    opsi_kg, oxigraph = tool("opsi-kg"), tool("oxigraph")
    if oxigraph is None:
        sys.exit("the Oxigraph server CLI `oxigraph` is not installed: run `pip install oxigraph` "
                 f"(in this environment: {Path(sys.executable).parent / 'pip'} install oxigraph)")  # fmt: skip
    if opsi_kg is None:
        sys.exit("`opsi-kg` is not installed: run `pip install -e .` in the checkout")
    version = subprocess.run([oxigraph, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"SYNTHETIC data (bench/synthetic.py, seed {SEED}); {version}; {describe()}", flush=True)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        for cases in args.cases:
            bench_one(cases, args, args.workdir.resolve(), opsi_kg, oxigraph)
    else:
        with tempfile.TemporaryDirectory(prefix="opsi-kg-bench-") as tmp:
            for cases in args.cases:
                bench_one(cases, args, Path(tmp), opsi_kg, oxigraph)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--repeat", type=int, default=30, help="repetitions of each query on each server")
    parser.add_argument("--throughput-requests", type=int, default=400, help="requests per server, throughput phase")
    parser.add_argument("--workdir", type=Path, help="keep (and reuse) the stores here instead of a temporary directory")
    run_sizes(parser, lambda: f"{len(QUERIES)} queries; opsi-kg with {SERVER_ENV}", bench)


if __name__ == "__main__":
    main()
