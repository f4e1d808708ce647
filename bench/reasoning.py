"""Benchmark: OWL Lite materialisation in the store (graph/reason.py) against owlrl.

    python bench/reasoning.py                     # 1k, 10k and 100k cases (owlrl up to 10k)
    python bench/reasoning.py --cases 1000 10000 --owlrl-max 10000 --repeat 3

For each size it generates SYNTHETIC OPSI-shaped cases (bench/synthetic.py, seed 42), builds a
store with the ontology, vocabularies and reference data plus those cases, materialises the
inferences from scratch (median of --repeat runs; the "fresh" path), times one atomic rebuild
over existing inferences (the path after a graph is replaced), runs owlrl on the same asserted
triples, checks that the two closures are equal on the covered rules, and prints the speed ratio
(owlrl / opsi-kg from scratch).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402

from graph.bootstrap import init_store  # noqa: E402
from graph.config import Settings  # noqa: E402
from graph.load import load_files  # noqa: E402
from graph.oracle import covered  # noqa: E402
from graph.oracle import graph_of  # noqa: E402
from graph.oracle import owlrl_inferences  # noqa: E402
from graph.reason import drop_inferred  # noqa: E402
from graph.reason import input_graphs  # noqa: E402
from graph.reason import materialise  # noqa: E402
from graph.store import open_store  # noqa: E402


def run(cases: int, *, repeat: int, with_owlrl: bool, workdir: Path, rebuild_max: int) -> dict:
    settings = Settings(store=str(workdir / f"store-{cases}"))
    store = open_store(settings.store)
    init_store(store, settings, demo=False)
    data = workdir / f"synthetic-{cases}.nt"
    generate(cases, data, base=settings.base)
    load_files(store, settings.iris, [data], graph=settings.iris.graph(f"synthetic/cases-{cases}"))
    graphs = input_graphs(store, settings.iris)
    asserted = sum(store.count(g) for g in graphs)
    times, report = [], None
    for _ in range(repeat):
        drop_inferred(store, settings.iris)
        report = materialise(store, settings.iris)
        assert report.mode == "fresh", report.mode
        times.append(report.seconds)
    print(f"  {cases} cases: from scratch {statistics.median(times):.1f} s", file=sys.stderr, flush=True)
    rebuild = materialise(store, settings.iris, mode="rebuild") if cases <= rebuild_max else None
    row = {
        "cases": cases,
        "asserted": asserted,
        "inferred": report.triples,
        "rounds": report.rounds,
        "opsi_kg_s": statistics.median(times),
        "rebuild_s": rebuild.seconds if rebuild else None,
        "owlrl_s": None,
        "ratio": None,
        "equal": None,
    }
    if with_owlrl:
        base = graph_of(store, graphs)
        started = time.perf_counter()
        theirs = owlrl_inferences(base)
        row["owlrl_s"] = time.perf_counter() - started
        ours = {t for t in graph_of(store, [settings.iris.graph("inferred")]) if covered(t)}
        row["equal"] = ours == theirs
        row["ratio"] = row["owlrl_s"] / row["opsi_kg_s"]
    store.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--owlrl-max", type=int, default=10000, help="skip owlrl above this many cases")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rebuild-max", type=int, default=10000, help="time the atomic rebuild up to this many cases")
    args = parser.parse_args()
    print("SYNTHETIC data (bench/synthetic.py, seed 42); times are medians of", args.repeat, "runs")
    columns = ("cases", 7), ("asserted", 9), ("inferred", 9), ("rounds", 6), ("opsi-kg s", 10), ("rebuild s", 10)
    columns += (("owlrl s", 9),)
    print(" ".join(f"{name:>{width}}" for name, width in columns), f"{'ratio':>7}  equal")
    with tempfile.TemporaryDirectory() as tmp:
        for cases in args.cases:
            r = run(
                cases, repeat=args.repeat, with_owlrl=cases <= args.owlrl_max, workdir=Path(tmp), rebuild_max=args.rebuild_max
            )
            owl = f"{r['owlrl_s']:9.2f}" if r["owlrl_s"] is not None else f"{'-':>9}"
            rebuild = f"{r['rebuild_s']:10.2f}" if r["rebuild_s"] is not None else f"{'-':>10}"
            ratio = f"{r['ratio']:6.1f}x" if r["ratio"] is not None else f"{'-':>7}"
            equal = {True: "yes", False: "NO", None: "-"}[r["equal"]]
            print(
                f"{r['cases']:>7} {r['asserted']:>9} {r['inferred']:>9} {r['rounds']:>6} {r['opsi_kg_s']:10.2f} "
                f"{rebuild} {owl} {ratio}  {equal}",
                flush=True,
            )


if __name__ == "__main__":
    main()
