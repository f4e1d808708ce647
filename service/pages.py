"""Linked data: ``/id`` answers 303 to ``/page`` (HTML) or ``/data`` (RDF); ontology, vocabulary and graph pages.

The IRI ``B id/{kind}/{key}`` is the resource; its page and data documents are documents about
it, chosen by ``Accept`` (``?format=`` overrides). The ontology (``/ontology``), the vocabularies
(``/vocab/...``), named graphs (``/graph/...``) and any other IRI (``/resource?iri=``) answer
with the same representations directly. Views call :mod:`graph.describe` and hand templates plain
dicts; templates never query.
"""

from __future__ import annotations

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from markupsafe import Markup
from markupsafe import escape
from pyoxigraph import NamedNode
from pyoxigraph import Triple
from pyoxigraph import Variable

from graph import describe as describing
from graph.namespaces import ONTOLOGY_IRI
from graph.namespaces import SCHEMES
from graph.namespaces import VOCAB
from graph.namespaces import Iris
from graph.ontology_doc import ontology as ontology_terms

from . import browse
from . import errors
from . import i18n
from . import ld
from . import page_context
from .links import absolute
from .links import href
from .links import local_path

bp = Blueprint("pages", __name__)
EXISTS = "SELECT ?s WHERE { { ?s ?p ?o } UNION { ?x ?q ?s } } LIMIT 1"


#: Datatypes whose values read plainly to people: pages show no badge for them (data documents keep them).
PLAIN_DATATYPES = ("xsd:integer", "xsd:decimal", "xsd:gYear", "xsd:date")


@bp.app_template_global("href")
def _href(iri: str) -> str:
    """Where a page links ``iri``: its local page, keeping ``?lang=`` when the reader chose it."""
    return i18n.link(href(iri))


@bp.app_template_global("plain_datatype")
def _plain_datatype(datatype: str | None) -> bool:
    return datatype in PLAIN_DATATYPES


def _term(v: dict, lang: str | None) -> str:
    """One value as HTML (see ``_term.html``): a link with its label, or a literal with its language or datatype chip."""
    if v.get("iri"):
        target = href(v["iri"])
        return f'<a href="{escape(i18n.link(target) if lang else target)}" title="{escape(v["iri"])}">{escape(v["label"])}</a>'
    if v.get("blank"):
        return f'<span class="blank">{escape(v["label"])}</span>'
    tag, datatype = v.get("lang"), v.get("datatype")
    if tag:
        return f'<span lang="{escape(tag)}">{escape(v["label"])}</span> <span class="chip">@{escape(tag)}</span>'
    if datatype and datatype not in PLAIN_DATATYPES:
        return f'<span>{escape(v["label"])}</span> <span class="chip">{escape(datatype)}</span>'
    return f"<span>{escape(v['label'])}</span>"


@bp.app_template_global("term")
def _term_html(v: dict) -> Markup:
    """The ``term`` macro of ``_term.html`` in Python: pages show hundreds of values, and a macro call costs more."""
    return Markup(_term(v, i18n.explicit()))


@bp.app_template_global("terms")
def _terms_html(values: list[dict]) -> Markup:
    """The ``terms`` macro of ``_term.html`` in Python: one value as is, several as a list."""
    lang = i18n.explicit()
    if len(values) == 1:
        return Markup(_term(values[0], lang))
    return Markup('<ul class="values">' + "".join(f"<li>{_term(v, lang)}</li>" for v in values) + "</ul>")


@bp.app_template_global("properties_in")
def _properties_in(properties: list[dict], curies: list[str]) -> list[dict]:
    """The entries of ``properties`` whose curie is in ``curies``, in the order of ``curies``."""
    by_curie: dict[str, list[dict]] = {}
    for entry in properties:
        by_curie.setdefault(entry["curie"], []).append(entry)
    return [entry for curie in curies for entry in by_curie.get(curie, ())]


def _runtime():
    return current_app.extensions["opsi-kg"]


def _iris() -> Iris:
    return Iris(current_app.config["BASE_IRI"])


def _entity_iri(kind: str, key: str) -> str:
    try:
        return _iris().entity(kind, key).value
    except ValueError:
        raise errors.not_found(f"there is no {kind!r} with key {key!r} here; IRIs look like /id/case/<key>") from None


def _known(iri: str) -> bool:
    return bool(list(_runtime().store.query(EXISTS, substitutions={Variable("s"): NamedNode(iri)})))


def _entity_doc(kind: str, key: str) -> ld.Doc:
    return ld.Doc(_entity_iri(kind, key), f"/page/{kind}/{key}", f"/data/{kind}/{key}")


@bp.get("/id/<kind>/<key>")
def identifier(kind: str, key: str):
    """303 See Other to the page or data document of ``B id/{kind}/{key}``, by ``Accept`` or ``?format=``."""
    doc = _entity_doc(kind, key)
    if not _known(doc.iri):
        raise errors.not_found(f"the graph knows nothing about {doc.iri}")
    target = doc.url(ld.choose(ld.TYPES, request.args.get("format")))
    if i18n.explicit():
        target += "?lang=" + i18n.explicit()
    response = redirect(absolute(target), 303)
    response.vary.add("Accept")
    return response


@bp.get("/page/<kind>/<key>")
def page(kind: str, key: str):
    """The HTML page of an entity; ``.json`` (or ``?format=json``) gives its JSON twin."""
    key, ext = ld.split_extension(key, ["json"])
    explicit = ext or request.args.get("format")
    try:
        chosen = ld.choose(["html", "json"], explicit)
    except errors.NotAcceptable:  # a page is HTML: a client that takes neither still gets it, or its 404
        chosen = "html"
    return _page(_entity_doc(kind, key), chosen)


@bp.get("/data/<kind>/<key>")
def data(kind: str, key: str):
    """The data document of an entity: ``.ttl``, ``.jsonld``, ``.rdf``, ``.nt``, or negotiated."""
    key, ext = ld.split_extension(key, ld.DATA_TYPES)
    doc = _entity_doc(kind, key)
    return _data(doc, ld.choose(ld.DATA_TYPES, ext or request.args.get("format")))


@bp.get("/context.jsonld")
def context():
    """The JSON-LD context of opsi-kg's data documents (its prefixes)."""
    response = jsonify(ld.CONTEXT)
    response.content_type = "application/ld+json; charset=utf-8"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/ontology")
def ontology():
    """The ontology: HTML documentation, or its Turtle/JSON-LD/RDF-XML/N-Triples by ``Accept``."""
    return _ontology(ld.choose(ld.TYPES, request.args.get("format")))


@bp.get("/ontology.<ext>")
def ontology_file(ext: str):
    """The ontology in one representation: ``.ttl``, ``.jsonld``, ``.rdf``, ``.nt``, ``.json`` or ``.html``."""
    if ext not in ld.TYPES:
        raise errors.not_found(f"no /ontology.{ext}; try one of: " + ", ".join(ld.TYPES))
    return _ontology(ext)


def _ontology(key: str):
    doc = ld.Doc(ONTOLOGY_IRI, "/ontology", "/ontology")
    graph = _iris().graph("ontology").value
    if key in ld.DATA_TYPES:
        quads = _runtime().store.raw.quads_for_pattern(None, None, None, NamedNode(graph))
        return ld.rdf_response([Triple(q.subject, q.predicate, q.object) for q in quads], key, doc)
    lang = i18n.language()
    terms = ontology_terms(_runtime().store, ontology_graph=graph, version=_runtime().version)
    context = page_context.ontology(terms, doc, key, lang)
    return _send(context, key, doc, ["page_ontology.html"])


@bp.get("/vocab/<scheme>")
def vocabulary(scheme: str):
    """A controlled vocabulary (SKOS concept scheme) and its concepts; RDF by ``Accept`` or extension."""
    scheme, ext = ld.split_extension(scheme, ld.TYPES)
    if scheme not in SCHEMES:
        raise errors.not_found(f"no vocabulary {scheme!r}; vocabularies: {', '.join(SCHEMES)}")
    doc = ld.Doc(VOCAB + scheme, f"/vocab/{scheme}", f"/vocab/{scheme}")
    return _any(doc, ext)


@bp.get("/vocab/<scheme>/<key>")
def concept(scheme: str, key: str):
    """A concept of a vocabulary, with the cases that use it (paged); RDF by ``Accept`` or extension."""
    key, ext = ld.split_extension(key, ld.TYPES)
    if scheme not in SCHEMES:
        raise errors.not_found(f"no vocabulary {scheme!r}; vocabularies: {', '.join(SCHEMES)}")
    doc = ld.Doc(f"{VOCAB}{scheme}/{key}", f"/vocab/{scheme}/{key}", f"/vocab/{scheme}/{key}")
    return _any(doc, ext)


@bp.get("/graph/<path:name>")
def named_graph(name: str):
    """A named graph ``B graph/{name}``: its provenance and size; RDF of that description by ``Accept``."""
    name, ext = ld.split_extension(name, ld.TYPES)
    try:
        iri = _iris().graph(name).value
    except ValueError:
        raise errors.not_found(f"{name!r} is not a graph name") from None
    return _any(ld.Doc(iri, f"/graph/{name}", f"/graph/{name}"), ext)


@bp.get("/resource")
def resource():
    """Any IRI the graph knows (``?iri=``): 303 to its own page when it has one, else a generic page."""
    iri = request.args.get("iri", "").strip()
    if not iri:
        raise errors.bad_request("give the IRI to describe: /resource?iri=https://...")
    path = local_path(iri)
    if path is not None and path.split("#")[0] not in ("/resource", "/"):
        key = request.args.get("format")
        return redirect(absolute(path + (f"?format={key}" if key and "#" not in path else "")), 303)
    return _any(ld.Doc(iri, "/resource", "/resource", {"iri": iri}), None)


def _any(doc: ld.Doc, ext: str | None):
    key = ld.choose(ld.TYPES, ext or request.args.get("format"))
    return _data(doc, key) if key in ld.DATA_TYPES else _page(doc, key)


def _data(doc: ld.Doc, key: str):
    triples = describing.document(_runtime().store, doc.iri)
    if not triples:
        raise errors.not_found(f"the graph knows nothing about {doc.iri}")
    return ld.rdf_response(triples, key, doc)


def _page(doc: ld.Doc, key: str):
    runtime = _runtime()
    lang = i18n.language()
    options = describing.Options(lang=lang, page=page_context.page_number())
    inferred = _iris().graph("inferred").value
    described = describing.describe(
        runtime.store, doc.iri, inferred_graph=inferred, version=runtime.version, options=options, index=_index()
    )
    if described is None:
        raise errors.not_found(f"the graph knows nothing about {doc.iri}")
    if described["inbound"]["total"] and options.page > described["inbound"]["pages"]:
        raise errors.not_found(f"there are only {described['inbound']['pages']} pages of links here")
    if doc.iri.startswith(_iris().base + "graph/"):
        described["triples"] = runtime.store.count(NamedNode(doc.iri))
    context = page_context.resource(described, doc, key, lang)
    kind = described["kind"]
    return _send(context, key, doc, [f"page_{kind}.html", "page_generic.html"])


def _index() -> describing.Index | None:
    """The search index, for labels and cases per year, when it is there (pages do without it)."""
    return describing.Index(browse.db, _iris()) if "opsi-kg-search" in current_app.extensions else None


def _send(context: dict, key: str, doc: ld.Doc, templates: list[str]):
    if key == "json":
        response = jsonify(context)
    else:
        response = current_app.response_class(render_template(templates, **context), content_type="text/html; charset=utf-8")
    response.headers["Link"] = doc.link_header(key)
    response.headers["Content-Language"] = context["lang"]
    return response
