"""OWL Lite materialisation inside the store, into one named graph of inferred triples.

The schema (TBox) is small: it is read once per run and compiled into closure tables
(super-classes, super-properties with inverses and symmetry, domains and ranges closed
under sub-classes). The rules then run as SPARQL Updates *inside* pyoxigraph, with those
tables as ``VALUES``, over the asserted graphs plus a staging graph, until a round adds
nothing. The staging graph is finally moved onto ``B graph/inferred`` in one update, so
readers see the old or the new inferences, never a half-built set. The data never leave
the store.

Rules (OWL 2 RL names): cax-sco, cax-eqc1/2, scm-sco, scm-spo, scm-eqc1, scm-eqp1,
prp-dom, prp-rng, prp-spo1, prp-eqp1/2, prp-inv1/2, prp-symp, prp-trp, prp-fp, prp-ifp,
cls-maxc2, eq-sym, eq-trans, eq-rep-s, eq-rep-o. Literal-valued functional properties do
not produce ``owl:sameAs`` between literals; two different values are an inconsistency,
which :func:`inconsistencies` reports.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from pyoxigraph import BlankNode
from pyoxigraph import NamedNode
from pyoxigraph import Variable

from . import provenance
from .namespaces import PREFIXES
from .namespaces import Iris

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
TYPE = f"<{RDF}type>"
SAME_AS = f"<{OWL}sameAs>"
#: Classes every class is under, or that hold nothing: not worth materialising.
TRIVIAL = {OWL + "Thing", OWL + "Nothing", RDFS + "Resource", RDFS + "Class", OWL + "Class"}
#: Graphs that are not asserted data.
NOT_INPUT = ("meta", "inferred", "shapes")
REASONER = "https://w3id.org/opsi-kg/ontology#reasoner"


def input_graphs(store, iris: Iris) -> list[NamedNode]:
    """The asserted graphs: every named graph but metadata, shapes, inferences and staging."""
    skip = {iris.graph(name).value for name in NOT_INPUT}
    staging = iris.base + "graph/staging/"
    return sorted(
        (g for g in store.graphs() if g.value not in skip and not g.value.startswith(staging)),
        key=lambda g: g.value,
    )


@dataclass
class TBox:
    """The schema compiled to closure tables (IRIs as strings)."""

    super_classes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    super_properties: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    inverse: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    symmetric: set[str] = field(default_factory=set)
    transitive: set[str] = field(default_factory=set)
    functional: set[str] = field(default_factory=set)
    inverse_functional: set[str] = field(default_factory=set)
    domain: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    range: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    max_one: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def classes_above(self, classes: Iterable[str]) -> set[str]:
        out = set()
        for c in classes:
            out.add(c)
            out |= self.super_classes.get(c, set())
        return out - TRIVIAL

    def expansions(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """For each property, the (property, derived) pairs to copy forwards and backwards.

        A state is (property, reversed?); sub-property steps keep the direction, inverse
        and symmetric steps flip it. Reaching (q, False) from (p, False) means
        ``x p y -> x q y``; reaching (q, True) means ``x p y -> y q x``.
        """
        props = (
            set(self.super_properties)
            | set(self.inverse)
            | self.symmetric
            | {q for qs in self.super_properties.values() for q in qs}
        )
        forward, backward = [], []
        for p in sorted(props):
            seen = {(p, False)}
            todo = [(p, False)]
            while todo:
                q, flipped = todo.pop()
                steps = [(s, flipped) for s in self.super_properties.get(q, ())]
                steps += [(s, not flipped) for s in self.inverse.get(q, ())]
                if q in self.symmetric:
                    steps.append((q, not flipped))
                for step in steps:
                    if step not in seen:
                        seen.add(step)
                        todo.append(step)
            for q, flipped in sorted(seen):
                if not flipped and q != p:
                    forward.append((p, q))
                elif flipped:
                    backward.append((p, q))
        return forward, backward


def _closure(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """Transitive closure of a small directed graph (reflexive pairs dropped)."""
    closed: dict[str, set[str]] = defaultdict(set)
    for start in list(edges):
        stack, seen = list(edges[start]), set()
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(edges.get(node, ()))
        closed[start] = seen - {start}
    return closed


TBOX_QUERY = """
SELECT ?s ?p ?o ?r WHERE {
  VALUES ?p { rdfs:subClassOf owl:equivalentClass rdfs:subPropertyOf owl:equivalentProperty
              owl:inverseOf rdfs:domain rdfs:range rdf:type }
  ?s ?p ?o .
  FILTER(?p != rdf:type || ?o IN (owl:SymmetricProperty, owl:TransitiveProperty,
                                  owl:FunctionalProperty, owl:InverseFunctionalProperty))
  OPTIONAL { FILTER(isBlank(?o)) ?o owl:onProperty ?r ; owl:maxCardinality ?n FILTER(xsd:integer(?n) = 1) }
}
"""


def read_tbox(store, graphs: list[NamedNode]) -> TBox:
    """Compile the schema found in ``graphs`` into closure tables."""
    sub_class: dict[str, set[str]] = defaultdict(set)
    sub_prop: dict[str, set[str]] = defaultdict(set)
    tbox = TBox()
    restrictions: dict[str, set[str]] = defaultdict(set)
    for row in store.query(TBOX_QUERY, default_graph=graphs):
        s, p, o, r = row["s"], row["p"].value, row["o"], row["r"]
        if isinstance(s, BlankNode):
            continue
        if isinstance(o, BlankNode):
            if r is not None and p == RDFS + "subClassOf":
                restrictions[s.value].add(r.value)
            continue
        s, o = s.value, o.value
        if p == RDFS + "subClassOf":
            sub_class[s].add(o)
        elif p == OWL + "equivalentClass":
            sub_class[s].add(o)
            sub_class[o].add(s)
        elif p == RDFS + "subPropertyOf":
            sub_prop[s].add(o)
        elif p == OWL + "equivalentProperty":
            sub_prop[s].add(o)
            sub_prop[o].add(s)
        elif p == OWL + "inverseOf":
            tbox.inverse[s].add(o)
            tbox.inverse[o].add(s)
        elif p == RDFS + "domain":
            tbox.domain[s].add(o)
        elif p == RDFS + "range":
            tbox.range[s].add(o)
        elif o == OWL + "SymmetricProperty":
            tbox.symmetric.add(s)
        elif o == OWL + "TransitiveProperty":
            tbox.transitive.add(s)
        elif o == OWL + "FunctionalProperty":
            tbox.functional.add(s)
        elif o == OWL + "InverseFunctionalProperty":
            tbox.inverse_functional.add(s)
    tbox.super_classes = _closure(sub_class)
    tbox.super_properties = _closure(sub_prop)
    # cls-maxc2 applies to instances of every sub-class of a max-1 restriction.
    for cls, props in restrictions.items():
        for sub in [cls, *[c for c, sups in tbox.super_classes.items() if cls in sups]]:
            tbox.max_one[sub] |= props
    return tbox


def _values(pairs: Iterable[tuple[str, str]], a: str, b: str) -> str:
    rows = " ".join(f"(<{x}> <{y}>)" for x, y in pairs)
    return f"VALUES (?{a} ?{b}) {{ {rows} }}"


class _Patterns:
    """Triple patterns that match in any graph of the reasoning dataset.

    Each pattern is ``GRAPH ?gN { s p o }`` with ``?gN`` left unbound and filtered against
    the graphs that are *not* part of the dataset: with the graph unbound, Oxigraph answers
    a pattern from one index scan across all graphs, far faster than a ``USING`` list,
    which it checks graph by graph.
    """

    def __init__(self, excluded: list[str]) -> None:
        self.excluded = ", ".join(f"<{g}>" for g in excluded)
        self.n = 0

    def __call__(self, s: str, p: str, o: str) -> str:
        self.n += 1
        g = f"?g{self.n}"
        where = f" FILTER({g} NOT IN ({self.excluded}))" if self.excluded else ""
        return f"GRAPH {g} {{ {s} {p} {o} }}{where}"

    def absent(self, s: str, p: str, o: str) -> str:
        return f"FILTER NOT EXISTS {{ {self(s, p, o)} }}"


def rules(tbox: TBox, excluded: list[str], inferred: str) -> list[tuple[str, str, str]]:
    """(name, head, body) of each rule, to run as ``INSERT { GRAPH inferred { head } } WHERE { body }``.

    The order matters: the operations of a round run one after the other in one transaction,
    each seeing what the earlier ones added. Property expansion (with closed tables), then the
    transitive closures and their expansion, then typing (domain, range, then super-classes),
    then the rules that make ``owl:sameAs`` and what follows from it. So every rule before the
    ``owl:sameAs`` ones sees all of its premises, and a round that ends with no ``owl:sameAs``
    anywhere has reached the fixpoint (see :func:`single_round_suffices`).
    """
    t = _Patterns(excluded)
    inf = f"<{inferred}>"
    out: list[tuple[str, str, str]] = []
    forward, backward = tbox.expansions()

    def expansion(forward, backward) -> None:
        if forward:
            body = f"{_values(forward, 'p', 'q')} {t('?x', '?p', '?y')} {t.absent('?x', '?q', '?y')}"
            out.append(("prp-spo1", "?x ?q ?y", body))
        if backward:
            body = f"{_values(backward, 'p', 'q')} {t('?x', '?p', '?y')} FILTER(!isLiteral(?y)) {t.absent('?y', '?q', '?x')}"
            out.append(("prp-inv", "?y ?q ?x", body))

    expansion(forward, backward)
    # prp-trp: gather each transitive property's triples in the inferred graph, where one
    # property path computes the closure (paths do not cross graphs); copies of asserted
    # triples are removed again when the round's results are cleaned. Each closure is then
    # expanded at once, and properties whose triples follow from another transitive property's
    # (org:transitiveSubOrganizationOf from opsi:withinOrganisation) come after it.
    for p in transitive_order(tbox):
        out.append(("prp-trp-gather", f"?x <{p}> ?y", f"{t('?x', f'<{p}>', '?y')} FILTER(?g{t.n} != {inf})"))
        out.append(
            (
                "prp-trp",
                f"?x <{p}> ?z",
                f"GRAPH {inf} {{ ?x <{p}> ?y . ?y <{p}>+ ?z }} {t.absent('?x', f'<{p}>', '?z')}",
            )
        )
        expansion([r for r in forward if r[0] == p], [r for r in backward if r[0] == p])

    # Domains and ranges type with their own classes only; cax-sco, which runs after, adds the super-classes.
    def typing(name: str, table: dict[str, set[str]], typed: str, condition: str = "") -> None:
        pairs = sorted((p, c) for p, cs in table.items() for c in cs - TRIVIAL)
        if pairs:
            props = " ".join(sorted({f"<{p}>" for p, _c in pairs}))
            body = (
                f"{{ SELECT DISTINCT ?{typed} ?p WHERE {{ VALUES ?p {{ {props} }} "
                f"{t('?x', '?p', '?y')} {condition} }} }} "
                f"{_values(pairs, 'p', 'c')} {t.absent(f'?{typed}', TYPE, '?c')}"
            )
            out.append((name, f"?{typed} {TYPE} ?c", body))

    typing("prp-dom", tbox.domain, "x")
    typing("prp-rng", tbox.range, "y", "FILTER(!isLiteral(?y))")
    type_pairs = sorted((c, d) for c, sups in tbox.super_classes.items() for d in sups - TRIVIAL)
    if type_pairs:
        body = f"{_values(type_pairs, 'c', 'd')} {t('?x', TYPE, '?c')} {t.absent('?x', TYPE, '?d')}"
        out.append(("cax-sco", f"?x {TYPE} ?d", body))
    different = "FILTER(?y1 != ?y2 && !isLiteral(?y1) && !isLiteral(?y2))"
    if tbox.functional:
        fps = " ".join(f"<{p}>" for p in sorted(tbox.functional))
        body = (
            f"VALUES ?p {{ {fps} }} {t('?x', '?p', '?y1')} {t('?x', '?p', '?y2')} {different} {t.absent('?y1', SAME_AS, '?y2')}"
        )
        out.append(("prp-fp", f"?y1 {SAME_AS} ?y2", body))
    if tbox.inverse_functional:
        ifps = " ".join(f"<{p}>" for p in sorted(tbox.inverse_functional))
        body = (
            f"VALUES ?p {{ {ifps} }} {t('?x1', '?p', '?y')} {t('?x2', '?p', '?y')} FILTER(?x1 != ?x2) "
            f"{t.absent('?x1', SAME_AS, '?x2')}"
        )
        out.append(("prp-ifp", f"?x1 {SAME_AS} ?x2", body))
    maxc = sorted((c, p) for c, ps in tbox.max_one.items() for p in ps)
    if maxc:
        body = (
            f"{_values(maxc, 'c', 'p')} {t('?x', TYPE, '?c')} {t('?x', '?p', '?y1')} {t('?x', '?p', '?y2')} "
            f"{different} {t.absent('?y1', SAME_AS, '?y2')}"
        )
        out.append(("cls-maxc2", f"?y1 {SAME_AS} ?y2", body))
    # eq-sym and eq-trans: the same gathering trick as for transitive properties.
    out.append(("eq-gather", f"?a {SAME_AS} ?b", f"{t('?a', SAME_AS, '?b')} FILTER(?g{t.n} != {inf})"))
    out.append(
        (
            "eq-sym-trans",
            f"?a {SAME_AS} ?b",
            f"GRAPH {inf} {{ ?a ({SAME_AS}|^{SAME_AS})+ ?b }} FILTER(?a != ?b) {t.absent('?a', SAME_AS, '?b')}",
        )
    )
    out.append(
        (
            "eq-rep-s",
            "?t ?p ?o",
            f"GRAPH {inf} {{ ?s {SAME_AS} ?t }} {t('?s', '?p', '?o')} FILTER(?p != {SAME_AS}) {t.absent('?t', '?p', '?o')}",
        )
    )
    out.append(
        (
            "eq-rep-o",
            "?s ?p ?t",
            f"GRAPH {inf} {{ ?o {SAME_AS} ?t }} {t('?s', '?p', '?o')} FILTER(?p != {SAME_AS}) {t.absent('?s', '?p', '?t')}",
        )
    )
    return out


def schema_closure(tbox: TBox) -> list[tuple[str, str, str]]:
    """scm-sco / scm-spo / scm-eqc1 / scm-eqp1: the closed class and property hierarchies."""
    triples = [(c, RDFS + "subClassOf", d) for c, sups in tbox.super_classes.items() for d in sups - TRIVIAL]
    triples += [(p, RDFS + "subPropertyOf", q) for p, sups in tbox.super_properties.items() for q in sups]
    return sorted(t for t in triples if not t[0].startswith(OWL))


@dataclass
class InferenceReport:
    triples: int
    rounds: int
    seconds: float
    input_graphs: int
    mode: str = "fresh"


def _previous_run(store, iris: Iris) -> tuple[str | None, dict[str, str]]:
    """When the inferred graph was last built, and the modification time of each graph it used."""
    query = """
    SELECT ?meta ?inferred ?when ?input ?modified WHERE { GRAPH ?meta {
      ?inferred dcterms:modified ?when .
      OPTIONAL { ?inferred prov:wasDerivedFrom ?input . OPTIONAL { ?input dcterms:modified ?modified } }
    } }"""
    when, inputs = None, {}
    subs = {Variable("meta"): iris.meta_graph, Variable("inferred"): iris.graph("inferred")}
    for row in store.query(query, substitutions=subs):
        when = row["when"].value
        if row["input"] is not None and row["input"].value != REASONER:
            inputs[row["input"].value] = row["modified"].value if row["modified"] is not None else ""
    return when, inputs


def plan(store, iris: Iris, graphs: list[NamedNode]) -> str:
    """How to bring the inferred graph up to date: ``fresh``, ``incremental`` or ``rebuild``.

    * ``fresh``: there are no inferences yet, so nobody can see a half-built set: the rules run
      as separate requests, the fastest way.
    * ``incremental``: since the last run, graphs were only added. OWL RL rules are monotone, so
      running them over the asserted graphs *and* the current inferences adds exactly what the new
      data imply; one request, so one transaction.
    * ``rebuild``: a graph the inferences were derived from was changed or removed, so some
      inferences may no longer hold: drop and derive everything again, in one transaction.
    """
    inferred = iris.graph("inferred")
    if store.count(inferred) == 0:
        return "fresh"
    when, previous = _previous_run(store, iris)
    if when is None:
        return "rebuild"
    current = {g.value for g in graphs}
    if set(previous) - current:
        return "rebuild"
    modified = {}
    query = "SELECT ?meta ?g ?m WHERE { GRAPH ?meta { ?g dcterms:modified ?m } }"
    for row in store.query(query, substitutions={Variable("meta"): iris.meta_graph}):
        modified[row["g"].value] = row["m"].value
    # Same second counts as changed: time stamps have a resolution of one second.
    changed = [g for g in previous if modified.get(g, "") >= when or modified.get(g, "") != previous[g]]
    return "rebuild" if changed else "incremental"


def materialise(store, iris: Iris, *, max_rounds: int = 64, mode: str | None = None) -> InferenceReport:
    """Bring ``B graph/inferred`` up to date with the asserted graphs, to a fixpoint.

    See :func:`plan` for the three ways (``mode`` forces one). Each rule runs over the asserted
    graphs and the inferred graph itself (matching in any graph but the excluded ones), skipping
    what is already there; the clean-up (inferred triples that are also asserted) and the
    provenance end the last request.

    :raises RuntimeError: if no fixpoint is reached in ``max_rounds`` (a bug, not bad data).
    """
    started = time.perf_counter()
    graphs = input_graphs(store, iris)
    tbox = read_tbox(store, graphs)
    inferred = iris.graph("inferred")
    mode = mode or plan(store, iris, graphs)
    inputs = {g.value for g in graphs} | {inferred.value}
    excluded = sorted({g.value for g in store.graphs()} - inputs | {iris.meta_graph.value, iris.graph("shapes").value})
    compiled = rules(tbox, excluded, inferred.value)
    one_round = [f"INSERT {{ GRAPH {inferred} {{ {head} }} }} WHERE {{ {body} }}" for _name, head, body in compiled]
    closure = schema_closure(tbox)
    schema = " .\n".join(f"<{s}> <{p}> <{o}>" for s, p, o in closure)
    request = [f"DROP SILENT GRAPH {inferred}"] if mode == "rebuild" else []
    if schema:
        request.append(f"INSERT DATA {{ GRAPH {inferred} {{ {schema} }} }}")
    request += one_round
    finish = _finish(iris, inferred, graphs, excluded)
    if mode == "fresh":
        for operation in request:
            store.update(operation)
        store.update(" ;\n".join(finish))
    else:
        store.update(" ;\n".join([*request, *finish]))
    rounds = 1
    same_as = f"ASK {{ GRAPH ?g {{ ?a {SAME_AS} ?b }} FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in excluded)})) }}"
    if not (single_round_suffices(tbox) and not store.query(same_as, default_graph=[])):
        while _more_to_derive(store, compiled):
            if rounds >= max_rounds:
                raise RuntimeError(f"inference did not reach a fixpoint in {max_rounds} rounds")
            store.update(" ;\n".join([*one_round, *finish]))
            rounds += 1
    return InferenceReport(store.count(inferred), rounds, time.perf_counter() - started, len(graphs), mode)


def transitive_order(tbox: TBox) -> list[str]:
    """Transitive properties, each after those whose triples imply its own (cycles: by name)."""
    forward, backward = tbox.expansions()
    feeds = defaultdict(set)
    for p, q in [*forward, *backward]:
        if p in tbox.transitive and q in tbox.transitive and p != q:
            feeds[q].add(p)

    def depth(p: str) -> int:
        return len({q for q in feeds[p] if p not in feeds[q]})

    return sorted(tbox.transitive, key=lambda p: (depth(p), p))


def single_round_suffices(tbox: TBox) -> bool:
    """Does the rule order guarantee a fixpoint after one round when there is no ``owl:sameAs``?

    Every rule sees all its premises, except when some property expands into ``rdf:type``
    (typing would then feed expansion again) or transitive properties feed each other in a
    chain deeper than :func:`transitive_order` resolves.
    """
    forward, backward = tbox.expansions()
    if any(q == RDF + "type" for _p, q in [*forward, *backward]):
        return False
    order = {p: i for i, p in enumerate(transitive_order(tbox))}
    for p, q in [*forward, *backward]:
        if p in order and q in order and p != q and order[p] > order[q] and q not in tbox.inverse.get(p, set()):
            return False
    return True


def _more_to_derive(store, compiled: list[tuple[str, str, str]]) -> bool:
    """Would another round add anything? (Gathering copies are not new knowledge.)"""
    return any(
        bool(store.query(f"ASK {{ {body} }}", default_graph=[])) for name, _head, body in compiled if not name.endswith("-gather")
    )


def _finish(iris: Iris, inferred: NamedNode, graphs: list[NamedNode], excluded: list[str]) -> list[str]:
    """Operations that drop inferred triples that are also asserted, and describe the graph."""
    from .store import insert_data

    skip = ", ".join(f"<{g}>" for g in [*excluded, inferred.value])
    dedupe = (
        f"DELETE {{ GRAPH {inferred} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {inferred} {{ ?s ?p ?o }} "
        f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({skip})) }}"
    )
    prov = provenance.Provenance(
        source=REASONER,
        title="Inferred triples (OWL Lite materialisation)",
        checksum=None,
        activity="opsi-kg infer",
        derived_from=[g.value for g in graphs],
    )
    meta_triples, before, after = provenance.operations(iris, {inferred: prov})
    return [dedupe, before, insert_data({iris.meta_graph: meta_triples}), after]


def drop_inferred(store, iris: Iris) -> None:
    """Remove the inferred graph and its description."""
    meta, inferred = iris.meta_graph, iris.graph("inferred")
    store.update(f"DROP SILENT GRAPH {inferred} ;\n{provenance.forget(meta, inferred)}")
