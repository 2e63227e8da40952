"""DCAT in RDF: the catalogue and each dataset as Turtle, RDF/XML and JSON-LD, by suffix and by
Accept, parsed with rdflib; the SHACL shape of what is promised (schemas/dcat-shape.ttl) passes
under pyshacl and refuses a dataset missing a required field; the public JSON (catalogue, unit,
item, the pages' own blocks) is JSON-LD with real triples; only publishing units appear."""

import json
import re

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from oit_items.public.opendata import SCHEMAS
from tests.test_open_data_ckan import expected_names

# rdflib's own JSON-LD parser still builds a ConjunctiveGraph inside (rdflib 7.6).
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
SHAPE = Graph().parse(SCHEMAS / "dcat-shape.ttl")
# Plain namespaces: pytest looks at every name of the module, and rdflib's closed ones warn at that.
DCAT, DCTERMS = Namespace("http://www.w3.org/ns/dcat#"), Namespace("http://purl.org/dc/terms/")
FOAF, RDF = Namespace("http://xmlns.com/foaf/0.1/"), Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
THAI = URIRef("http://publications.europa.eu/resource/authority/language/THA")
IANA = "https://www.iana.org/assignments/media-types/"
SCHEMA_URL = URIRef("https://schema.org/url")
SITE = "http://testserver"
DATASET = URIRef(SITE + "/u/sn-buengkum/ita/2567/")
DOCUMENT = "/api/v1/units/sn-buengkum/ita/2567/dataset"
FORMATS = {"ttl": ("text/turtle", "turtle"), "rdf": ("application/rdf+xml", "xml"),
           "jsonld": ("application/ld+json", "json-ld")}


def parsed(response, rdf_format) -> Graph:
    assert response.status_code == 200, response.status_code
    return Graph().parse(data=response.content.decode("utf-8"), format=rdf_format, publicID=SITE + "/")


def conforms(graph) -> tuple[bool, str]:
    ok, _report, text = validate(graph, shacl_graph=SHAPE, inference="none", allow_warnings=False)
    return ok, text


def test_a_dataset_in_three_serialisations_by_suffix_and_by_accept(client, approved_o7, settings):
    graphs = {}
    for suffix, (media, rdf_format) in FORMATS.items():
        by_suffix = client.get(f"{DOCUMENT}.{suffix}")
        assert by_suffix["Content-Type"].startswith(media)
        by_accept = client.get(DOCUMENT, HTTP_ACCEPT=f"{media}, text/html;q=0.5")
        assert by_accept["Content-Type"].startswith(media) and "Accept" in by_accept["Vary"]
        graphs[suffix] = parsed(by_suffix, rdf_format)
        assert isomorphic(graphs[suffix], parsed(by_accept, rdf_format)), suffix
    assert isomorphic(graphs["ttl"], graphs["rdf"]) and isomorphic(graphs["ttl"], graphs["jsonld"])
    assert len(graphs["ttl"]) >= 50
    graph = graphs["ttl"]
    assert (DATASET, RDF.type, DCAT.Dataset) in graph and (DATASET, DCTERMS.language, THAI) in graph
    assert (DATASET, DCAT.keyword, Literal("ITA", lang="th")) in graph
    assert graph.value(DATASET, DCTERMS.modified).datatype == XSD.dateTime
    assert graph.value(DATASET, DCTERMS.issued).datatype == XSD.dateTime
    publisher = graph.value(DATASET, DCTERMS.publisher)
    assert publisher == URIRef(SITE + "/u/sn-buengkum/")
    assert (publisher, FOAF.name, Literal("สถานีตำรวจนครบาลบึงกุ่ม", lang="th")) in graph
    contact = graph.value(DATASET, DCAT.contactPoint)
    assert (contact, VCARD.hasURL, URIRef(SITE + "/u/sn-buengkum/questions/")) in graph
    downloads = {graph.value(d, DCAT.downloadURL): graph.value(d, DCAT.mediaType)
                 for d in graph.objects(DATASET, DCAT.distribution)}
    assert downloads == {
        URIRef(SITE + "/api/v1/units/sn-buengkum/ita/2567/"): URIRef(IANA + "application/json"),
        URIRef(SITE + "/api/v1/units/sn-buengkum/ita/2567/items.csv"): URIRef(IANA + "text/csv"),
        URIRef(SITE + "/api/v1/units/sn-buengkum/ita/2567/evidence.csv"): URIRef(IANA + "text/csv")}
    for distribution in graph.objects(DATASET, DCAT.distribution):
        assert graph.value(distribution, DCAT.accessURL) is not None
        assert client.get(str(graph.value(distribution, DCAT.downloadURL)).removeprefix(SITE)).status_code == 200
    assert client.get(DOCUMENT).get("Content-Type").startswith("text/turtle")  # no preference: Turtle
    assert client.get(DOCUMENT + ".n3").status_code == 404
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # IRIs are names: the same for a reader of English
    assert isomorphic(parsed(client.get(DOCUMENT + ".ttl"), "turtle"), graph)


def test_json_addresses_send_rdf_clients_to_the_rdf(client, db):
    for path, target in (("/api/v1/", "/api/v1/catalog.ttl"),
                         ("/api/v1/units/sn-buengkum/ita/2567/", DOCUMENT + ".ttl")):
        response = client.get(path, HTTP_ACCEPT="text/turtle")
        assert response.status_code == 303 and response["Location"] == target and "Accept" in response["Vary"]
        assert client.get(path, HTTP_ACCEPT="application/json")["Content-Type"] == "application/json"
        assert client.get(path)["Content-Type"] == "application/json"


def test_every_answer_passes_the_shape_and_the_shape_refuses_a_gap(client, approved_o7, settings):
    settings.OPEN_DATA_PAGE_SIZE = 1
    for suffix, (_media, rdf_format) in FORMATS.items():
        ok, text = conforms(parsed(client.get(f"{DOCUMENT}.{suffix}"), rdf_format))
        assert ok, text
    graph = parsed(client.get(DOCUMENT + ".ttl"), "turtle")
    graph.remove((DATASET, DCTERMS.modified, None))
    ok, text = conforms(graph)
    assert not ok and "modified" in text
    graph = parsed(client.get(DOCUMENT + ".ttl"), "turtle")
    distribution = next(graph.objects(DATASET, DCAT.distribution))
    graph.set((distribution, DCAT.mediaType, Literal("text/csv")))  # a media type as text, not an IRI
    assert not conforms(graph)[0]


def test_the_catalogue_pages_through_every_dataset_in_fixed_queries(client, approved_o7, settings,
                                                                     django_assert_num_queries):
    settings.OPEN_DATA_PAGE_SIZE = 1
    names = expected_names()
    url, identifiers, pages = "/api/v1/catalog.ttl", [], 0
    while url:
        with django_assert_num_queries(6):  # count, page, items, latest, top unit, units (cache stamp)
            response = client.get(url)
        graph = parsed(response, "turtle")
        ok, text = conforms(graph)
        assert ok, text
        catalogue = URIRef(SITE + "/api/v1/")
        assert (catalogue, RDF.type, DCAT.Catalog) in graph
        identifiers += [str(graph.value(d, DCTERMS.identifier)) for d in graph.objects(catalogue, DCAT.dataset)]
        view = next(graph.subjects(RDF.type, HYDRA.PagedCollection))
        assert graph.value(view, HYDRA.totalItems).toPython() == len(names)
        following = graph.value(view, HYDRA.nextPage)
        url = str(following).removeprefix(SITE) if following else None
        pages += 1
    assert pages == len(names) and sorted(i.replace("/", "-oit-") for i in identifiers) == names
    assert not any(i.startswith(("mpd-4/", "rtp/")) for i in identifiers)  # supervising levels publish nothing
    for suffix, (media, rdf_format) in FORMATS.items():
        response = client.get("/api/v1/catalog", HTTP_ACCEPT=media)
        assert response["Content-Type"].startswith(media) and len(parsed(response, rdf_format)) > 50


def _triples(data) -> Graph:
    return Graph().parse(data=json.dumps(data), format="json-ld")


def test_every_public_json_is_json_ld_with_triples(client, approved_o7, o7):
    unit_json = client.get("/api/v1/units/sn-buengkum/ita/2567/").json()
    graph = _triples(unit_json)
    assert len(graph) > 500
    assert (DATASET, RDF.type, DCAT.Dataset) in graph
    assert (DATASET, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in graph
    assert len(list(graph.objects(DATASET, DCTERMS.hasPart))) == 25
    page = URIRef(SITE + "/u/sn-buengkum/ita/2567/o7/")
    item = graph.value(predicate=SCHEMA_URL, object=page)
    assert (DATASET, DCTERMS.hasPart, item) in graph and (item, DCTERMS.identifier, Literal("O7")) in graph
    assert (item, DCTERMS.title, Literal(o7.title_th, lang="th")) in graph
    files = [o for o in graph.objects(None, SCHEMA_URL) if "/files/" in str(o)]
    assert len(files) == 2  # the two approved files of October
    assert graph.value(DATASET, DCTERMS.modified).datatype == XSD.dateTime

    item_graph = _triples(client.get("/api/v1/units/sn-buengkum/ita/2567/o7/").json())
    part = item_graph.value(DATASET, DCTERMS.hasPart)
    assert (part, SCHEMA_URL, page) in item_graph and len(item_graph) > 20

    catalogue = _triples(client.get("/api/v1/").json())
    assert (URIRef(SITE + "/api/v1/"), RDF.type, DCAT.Catalog) in catalogue
    assert (None, DCAT.mediaType, URIRef(IANA + "text/csv")) in catalogue
    assert (None, DCAT.downloadURL, URIRef(SITE + "/api/v1/units/sn-buengkum/ita/2567/evidence.csv")) in catalogue
    assert (None, DCAT.accessURL, None) in catalogue

    for path in ("/u/sn-buengkum/", "/u/sn-buengkum/ita/2567/", "/u/sn-buengkum/ita/2567/o7/"):
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', client.get(path).content.decode(), re.S)
        page = _triples(json.loads(block.group(1)))
        assert len(page) > 8 and (None, DCTERMS.license, None) in page, path


@pytest.mark.parametrize("path", ["/api/v1/units/mpd-4/ita/2567/dataset.ttl", "/api/v1/units/rtp/ita/2567/dataset"])
def test_supervising_levels_have_no_dataset(client, db, path):
    assert client.get(path).status_code == 404
