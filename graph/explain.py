"""``opsi-kg explain S P O``: why an inferred triple holds, as a tree of rules and premises.

The materialiser does not record derivations (that would cost on every write); instead this
module searches, for one triple, a rule of :mod:`graph.reason` whose premises hold, preferring
asserted premises, and explains inferred premises in turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from pyoxigraph import Literal
from pyoxigraph import NamedNode
from pyoxigraph import Quad
from pyoxigraph import RdfFormat
from pyoxigraph import parse

from .errors import OpsiKgError
from .namespaces import PREFIXES
from .namespaces import Iris
from .reason import OWL
from .reason import RDF
from .reason import RDFS
from .reason import input_graphs
from .reason import read_tbox

TYPE, SAME = RDF + "type", OWL + "sameAs"


@dataclass
class Step:
    """A triple, where it comes from (a graph, or a rule), and the premises of that rule."""

    triple: tuple
    source: str
    premises: list[Step] = field(default_factory=list)
    schema: list[str] = field(default_factory=list)

    def lines(self, indent: int = 0) -> list[str]:
        pad = "  " * indent
        out = [f"{pad}{show_triple(self.triple)}", f"{pad}  ← {self.source}"]
        out += [f"{pad}    because {axiom}" for axiom in self.schema]
        for premise in self.premises:
            out += premise.lines(indent + 2)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def shorten(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def show(term) -> str:
    return shorten(term.value) if isinstance(term, NamedNode) else str(term)


def show_triple(triple) -> str:
    return " ".join(show(t) for t in triple) + " ."


def parse_term(text: str, *, position: str):
    """A term as a user types it: ``<iri>``, ``prefix:local``, ``a``, or an N-Triples literal.

    :raises OpsiKgError: saying which position was unreadable.
    """
    text = text.strip()
    if text == "a":
        return NamedNode(TYPE)
    try:
        if text.startswith("<") and text.endswith(">"):
            return NamedNode(text[1:-1])
        if text.startswith('"'):
            [quad] = list(parse(f"<x:s> <x:p> {text} .".encode(), format=RdfFormat.N_TRIPLES))
            return quad.object
        prefix, sep, local = text.partition(":")
        if sep and prefix in PREFIXES and not local.startswith("//"):
            return NamedNode(PREFIXES[prefix] + local)
        return NamedNode(text)
    except (ValueError, SyntaxError) as error:
        raise OpsiKgError(f"cannot read the {position} {text!r}: {error}") from None


class Explainer:
    """Finds derivations in one store, against its current schema and inferred graph."""

    def __init__(self, store, iris: Iris, max_depth: int = 6) -> None:
        self.store, self.iris, self.max_depth = store, iris, max_depth
        self.inputs = input_graphs(store, iris)
        self.input_names = {g.value for g in self.inputs}
        self.inferred = iris.graph("inferred")
        self.tbox = read_tbox(store, self.inputs)
        self.forward, self.backward = self.tbox.expansions()

    def where(self, s, p, o) -> str | None:
        """'asserted in G', 'inferred', or None when the triple does not hold."""
        graphs = [q.graph_name for q in self.store.raw.quads_for_pattern(s, p, o, None)]
        for graph in graphs:
            if getattr(graph, "value", None) in self.input_names:
                return f"asserted in {graph.value}"
        return "inferred" if self.inferred in graphs else None

    def holds(self, s, p, o) -> bool:
        return self.where(s, p, o) is not None

    def objects(self, s, p):
        return {q.object for q in self.store.raw.quads_for_pattern(s, p, None, None) if self._ok(q)}

    def subjects(self, p, o):
        return {q.subject for q in self.store.raw.quads_for_pattern(None, p, o, None) if self._ok(q)}

    def _ok(self, quad: Quad) -> bool:
        name = getattr(quad.graph_name, "value", None)
        return name in self.input_names or name == self.inferred.value

    def explain(self, s, p, o, depth: int = 0, seen: frozenset = frozenset()) -> Step:
        """The derivation of ``s p o``.

        :raises OpsiKgError: when the triple does not hold in the store.
        """
        triple = (s, p, o)
        where = self.where(s, p, o)
        if where is None:
            raise OpsiKgError(f"{show_triple(triple)} is neither asserted nor inferred in this store")
        if where != "inferred" or depth >= self.max_depth:
            return Step(triple, where if where != "inferred" else "inferred (deeper derivation not shown)")
        seen = seen | {triple}
        for rule, premises, schema in self._candidates(s, p, o):
            if any(premise in seen for premise in premises):
                continue
            if all(self.holds(*premise) for premise in premises):
                steps = [self.explain(*premise, depth + 1, seen) for premise in premises]
                return Step(triple, rule, steps, schema)
        return Step(triple, "inferred (no single-step derivation found; the graph may be out of date: run opsi-kg infer)")

    def _candidates(self, s, p, o):
        tb = self.tbox
        if p.value in (RDFS + "subClassOf", RDFS + "subPropertyOf"):
            yield "scm-sco / scm-spo (the hierarchy is transitive)", [], [f"{show(s)} {show(p)}+ {show(o)}"]
            return
        if p.value == TYPE and isinstance(o, NamedNode):
            for c in sorted(self.objects(s, p), key=str):
                if o.value in tb.super_classes.get(c.value, ()):
                    yield "cax-sco (sub-class)", [(s, p, c)], [f"{show(c)} rdfs:subClassOf {show(o)}"]
            for prop, classes in sorted(tb.domain.items()):
                for c in classes:
                    if c == o.value or o.value in tb.super_classes.get(c, ()):
                        for y in sorted(self.objects(s, NamedNode(prop)), key=str)[:1]:
                            yield (
                                "prp-dom (domain)",
                                [(s, NamedNode(prop), y)],
                                [f"{shorten(prop)} rdfs:domain {shorten(c)}"],
                            )
            for prop, classes in sorted(tb.range.items()):
                for c in classes:
                    if c == o.value or o.value in tb.super_classes.get(c, ()):
                        for x in sorted(self.subjects(NamedNode(prop), s), key=str)[:1]:
                            yield (
                                "prp-rng (range)",
                                [(x, NamedNode(prop), s)],
                                [f"{shorten(prop)} rdfs:range {shorten(c)}"],
                            )
        if p.value == SAME:
            yield from self._same_as(s, o)
        for q, sup in self.forward:
            if sup == p.value:
                yield (
                    "prp-spo1 (sub-property)",
                    [(s, NamedNode(q), o)],
                    [f"{shorten(q)} rdfs:subPropertyOf+ {shorten(sup)}"],
                )
        if not isinstance(o, Literal):
            for q, target in self.backward:
                if target == p.value:
                    how = "symmetric" if q == target else "inverse"
                    yield (
                        f"prp-inv / prp-symp ({how})",
                        [(o, NamedNode(q), s)],
                        [f"{shorten(q)} {how} {shorten(target)}"],
                    )
        if p.value in tb.transitive:
            for m in sorted(self.objects(s, p), key=str):
                if m != o and self.holds(m, p, o):
                    yield "prp-trp (transitive)", [(s, p, m), (m, p, o)], [f"{show(p)} a owl:TransitiveProperty"]
        for alias in sorted(self.objects(s, NamedNode(SAME)), key=str):
            yield "eq-rep-s (owl:sameAs)", [(alias, NamedNode(SAME), s), (alias, p, o)], []
        if not isinstance(o, Literal):
            for alias in sorted(self.objects(o, NamedNode(SAME)), key=str):
                yield "eq-rep-o (owl:sameAs)", [(alias, NamedNode(SAME), o), (s, p, alias)], []

    def _same_as(self, a, b):
        tb, same = self.tbox, NamedNode(SAME)
        yield "eq-sym (owl:sameAs is symmetric)", [(b, same, a)], []
        for prop in sorted(tb.functional):
            for x in sorted(self.subjects(NamedNode(prop), a), key=str):
                if self.holds(x, NamedNode(prop), b):
                    yield (
                        "prp-fp (functional property)",
                        [(x, NamedNode(prop), a), (x, NamedNode(prop), b)],
                        [f"{shorten(prop)} a owl:FunctionalProperty"],
                    )
        for prop in sorted(tb.inverse_functional):
            for y in sorted(self.objects(a, NamedNode(prop)), key=str):
                if self.holds(b, NamedNode(prop), y):
                    yield (
                        "prp-ifp (inverse-functional property)",
                        [(a, NamedNode(prop), y), (b, NamedNode(prop), y)],
                        [f"{shorten(prop)} a owl:InverseFunctionalProperty"],
                    )
        for cls, props in sorted(tb.max_one.items()):
            for prop in sorted(props):
                for x in sorted(self.subjects(NamedNode(prop), a), key=str):
                    if self.holds(x, NamedNode(prop), b) and self.holds(x, NamedNode(TYPE), NamedNode(cls)):
                        yield (
                            "cls-maxc2 (max cardinality 1)",
                            [(x, NamedNode(TYPE), NamedNode(cls)), (x, NamedNode(prop), a), (x, NamedNode(prop), b)],
                            [f"{shorten(cls)} rdfs:subClassOf [ owl:onProperty {shorten(prop)} ; owl:maxCardinality 1 ]"],
                        )
        for m in sorted(self.objects(a, same), key=str):
            if m != b and self.holds(m, same, b):
                yield "eq-trans (owl:sameAs is transitive)", [(a, same, m), (m, same, b)], []
