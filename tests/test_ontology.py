"""The ontology (ontology/revisionism.ttl) and the SHACL shapes (ontology/shapes.ttl).

Checks that both parse, that every term is documented and every kg: term of
docs/modelling.md is declared, that the shapes are valid SHACL, and that the shapes
accept a small graph written after modelling.md's examples and reject each broken
variant with a result on the right focus node and path.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import ORG, OWL, RDF, RDFS, SH, SKOS

from kgraph.namespaces import (ACT, ACTOR, CAT, CLAIM, EVENT, EVID, JUDG, KG, NARR, OFFICE,
                               ONTOLOGY_IRI, PREFIXES, STMT)

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "revisionism.ttl"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
MODELLING_FILE = ROOT / "docs" / "modelling.md"
ONTOLOGY = URIRef(ONTOLOGY_IRI)
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
              OWL.NamedIndividual)
PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
DCTERMS_LICENSE = URIRef("http://purl.org/dc/terms/license")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def kg_terms(graph: Graph) -> set[URIRef]:
    """The kg: IRIs the ontology declares as classes, properties or individuals."""
    return {s for t in TERM_TYPES for s in graph.subjects(RDF.type, t)
            if isinstance(s, URIRef) and s.startswith(str(KG))}


def kg_iris_in(graph: Graph) -> set[URIRef]:
    """Every kg: IRI that occurs anywhere in ``graph``."""
    return {term for triple in graph for term in triple
            if isinstance(term, URIRef) and term.startswith(str(KG))}


def english(graph: Graph, subject, predicate) -> list[Literal]:
    return [o for o in graph.objects(subject, predicate)
            if isinstance(o, Literal) and o.language == "en" and str(o).strip()]


# ------------------------------------------------------------------------ the ontology

def test_ontology_header(ontology):
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(ONTOLOGY, DCTERMS_LICENSE) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/")
    for predicate in ("title", "description"):
        assert english(ontology, ONTOLOGY, URIRef(f"http://purl.org/dc/terms/{predicate}"))


def test_every_term_is_documented(ontology):
    terms = kg_terms(ontology)
    assert len(terms) > 50
    problems = []
    for term in sorted(terms):
        if len(english(ontology, term, RDFS.label)) != 1:
            problems.append(f"{term}: needs exactly one rdfs:label@en")
        if not (english(ontology, term, RDFS.comment) or english(ontology, term, SKOS.definition)):
            problems.append(f"{term}: needs rdfs:comment@en or skos:definition@en")
        if (term, RDFS.isDefinedBy, ONTOLOGY) not in ontology:
            problems.append(f"{term}: needs rdfs:isDefinedBy <{ONTOLOGY}>")
    assert not problems, "\n".join(problems)


def test_every_kg_iri_used_in_the_ontology_is_declared(ontology):
    assert kg_iris_in(ontology) <= kg_terms(ontology)


def test_every_kg_term_in_modelling_md_is_declared(ontology):
    text = MODELLING_FILE.read_text(encoding="utf-8")
    # `kg:check-quotes` names the quote-check command, not a term: a hyphen after the
    # name rules it out.
    used = {URIRef(str(KG) + name) for name in re.findall(r"\bkg:([A-Za-z]\w*)(?![\w-])", text)}
    assert {KG.Statement, KG.speaker, KG.DirectQuote, KG.evidence} <= used
    missing = sorted(used - kg_terms(ontology))
    assert not missing, f"used in docs/modelling.md but not declared: {missing}"


def test_owl_typing_is_consistent(ontology):
    """What Protégé / OWL 2 DL needs: each property has one kind, sub-properties share
    their parent's kind, and every class axiom names declared classes."""
    def kinds(term):
        return {k for k in PROPERTY_KINDS if (term, RDF.type, k) in ontology}

    for prop in set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(
            ontology.subjects(RDF.type, OWL.DatatypeProperty)) | set(
            ontology.subjects(RDF.type, OWL.AnnotationProperty)):
        assert len(kinds(prop)) == 1, f"{prop} is declared as {kinds(prop)}"
    for sub, sup in ontology.subject_objects(RDFS.subPropertyOf):
        assert kinds(sub) == kinds(sup) and kinds(sub), f"{sub} ⊑ {sup}: kinds differ"
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        for cls in (sub, sup):
            assert (cls, RDF.type, OWL.Class) in ontology, f"{cls} is not declared owl:Class"
    for prop, cls in [*ontology.subject_objects(RDFS.domain),
                      *((p, c) for p, c in ontology.subject_objects(RDFS.range)
                        if (p, RDF.type, OWL.ObjectProperty) in ontology)]:
        assert (cls, RDF.type, OWL.Class) in ontology, f"{prop}: {cls} is not an owl:Class"


def test_external_mappings(ontology):
    prov = "http://www.w3.org/ns/prov#"
    expected_classes = {
        KG.Actor: prov + "Agent", KG.Statement: prov + "Entity",
        KG.Act: prov + "Activity", KG.CategoryJudgement: prov + "Entity",
        KG.Person: "http://xmlns.com/foaf/0.1/Person", KG.Office: "http://www.w3.org/ns/org#Post",
        KG.NarrativeAttribution: prov + "Entity",
        KG.Narrative: str(SKOS.Concept), KG.Event: "https://schema.org/Event",
        KG.Document: "http://purl.org/dc/terms/BibliographicResource",
    }
    for cls, parent in expected_classes.items():
        assert (cls, RDFS.subClassOf, URIRef(parent)) in ontology, (cls, parent)
    expected_properties = {
        KG.speaker: prov + "wasAttributedTo", KG.judgedBy: prov + "wasAttributedTo",
        KG.performer: prov + "wasAssociatedWith", KG.primarySource: prov + "hadPrimarySource",
        KG.date: "http://purl.org/dc/terms/date", KG.quote: "https://schema.org/text",
    }
    for prop, parent in expected_properties.items():
        assert (prop, RDFS.subPropertyOf, URIRef(parent)) in ontology, (prop, parent)
    assert (KG.contradicts, RDF.type, OWL.SymmetricProperty) in ontology
    # qualifies and supports are directed: A qualifies B says nothing of B on A
    for directed in (KG.qualifies, KG.supports):
        assert (directed, RDF.type, OWL.SymmetricProperty) not in ontology
    # a statement is a speech act, not a quotation: a paraphrase has no speaker's words
    assert (KG.Statement, RDFS.subClassOf, URIRef("https://schema.org/Quotation")) \
        not in ontology
    assert (KG.attributedBy, RDFS.subPropertyOf, URIRef(prov + "wasAttributedTo")) in ontology
    for mode in (KG.DirectQuote, KG.Paraphrase):
        assert (mode, RDF.type, KG.ReportingMode) in ontology


# -------------------------------------------------------------------------- the shapes

def test_shapes_are_valid_shacl(shapes):
    meta = Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl")
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=meta)
    assert conforms, text


def test_shapes_only_use_declared_kg_terms(ontology, shapes):
    assert kg_iris_in(shapes) <= kg_terms(ontology)


def test_shapes_are_kept_apart_from_the_ontology(ontology, shapes):
    assert not set(ontology.subjects(RDF.type, SH.NodeShape))
    assert not set(ontology.predicates()) & {SH.path, SH.targetClass, SH.property}


def test_every_class_has_a_node_shape(ontology, shapes):
    """Each kg: class is a target, or a subclass of one (kg:Person via kg:Actor)."""
    targeted = set(shapes.objects(None, SH.targetClass))
    classes = {c for c in kg_terms(ontology) if (c, RDF.type, OWL.Class) in ontology}
    untargeted = sorted(c for c in classes
                        if not targeted & set(ontology.transitive_objects(c, RDFS.subClassOf)))
    assert not untargeted, f"no node shape covers {untargeted}"


def test_every_shape_has_a_name_message_and_severity(shapes):
    """Node shapes with targets and the property shapes they hold report results, so
    each says in words what is wrong; the anonymous branches of an sh:or and the named
    conditions used inside sh:not report through their parent."""
    reporting = set(shapes.objects(None, SH.property))
    reporting |= {s for p in (SH.targetClass, SH.targetSubjectsOf) for s in shapes.subjects(p)}
    reporting |= {s for s in shapes.subjects(SH.path) if isinstance(s, URIRef)
                  and (s, SH.message, None) in shapes}
    assert len(reporting) > 70
    for shape in sorted(reporting):
        assert isinstance(shape, URIRef), f"anonymous shape {shape} would report unnamed"
        assert shapes.value(shape, SH.name), f"{shape} has no sh:name"
        has_constraints = any(p for p in shapes.predicates(shape)
                              if p not in (SH.name, SH.description, SH.property, RDF.type,
                                           SH.targetClass, SH.targetSubjectsOf))
        if has_constraints:
            assert english(shapes, shape, SH.message), f"{shape} has no sh:message@en"
            expected = SH.Warning if str(shape).rsplit("#", 1)[-1] in WARNING_SHAPES \
                else SH.Violation
            assert shapes.value(shape, SH.severity) == expected, f"{shape}: severity"


# --------------------------------------------------------------- behaviour on data

PREFIX_LINES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())

# Written after docs/modelling.md's examples (evidence records carry the rdfs:label that
# "every resource has exactly one label" requires).
GOOD = PREFIX_LINES + """
actor:lukashenka a kg:Person ;
    skos:prefLabel "Alyaksandr Lukashenka"@en ;
    skos:altLabel "Lukashenko"@en, "Łukaszenka"@pl, "Лукашенко"@ru ;
    rdfs:label "Alyaksandr Lukashenka"@en ;
    kg:affiliatedState actor:belarus ;
    kg:evidence evid:actor-lukashenka-1 .
actor:lavrov a kg:Person ; skos:prefLabel "Sergey Lavrov"@en ; rdfs:label "Sergey Lavrov"@en ;
    kg:affiliatedState actor:russia ;
    org:memberOf actor:russia-mfa .
actor:bessmertny a kg:Person ; skos:prefLabel "Roman Bessmertny"@en ;
    rdfs:label "Roman Bessmertny"@en .
actor:slowikowski a kg:Person ; skos:prefLabel "Michał Słowikowski"@en ;
    rdfs:label "Michał Słowikowski"@en .
actor:klonowski a kg:Person ; skos:prefLabel "Michał Klonowski"@en ;
    rdfs:label "Michał Klonowski"@en .
actor:klinke a kg:Person ; skos:prefLabel "Ian Klinke"@en ; rdfs:label "Ian Klinke"@en .
actor:russia a kg:State ; skos:prefLabel "Russia"@en ; rdfs:label "Russia"@en .
actor:belarus a kg:State ; skos:prefLabel "Belarus"@en ; rdfs:label "Belarus"@en .
actor:ukraine a kg:State ; skos:prefLabel "Ukraine"@en ; rdfs:label "Ukraine"@en .
actor:united-states a kg:State ; skos:prefLabel "United States"@en ;
    rdfs:label "United States"@en .
actor:russia-mfa a kg:Agency ; skos:prefLabel "Russian Foreign Ministry"@en ;
    rdfs:label "Russian Foreign Ministry"@en ;
    kg:affiliatedState actor:russia .
actor:siloviks a kg:Faction ; skos:prefLabel "siloviks"@en ; rdfs:label "siloviks"@en .
actor:nato a kg:InternationalOrganisation ; skos:prefLabel "NATO"@en ; rdfs:label "NATO"@en .
actor:the-west a kg:Bloc ; skos:prefLabel "the West"@en ; rdfs:label "the West"@en ;
    skos:altLabel "collective West"@en .

office:belarus-president--lukashenka a org:Membership ;
    rdfs:label "Alyaksandr Lukashenka as President of Belarus"@en ;
    org:member actor:lukashenka ; org:role office:belarus-president ;
    org:organization actor:belarus ; kg:evidence evid:actor-lukashenka-1 .
office:russia-foreign-minister--lavrov a org:Membership ;
    rdfs:label "Sergey Lavrov as Minister of Foreign Affairs of Russia"@en ;
    org:member actor:lavrov ; org:role office:russia-foreign-minister ;
    org:organization actor:russia ; kg:evidence evid:lavrov-2021-05-27-ryanair-1 .
office:ukraine-ambassador-to-belarus--bessmertny a org:Membership ;
    rdfs:label "Roman Bessmertny as Ukrainian Ambassador to Belarus (former)"@en ;
    org:member actor:bessmertny ; org:role office:ukraine-ambassador-to-belarus ;
    org:organization actor:ukraine ; kg:former true ;
    kg:evidence evid:lavrov-2021-05-27-ryanair-1 .

office:russia-foreign-minister a kg:Office ;
    rdfs:label "Minister of Foreign Affairs of Russia"@en ; org:postIn actor:russia .
office:belarus-president a kg:Office ;
    rdfs:label "President of Belarus"@en ; org:postIn actor:belarus .
office:ukraine-ambassador-to-belarus a kg:Office ;
    rdfs:label "Ukrainian Ambassador to Belarus"@en ; org:postIn actor:ukraine .

narr:scheme a skos:ConceptScheme ; skos:prefLabel "Narratives"@en .
narr:anti-western-confrontation a kg:Narrative, skos:Concept ;
    skos:prefLabel "anti-Western confrontation"@en ;
    rdfs:label "anti-Western confrontation"@en ;
    skos:definition "The West is cast as Russia's adversary."@en ;
    skos:inScheme narr:scheme ; skos:topConceptOf narr:scheme .
narr:fraternalism a kg:Narrative, skos:Concept ;
    skos:prefLabel "fraternalism"@en ; rdfs:label "fraternalism"@en ;
    skos:definition "Integration of equal subjects with a shared background."@en ;
    skos:inScheme narr:scheme ; skos:topConceptOf narr:scheme .
narr:western-hypocrisy a kg:Narrative, skos:Concept ;
    skos:prefLabel "Western hypocrisy"@en ;
    rdfs:label "Western hypocrisy"@en ;
    skos:definition "The West applies double standards."@en ;
    skos:inScheme narr:scheme ; skos:broader narr:anti-western-confrontation ;
    kg:theorisedBy actor:klinke ;
    kg:evidence evid:narrative-western-hypocrisy-1 .

cat:scheme a skos:ConceptScheme ; skos:prefLabel "Revisionism categories"@en .
cat:defensive a kg:RevisionismCategory, skos:Concept ;
    skos:prefLabel "defensive revisionism"@en ;
    rdfs:label "defensive revisionism"@en ;
    skos:definition "Revisionism that seeks to protect a threatened position."@en ;
    skos:inScheme cat:scheme ; skos:topConceptOf cat:scheme .
cat:offensive a kg:RevisionismCategory, skos:Concept ;
    skos:prefLabel "offensive revisionism"@en ;
    rdfs:label "offensive revisionism"@en ;
    skos:definition "Revisionism that seeks to overturn the order."@en ;
    skos:inScheme cat:scheme ; skos:topConceptOf cat:scheme .

event:ryanair-diversion a kg:Event ;
    rdfs:label "Diversion of Ryanair flight FR4978 to Minsk"@en ;
    kg:date "2021-05-23"^^xsd:date ;
    kg:involves actor:belarus ;
    kg:evidence evid:lavrov-2021-05-27-ryanair-1 .
event:security-guarantee-proposals a kg:Event ;
    rdfs:label "Russia's security-guarantee proposals"@en ;
    skos:altLabel "the ultimatum"@en ;
    kg:date "2021-12"^^xsd:gYearMonth ; kg:endDate "2022"^^xsd:gYear ;
    kg:evidence evid:russia-security-ultimatum-1 .

stmt:lavrov-2021-05-27-ryanair a kg:Statement ;
    rdfs:label "Lavrov accuses the West of demonizing Belarus over the Ryanair incident"@en ;
    kg:speaker actor:lavrov ;
    kg:speakerOffice office:russia-foreign-minister ;
    kg:date "2021-05-27"^^xsd:date ;
    kg:quote "demonizing people who are not liked there"@en ;
    kg:reportedAs kg:DirectQuote ;
    kg:voices narr:western-hypocrisy ;
    kg:refersTo event:ryanair-diversion ;
    kg:target actor:the-west ;
    kg:channel "press conference"@en ;
    kg:evidence evid:lavrov-2021-05-27-ryanair-1 ;
    skos:editorialNote "Date from the TASS report."@en .

evid:lavrov-2021-05-27-ryanair-1 a kg:Evidence ;
    rdfs:label "Słowikowski and Klonowski 2022, p. 162, fn. 36"@en ;
    kg:document doc:slowikowski-klonowski-2022 ;
    kg:locator "p. 162, fn. 36" ;
    kg:page 162 ;
    kg:footnote 36 ;
    kg:passage "accusing the West of hastily passing sentences and “demonizing people who are not liked there”."@en ;
    kg:primarySource src:tass-2021-05-27-lavrov-ryanair .
evid:siloviks--fraternalism-1 a kg:Evidence ;
    rdfs:label "Słowikowski and Klonowski 2022, p. 170"@en ;
    kg:document doc:slowikowski-klonowski-2022 ; kg:locator "p. 170" ; kg:page 170 ;
    kg:passage "its representatives sympathised with Lukashenka (…) and promoted a fraternal narrative in bilateral relations"@en .
evid:siloviks--offensive-1 a kg:Evidence ;
    rdfs:label "Słowikowski and Klonowski 2022, p. 170 (offensive)"@en ;
    kg:document doc:slowikowski-klonowski-2022 ; kg:locator "p. 170" ; kg:page 170 .
evid:actor-lukashenka-1 a kg:Evidence ;
    rdfs:label "Menkiszak 2021, para. 2"@en ;
    kg:document doc:menkiszak-2021 ; kg:locator "para. 2" .
evid:narrative-western-hypocrisy-1 a kg:Evidence ;
    rdfs:label "Słowikowski and Klonowski 2022, pp. 151–152, fn. 10"@en ;
    kg:document doc:slowikowski-klonowski-2022 ; kg:locator "pp. 151–152, fn. 10" ;
    kg:page 151 ; kg:footnote 10 .
evid:russia-security-ultimatum-1 a kg:Evidence ;
    rdfs:label "Słowikowski and Klonowski 2022, p. 170"@en ;
    kg:document doc:slowikowski-klonowski-2022 ; kg:locator "p. 170" ; kg:page 170 .
evid:russia-security-ultimatum--defensive-1 a kg:Evidence ;
    rdfs:label "Słowikowski and Klonowski 2022, p. 171, fn. 41"@en ;
    kg:document doc:slowikowski-klonowski-2022 ; kg:locator "p. 171, fn. 41" ;
    kg:page 171 ; kg:footnote 41 .
evid:memo-claim-1 a kg:Evidence ;
    rdfs:label "Belarus–Russia memo, section “One Team”, para. 3"@en ;
    kg:document doc:belarus-russia-memo ; kg:locator "section \\"One Team\\", para. 3" .

doc:slowikowski-klonowski-2022 a kg:Document ;
    rdfs:label "Słowikowski and Klonowski 2022"@en ;
    dcterms:title "Russia – full spectrum revisionist?"@en ;
    dcterms:creator actor:slowikowski, actor:klonowski ;
    dcterms:date "2022"^^xsd:gYear ;
    dcterms:bibliographicCitation "Sprawy Międzynarodowe 2022, vol. 75, no. 2" ;
    kg:corpusFile "000_8213a69b6c562273.txt" .
doc:menkiszak-2021 a kg:Document ;
    rdfs:label "Menkiszak 2021"@en ; dcterms:date "2021-11"^^xsd:gYearMonth ;
    kg:corpusFile "004_9a14ab1a5f4ec8ed.txt" .
doc:belarus-russia-memo a kg:Document ;
    rdfs:label "Policy memo on Belarus–Russia relations"@en ;
    kg:corpusFile "002_cdb1d46302525148.txt" .
doc:slowikowski-2024 a kg:Document ;
    rdfs:label "Słowikowski 2024"@en ;
    dcterms:license <https://creativecommons.org/licenses/by-sa/4.0/> ;
    kg:corpusFile "003_d230e8fb599be884.txt" .

src:tass-2021-05-27-lavrov-ryanair a kg:PrimarySource ;
    rdfs:label "TASS, 27 May 2021: Lavrov calls on the West to stop demonizing Belarus"@en ;
    dcterms:title "Лавров призвал Запад прекратить демонизировать Белоруссию из-за инцидента с Ryanair"@ru ;
    kg:outlet "ТАСС" ;
    dcterms:date "2021-05-27"^^xsd:date ;
    schema:url "https://tass.ru/politika/11492163"^^xsd:anyURI ;
    dcterms:bibliographicCitation "Лавров призвал Запад прекратить демонизировать Белоруссию, “тасс” [online], 27 v 2021." .

act:russia-security-ultimatum a kg:Act ;
    rdfs:label "Russia's security-guarantee proposals to the United States and NATO"@en ;
    kg:performer actor:russia ;
    kg:date "2021-12-17"^^xsd:date ;
    kg:target actor:united-states, actor:nato ;
    kg:partOfEvent event:security-guarantee-proposals ;
    kg:quote "By formulating an ultimatum on security, Russia expressed concern for its security and manifested its determination to be heard."@en ;
    kg:evidence evid:russia-security-ultimatum-1 .

judg:russia-security-ultimatum--defensive--slowikowski-klonowski a kg:CategoryJudgement ;
    rdfs:label "Słowikowski and Klonowski judge the security ultimatum defensive revisionism"@en ;
    kg:judgedAct act:russia-security-ultimatum ;
    kg:category cat:defensive ;
    kg:judgedBy actor:slowikowski, actor:klonowski ;
    kg:quote "In the defensive perspective, Russia has tried to stop the process of institutionalising Ukraine’s ties with nato"@en ;
    kg:evidence evid:russia-security-ultimatum--defensive-1 .

judg:siloviks--offensive--slowikowski-klonowski a kg:CategoryJudgement ;
    rdfs:label "Słowikowski and Klonowski judge the siloviks faction offensive revisionism"@en ;
    kg:judgedActor actor:siloviks ;
    kg:category cat:offensive ;
    kg:judgedBy actor:slowikowski, actor:klonowski ;
    kg:quote "The Russian siloviks faction is a representative of offensive revisionism"@en ;
    kg:evidence evid:siloviks--offensive-1 .

judg:siloviks--fraternalism--slowikowski-klonowski a kg:NarrativeAttribution ;
    rdfs:label "Słowikowski and Klonowski: the siloviks promoted a fraternal narrative"@en ;
    kg:attributedActor actor:siloviks ;
    kg:attributedNarrative narr:fraternalism ;
    kg:attributedBy actor:slowikowski, actor:klonowski ;
    kg:evidence evid:siloviks--fraternalism-1 .

claim:memo-belarus-integration a kg:Claim ;
    rdfs:label "The memo presents Belarus and Russia as one team"@en ;
    kg:quote "One Team"@en ;
    kg:concerns actor:belarus ;
    kg:contradicts claim:sk-belarus-autonomy ;
    kg:evidence evid:memo-claim-1 .
claim:sk-belarus-autonomy a kg:Claim ;
    rdfs:label "Słowikowski and Klonowski call Russia a full-spectrum revisionist"@en ;
    kg:claimant actor:slowikowski, actor:klonowski ;
    kg:quote "full spectrum revisionist"@en ;
    kg:concerns act:russia-security-ultimatum ;
    kg:supports claim:memo-belarus-integration ;
    kg:evidence evid:russia-security-ultimatum--defensive-1 .
claim:reported-in-own-words a kg:Claim ;
    rdfs:label "The article reports another scholar's claim in its own words"@en ;
    kg:qualifies claim:sk-belarus-autonomy ;
    kg:evidence evid:siloviks--fraternalism-1 .
"""

STATEMENT = STMT["lavrov-2021-05-27-ryanair"]
EVIDENCE = EVID["lavrov-2021-05-27-ryanair-1"]
MEMO_EVIDENCE = EVID["memo-claim-1"]
ACT_ = ACT["russia-security-ultimatum"]
JUDGEMENT = JUDG["russia-security-ultimatum--defensive--slowikowski-klonowski"]
EVENT_ = EVENT["ryanair-diversion"]
ACTOR_JUDGEMENT = JUDG["siloviks--offensive--slowikowski-klonowski"]
ATTRIBUTION = JUDG["siloviks--fraternalism--slowikowski-klonowski"]
ATTRIBUTION_EVIDENCE = EVID["siloviks--fraternalism-1"]
FORMER = OFFICE["ukraine-ambassador-to-belarus--bessmertny"]
HOLDING = OFFICE["russia-foreign-minister--lavrov"]
MEMO_CLAIM = CLAIM["memo-belarus-integration"]


def good_graph() -> Graph:
    return Graph().parse(data=GOOD, format="turtle")


def validate(data: Graph, ontology: Graph, shapes: Graph):
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology)
    return conforms, report, text


#: the only "should" rules: where no document dates an event, its date stays unknown
WARNING_SHAPES = {"Event-dateKnown", "Statement-dateKnown", "NarrativeUsedShape"}


def results(report: Graph) -> set[tuple]:
    """(focus node, path) of each violation or warning; an inverse path is ("^", property).
    A warning is expected only from the shapes in WARNING_SHAPES."""
    found = set()
    for result in report.objects(None, SH.result):  # top-level results, not sh:detail
        severity = report.value(result, SH.resultSeverity)
        shape = str(report.value(result, SH.sourceShape)).rsplit("#", 1)[-1]
        assert severity == (SH.Warning if shape in WARNING_SHAPES else SH.Violation)
        path = report.value(result, SH.resultPath)
        if isinstance(path, BNode):
            path = ("^", report.value(path, SH.inversePath))
        found.add((report.value(result, SH.focusNode), path))
    return found


def owl_rl_closure(data: Graph, ontology: Graph) -> tuple[Graph, list[str]]:
    """The OWL 2 RL closure of data + ontology and owlrl's inconsistency messages."""
    import owlrl  # a dependency of pyshacl

    closure = data + ontology
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    error = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
    return closure, [str(message) for message in closure.objects(None, error)]


def test_good_graph_is_owl_rl_consistent_and_not_mistyped(ontology):
    """Domains and ranges must not give a resource a kg: type it was not coded with
    (the risk of a domain on a property shared by several classes)."""
    data = good_graph()
    closure, errors = owl_rl_closure(data, ontology)
    assert not errors
    for node in set(data.subjects(RDF.type, None)):
        coded = set(data.objects(node, RDF.type))
        allowed = {sup for c in coded for sup in ontology.transitive_objects(c, RDFS.subClassOf)}
        inferred = {c for c in closure.objects(node, RDF.type) if c.startswith(str(KG))}
        assert inferred <= allowed, f"{node} inferred as {inferred - allowed}"


def test_owl_catches_a_narrative_slot_filled_with_an_event(ontology):
    data = good_graph()
    data.add((STATEMENT, KG.voices, EVENT_))
    _, errors = owl_rl_closure(data, ontology)
    assert any("Disjoint classes" in e and str(EVENT_) in e for e in errors), errors


def test_good_graph_conforms(ontology, shapes):
    conforms, _, text = validate(good_graph(), ontology, shapes)
    assert conforms, text


def test_good_graph_conforms_loaded_as_kgraph_loads_it(ontology, shapes):
    """kgraph loads ontology/*.ttl (shapes included) into the same store as graph/."""
    data = good_graph() + ontology + shapes
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes)
    assert conforms, text


def _remove(*triples):
    def change(g: Graph) -> None:
        for triple in triples:
            g.remove(triple)
    return change


def _add(*triples):
    def change(g: Graph) -> None:
        for triple in triples:
            g.add(triple)
    return change


def _replace(subject, predicate, value):
    def change(g: Graph) -> None:
        g.set((subject, predicate, value))
    return change


def _drop_subject(subject):
    def change(g: Graph) -> None:
        g.remove((subject, None, None))
    return change


BROKEN = {
    "statement without speaker": (
        _remove((STATEMENT, KG.speaker, None)), (STATEMENT, KG.speaker)),
    "statement with two speakers": (
        _add((STATEMENT, KG.speaker, ACTOR.lukashenka)), (STATEMENT, KG.speaker)),
    "speaker not an actor": (
        _replace(STATEMENT, KG.speaker, NARR["western-hypocrisy"]), (STATEMENT, KG.speaker)),
    "quote empty": (
        _replace(STATEMENT, KG.quote, Literal("", lang="en")), (STATEMENT, KG.quote)),
    "quote without language tag": (
        _replace(STATEMENT, KG.quote, Literal("demonizing people")), (STATEMENT, KG.quote)),
    "direct quote without the speaker's words": (
        _remove((STATEMENT, KG.quote, None)), (STATEMENT, None)),
    "statement evidence without passage": (
        _remove((EVIDENCE, KG.passage, None)), (STATEMENT, KG.evidence)),
    "evidence with two passages": (
        _add((EVIDENCE, KG.passage, Literal("Another passage.", lang="en"))),
        (EVIDENCE, KG.passage)),
    "passage without language tag": (
        _replace(EVIDENCE, KG.passage, Literal("demonizing people")), (EVIDENCE, KG.passage)),
    "statement without date (a warning)": (
        _remove((STATEMENT, KG.date, None)), (STATEMENT, KG.date)),
    "actor without rdfs:label": (
        _remove((ACTOR.lavrov, RDFS.label, None)), (ACTOR.lavrov, RDFS.label)),
    "category without rdfs:label": (
        _remove((CAT.defensive, RDFS.label, None)), (CAT.defensive, RDFS.label)),
    "narrative not typed skos:Concept": (
        _remove((NARR["western-hypocrisy"], RDF.type, SKOS.Concept)),
        (NARR["western-hypocrisy"], RDF.type)),
    "office held with org:holds, which has no time": (
        _add((ACTOR.lavrov, ORG.holds, OFFICE["russia-foreign-minister"])),
        (ACTOR.lavrov, ORG.holds)),
    "office holding without the office": (
        _remove((HOLDING, ORG.role, None)), (HOLDING, ORG.role)),
    "office holding with two holders": (
        _add((HOLDING, ORG.member, ACTOR.lukashenka)), (HOLDING, ORG.member)),
    "kg:former given as false": (
        _replace(FORMER, KG.former, Literal(False)), (FORMER, KG.former)),
    "attribution without actor": (
        _remove((ATTRIBUTION, KG.attributedActor, None)), (ATTRIBUTION, KG.attributedActor)),
    "attribution of a category, not a narrative": (
        _replace(ATTRIBUTION, KG.attributedNarrative, CAT.defensive),
        (ATTRIBUTION, KG.attributedNarrative)),
    "attribution whose evidence has no passage": (
        _remove((ATTRIBUTION_EVIDENCE, KG.passage, None)), (ATTRIBUTION, KG.evidence)),
    "attribution without evidence": (
        _remove((ATTRIBUTION, KG.evidence, None)), (ATTRIBUTION, KG.evidence)),
    "claim with neither quote nor passage": (
        _remove((MEMO_CLAIM, KG.quote, None)), (MEMO_CLAIM, None)),
    "narrative nothing uses (a warning)": (
        _add((NARR["unused"], RDF.type, KG.Narrative)), (NARR["unused"], None)),
    "document heading not a plain string": (
        _add((URIRef(PREFIXES["doc"] + "belarus-russia-memo"), KG.sectionHeading,
              Literal("One Team", lang="en"))),
        (URIRef(PREFIXES["doc"] + "belarus-russia-memo"), KG.sectionHeading)),
    "claim qualifies an event": (
        _add((MEMO_CLAIM, KG.qualifies, EVENT_)), (MEMO_CLAIM, KG.qualifies)),
    "date as plain string": (
        _replace(STATEMENT, KG.date, Literal("May 2021")), (STATEMENT, KG.date)),
    "statement with two dates": (
        _add((STATEMENT, KG.date, Literal("2021-05", datatype=URIRef(PREFIXES["xsd"] + "gYearMonth")))),
        (STATEMENT, KG.date)),
    "reportedAs not a reporting mode": (
        _replace(STATEMENT, KG.reportedAs, Literal("direct quote")), (STATEMENT, KG.reportedAs)),
    "statement without evidence": (
        _remove((STATEMENT, KG.evidence, None)), (STATEMENT, KG.evidence)),
    "voices an event": (
        _replace(STATEMENT, KG.voices, EVENT_), (STATEMENT, KG.voices)),
    "statement with two labels": (
        _add((STATEMENT, RDFS.label, Literal("Another label", lang="en"))),
        (STATEMENT, RDFS.label)),
    "evidence without locator": (
        _remove((EVIDENCE, KG.locator, None)), (EVIDENCE, KG.locator)),
    "evidence without document": (
        _remove((EVIDENCE, KG.document, None)), (EVIDENCE, KG.document)),
    "page zero": (
        _replace(EVIDENCE, KG.page, Literal(0)), (EVIDENCE, KG.page)),
    "page missing though the locator gives one": (
        _remove((EVIDENCE, KG.page, None)), (EVIDENCE, None)),
    "page given though the locator has none": (
        _add((MEMO_EVIDENCE, KG.page, Literal(4))), (MEMO_EVIDENCE, None)),
    "footnote missing though the locator cites one": (
        _remove((EVIDENCE, KG.footnote, None)), (EVIDENCE, None)),
    "footnote given though the locator cites none": (
        _add((MEMO_EVIDENCE, KG.footnote, Literal(3))), (MEMO_EVIDENCE, None)),
    "act with no judgement": (
        _drop_subject(JUDGEMENT), (ACT_, ("^", KG.judgedAct))),
    "act without performer": (
        _remove((ACT_, KG.performer, None)), (ACT_, KG.performer)),
    "judgement without judgedBy": (
        _remove((JUDGEMENT, KG.judgedBy, None)), (JUDGEMENT, KG.judgedBy)),
    "judgement of both an act and an actor": (
        _add((JUDGEMENT, KG.judgedActor, ACTOR.siloviks)), (JUDGEMENT, None)),
    "judgement of neither an act nor an actor": (
        _remove((ACTOR_JUDGEMENT, KG.judgedActor, None)), (ACTOR_JUDGEMENT, None)),
    "judgement of an act given as its actor": (
        _replace(ACTOR_JUDGEMENT, KG.judgedActor, ACT_), (ACTOR_JUDGEMENT, KG.judgedActor)),
    "judgement with a narrative as category": (
        _replace(JUDGEMENT, KG.category, NARR["western-hypocrisy"]), (JUDGEMENT, KG.category)),
    "event without date": (
        _remove((EVENT_, KG.date, None)), (EVENT_, KG.date)),
    "event without evidence": (
        _remove((EVENT_, KG.evidence, None)), (EVENT_, KG.evidence)),
    "actor with rdfs:label instead of prefLabel": (
        _add((ACTOR.lavrov, RDFS.label, Literal("Lavrov", lang="en"))),
        (ACTOR.lavrov, RDFS.label)),
    "actor altLabel without language": (
        _add((ACTOR.lukashenka, SKOS.altLabel, Literal("Lukashenko"))),
        (ACTOR.lukashenka, SKOS.altLabel)),
    "narrative in the wrong scheme": (
        _replace(NARR["western-hypocrisy"], SKOS.inScheme, URIRef(PREFIXES["cat"] + "scheme")),
        (NARR["western-hypocrisy"], SKOS.inScheme)),
    "narrative without definition": (
        _remove((NARR["western-hypocrisy"], SKOS.definition, None)),
        (NARR["western-hypocrisy"], SKOS.definition)),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_graph_fails_on_the_right_node_and_path(name, ontology, shapes):
    change, expected = BROKEN[name]
    data = good_graph()
    change(data)
    conforms, report, text = validate(data, ontology, shapes)
    assert not conforms, f"{name}: conforms, but should not"
    assert expected in results(report), f"{name}: no result for {expected}\n{text}"


def test_misspelt_class_is_caught(ontology, shapes):
    data = good_graph()
    data.add((STMT["typo"], RDF.type, KG.Statment))
    data.add((STMT["typo"], RDFS.label, Literal("typo", lang="en")))
    conforms, report, _ = validate(data, ontology, shapes)
    assert not conforms
    assert (STMT["typo"], RDF.type) in results(report)


def test_blank_node_statement_is_rejected(ontology, shapes):
    data = good_graph()
    node = BNode()
    for p, o in list(data.predicate_objects(STATEMENT)):
        data.add((node, p, o))
    conforms, report, _ = validate(data, ontology, shapes)
    assert not conforms
    assert (node, None) in results(report)


def test_untyped_resource_is_rejected(ontology, shapes):
    data = good_graph()
    data.remove((EVENT_, RDF.type, None))
    conforms, report, _ = validate(data, ontology, shapes)
    assert not conforms
    assert (EVENT_, RDF.type) in results(report)


# ------------------------------------------------------------- SKOS and labels (data)

def graph_files() -> Graph:
    """The shipped data as written (no inference), the way a SKOS browser reads it."""
    data = Graph()
    for path in sorted((ROOT / "graph").glob("*.ttl")):
        data.parse(path, format="turtle")
    return data


def test_narratives_and_categories_are_stated_skos_concepts():
    """Skosmos and VocBench list a scheme's concepts by rdf:type skos:Concept, without
    inference from kg:Narrative ⊑ skos:Concept."""
    data = graph_files()
    concepts = set(data.subjects(RDF.type, KG.Narrative)) | set(
        data.subjects(RDF.type, KG.RevisionismCategory))
    assert len(concepts) > 30
    missing = sorted(c for c in concepts if (c, RDF.type, SKOS.Concept) not in data)
    assert not missing, missing
    for concept in concepts:
        assert set(data.objects(concept, SKOS.inScheme)) & set(
            data.subjects(RDF.type, SKOS.ConceptScheme)), concept


def test_actors_narratives_and_categories_have_rdfs_label_beside_pref_label():
    """Protégé and most RDF browsers show rdfs:label, SKOS tools skos:prefLabel: each
    actor, narrative and category has both, the same text in the same language."""
    data = graph_files()
    actor_classes = {c for c in Graph().parse(ONTOLOGY_FILE).transitive_subjects(
        RDFS.subClassOf, KG.Actor)}
    nodes = {s for c in actor_classes | {KG.Narrative, KG.RevisionismCategory}
             for s in data.subjects(RDF.type, c)}
    assert len(nodes) > 130
    problems = []
    for node in sorted(nodes):
        preferred = set(data.objects(node, SKOS.prefLabel))
        if not preferred or not preferred <= set(data.objects(node, RDFS.label)):
            problems.append(str(node))
    assert not problems, f"{len(problems)} without rdfs:label = skos:prefLabel: {problems[:5]}"
