"""DCAT in RDF: the catalogue (paged, as ckanext-dcat pages it: hydra) and every dataset as
Turtle, RDF/XML and JSON-LD, built as one rdflib graph and serialised by rdflib — never written by
hand. Chosen by suffix (`catalog.ttl`, `dataset.rdf`, `….jsonld`) or by the Accept header on the
address without one; the JSON addresses (/api/v1/ and a unit-year's JSON) send a client that asks
for RDF there (303 See Other).

What a harvester needs is there: access and download URLs, issued and modified (xsd:dateTime),
the publisher, a vCard contact point, keywords, the language and the media types as IRIs (EU
authority tables, IANA), the licence, the fiscal year as the temporal coverage. The promise is
written down as a SHACL shape: schemas/dcat-shape.ttl (tests validate every answer against it).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Max
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from ita_portal.lib import pagecache, thaidate
from oit_items.public import catalogue, datasets, publication
from oit_items.public.publication import cache_args, requirements_stamp
from units.models import Unit

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
IANA = "https://www.iana.org/assignments/media-types/"
# suffix → (rdflib format, media type)
FORMATS = {"ttl": ("turtle", "text/turtle"), "rdf": ("xml", "application/rdf+xml"),
           "jsonld": ("json-ld", "application/ld+json")}
BY_MEDIA_TYPE = {media: suffix for suffix, (_f, media) in FORMATS.items()}
JSON_LD_CONTEXT = {"dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "vcard": str(VCARD),
                   "xsd": str(XSD), "hydra": str(HYDRA)}


def negotiate(accept: str, offers: list[str]) -> str | None:
    """The offered media type the Accept header prefers (q-values; ties go to the earlier offer);
    None when it accepts none of them but a wildcard or nothing was named."""
    best, best_q = None, 0.0
    for part in (accept or "").split(","):
        media, *options = [p.strip() for p in part.split(";")]
        q = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    q = float(option[2:])
                except ValueError:
                    q = 0.0
        if media in offers and (q > best_q or (q == best_q and offers.index(media) < offers.index(best))):
            best, best_q = media, q
    return best


def prefers_rdf(request) -> str | None:
    """The RDF suffix a client of a JSON address asks for, if it prefers RDF to JSON."""
    chosen = negotiate(request.headers.get("Accept", ""), ["application/json", *BY_MEDIA_TYPE])
    return BY_MEDIA_TYPE.get(chosen)


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in JSON_LD_CONTEXT.items():
        graph.bind(prefix, namespace)
    return graph


def _time(value) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.dateTime)


def _publisher(graph, unit) -> URIRef:
    node = URIRef(catalogue.absolute(reverse("public-unit", args=[unit.slug])))
    graph.add((node, RDF.type, FOAF.Organization))
    graph.add((node, FOAF.name, Literal(unit.name_th, lang="th")))
    if unit.name_en:
        graph.add((node, FOAF.name, Literal(unit.name_en, lang="en")))
    graph.add((node, FOAF.homepage, node))
    return node


def _contact_point(graph, unit) -> BNode:
    who = datasets.contact(unit)
    node = BNode()
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, VCARD.fn, Literal(who.name, lang="th")))
    if who.email:
        graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{who.email}")))
    graph.add((node, VCARD.hasURL, URIRef(who.url)))
    return node


def _distribution(graph, dataset_node, key, title, path, media, issued, modified, schema=None) -> URIRef:
    url = URIRef(catalogue.absolute(path))
    node = URIRef(f"{dataset_node}#{key}")
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(title, lang="th")))
    graph.add((node, DCAT.accessURL, url))
    graph.add((node, DCAT.downloadURL, url))
    graph.add((node, DCAT.mediaType, URIRef(IANA + media)))
    graph.add((node, DCTERMS.license, URIRef(catalogue.licence())))
    graph.add((node, DCTERMS.issued, _time(issued)))
    graph.add((node, DCTERMS.modified, _time(modified)))
    if schema:
        graph.add((node, DCTERMS.conformsTo, URIRef(catalogue.absolute(schema))))
    return node


def add_dataset(graph, dataset, items) -> URIRef:
    """One unit-year (a row of datasets.rows()) as a dcat:Dataset; its IRI is its page's address,
    as in the pages' own JSON-LD."""
    unit, year = dataset, dataset.fiscal_year
    args = [unit.slug, year]
    node = URIRef(catalogue.absolute(reverse("public-index", args=args)))
    issued, modified = dataset.created, dataset.modified
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(f"{unit.slug}/{year}")))
    graph.add((node, DCTERMS.title, Literal(datasets.title(unit, year), lang="th")))
    graph.add((node, DCTERMS.description, Literal(datasets.notes(unit, year), lang="th")))
    graph.add((node, DCTERMS.issued, _time(issued)))
    graph.add((node, DCTERMS.modified, _time(modified)))
    graph.add((node, DCTERMS.publisher, _publisher(graph, unit)))
    graph.add((node, DCAT.contactPoint, _contact_point(graph, unit)))
    for keyword in datasets.keywords(unit, year):
        graph.add((node, DCAT.keyword, Literal(keyword, lang="th")))
    graph.add((node, DCTERMS.language, LANGUAGE.THA))
    graph.add((node, DCTERMS.license, URIRef(catalogue.licence())))
    graph.add((node, DCAT.landingPage, node))
    graph.add((node, DCTERMS.accrualPeriodicity, FREQUENCY.MONTHLY if datasets.monthly(items) else FREQUENCY.ANNUAL))
    start, end = thaidate.fiscal_year_bounds(year)
    period = BNode()
    graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
    graph.add((period, DCAT.startDate, Literal(start, datatype=XSD.date)))
    graph.add((period, DCAT.endDate, Literal(end, datatype=XSD.date)))
    graph.add((node, DCTERMS.temporal, period))
    for key, title, name, media, schema in (
            ("json", "ข้อมูลทุกข้อ (JSON)", "api-unit", "application/json", reverse("api-schema")),
            ("items-csv", "ทุกข้อทุกงวดพร้อมสถานะ (CSV)", "api-unit-csv", "text/csv", None),
            ("evidence-csv", "หลักฐานที่เผยแพร่แล้ว (CSV)", "api-unit-evidence-csv", "text/csv", None)):
        graph.add((node, DCAT.distribution,
                   _distribution(graph, node, key, title, reverse(name, args=args), media, issued, modified, schema)))
    return node


def thai_addresses(build):
    """IRIs are names: the Thai pages' addresses whatever language the client reads in."""
    def built():
        with translation.override(settings.LANGUAGE_CODE):
            return build()

    return built


def _serialised(graph, suffix) -> HttpResponse:
    rdf_format, media = FORMATS[suffix]
    options = {"context": JSON_LD_CONTEXT, "auto_compact": True} if suffix == "jsonld" else {}
    body = graph.serialize(format=rdf_format, encoding="utf-8", **options)
    response = HttpResponse(body, content_type=f"{media}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _suffix(request, fmt) -> str:
    if fmt is not None:
        if fmt not in FORMATS:
            raise Http404
        return fmt
    return BY_MEDIA_TYPE.get(negotiate(request.headers.get("Accept", ""), list(BY_MEDIA_TYPE))) or "ttl"


def _varies(response, fmt):
    if fmt is None:  # the same address answers in three formats
        patch_vary_headers(response, ["Accept"])
    return response


def dataset_rdf(request, slug, fiscal_year, fmt=None):
    suffix = _suffix(request, fmt)

    def build():
        dataset = datasets.rows().filter(slug=slug, fiscal_year=fiscal_year).first()
        if dataset is None:
            raise Http404
        graph = _graph()
        add_dataset(graph, dataset, datasets.items_of([dataset]).get(dataset.framework_id, []))
        return _serialised(graph, suffix)

    args = cache_args(slug)
    args["current"] = f"{args['current']}|{suffix}"
    return _varies(publication.cached(request, slug, thai_addresses(build), **args), fmt)


def _page_url(suffix, fmt, page) -> URIRef:
    path = reverse("dcat-catalogue-format", args=[suffix]) if fmt else reverse("dcat-catalogue")
    return URIRef(catalogue.absolute(path) + (f"?{urlencode({'page': page})}" if page > 1 else ""))


def catalogue_graph(page: int, suffix: str, fmt) -> Graph:
    """The catalogue and one page of its datasets (OPEN_DATA_PAGE_SIZE): four queries a page."""
    size = settings.OPEN_DATA_PAGE_SIZE
    found = datasets.ordered(datasets.rows())
    total = found.count()
    last = max(1, -(-total // size))
    if page > last:
        raise Http404
    rows = list(found[(page - 1) * size:page * size])
    items = datasets.items_of(rows)
    graph = _graph()
    node = URIRef(catalogue.absolute(reverse("api-catalogue")))
    graph.add((node, RDF.type, DCAT.Catalog))
    graph.add((node, DCTERMS.title, Literal("ITA Portal — OIT open data", lang="en")))
    graph.add((node, DCTERMS.description, Literal(settings.OPEN_DATA_DESCRIPTION, lang="th")))
    graph.add((node, FOAF.homepage, URIRef(catalogue.absolute(reverse("home")))))
    graph.add((node, DCTERMS.language, LANGUAGE.THA))
    graph.add((node, DCTERMS.license, URIRef(catalogue.licence())))
    latest = Unit.objects.filter(unit_type__publishes_oit=True).aggregate(latest=Max("published_at"))["latest"]
    if latest:
        graph.add((node, DCTERMS.modified, _time(latest)))
    top = Unit.objects.filter(parent=None).order_by("path").first()
    if top is not None:
        graph.add((node, DCTERMS.publisher, _publisher(graph, top)))
    for row in rows:
        graph.add((node, DCAT.dataset, add_dataset(graph, row, items.get(row.framework_id, []))))
    view = _page_url(suffix, fmt, page)
    graph.add((view, RDF.type, HYDRA.PagedCollection))
    graph.add((view, HYDRA.totalItems, Literal(total)))
    graph.add((view, HYDRA.itemsPerPage, Literal(size)))
    graph.add((view, HYDRA.firstPage, _page_url(suffix, fmt, 1)))
    graph.add((view, HYDRA.lastPage, _page_url(suffix, fmt, last)))
    if page > 1:
        graph.add((view, HYDRA.previousPage, _page_url(suffix, fmt, page - 1)))
    if page < last:
        graph.add((view, HYDRA.nextPage, _page_url(suffix, fmt, page + 1)))
    return graph


def catalogue_rdf(request, fmt=None):
    suffix = _suffix(request, fmt)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        raise Http404 from None

    def build():
        return _serialised(catalogue_graph(page, suffix, fmt), suffix)

    stamps = pagecache.combined(publication.stamp_all(), requirements_stamp())
    current = f"{stamps}|{Unit.objects.filter(unit_type__publishes_oit=True).count()}|{suffix}|{page}"
    return _varies(publication.cached(request, "*catalogue", thai_addresses(build), current=current), fmt)


def see_other(suffix, name, args=()) -> HttpResponseRedirect:
    """For a client of a JSON address that asked for RDF."""
    response = HttpResponseRedirect(reverse(name, args=[*args, suffix]), status=303)
    patch_vary_headers(response, ["Accept"])
    return response
