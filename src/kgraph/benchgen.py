"""A deterministic generator of realistic kgraph graphs, for benchmarks at scale.

``generate_turtle(100_000)`` writes exactly 100 000 triples in kgraph's vocabulary
(docs/modelling.md): states, persons, agencies, media outlets, factions and blocs with
offices and multilingual alternative labels; a SKOS scheme of narratives; events with
sub-events; primary sources with Russian, Polish and English titles; statements with
verbatim quotes in English, Russian, Polish, Ukrainian and German, each with its
evidence record; acts with category judgements; and analysts' claims that support or
contradict each other. The data conforms to ``ontology/shapes.ttl``, so validation
does its full work on it.

Proportions stay those of a coded corpus as the size grows: about three quarters of
the triples are statements and their evidence. The same ``triples`` and ``seed`` give
byte-identical output on every machine (one seeded ``random.Random``, no hash-ordered
iteration).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .errors import UsageError
from .namespaces import PREFIXES
from .progress import Progress, report_every

#: Below this the fixed part (schemes, categories, documents) would not fit.
MIN_TRIPLES = 2000

WORDS = {
    "en": ("the West sovereignty security NATO expansion threat provocation Ukraine "
           "Belarus Russia Europe partners sanctions aggression history memory truth "
           "people brotherly nation union state borders guarantees ultimatum dialogue "
           "interference colour revolution hypocrisy demonizing double standards "
           "independence neutrality Minsk agreements elections protests order stability "
           "integration Moscow Warsaw Kyiv Brussels Washington defend respect never "
           "always must will cannot betrayal great victory war peace").split(),
    "ru": ("Запад суверенитет безопасность НАТО расширение угроза провокация Украина "
           "Белоруссия Россия Европа партнёры санкции агрессия история память правда "
           "народ братский нация союз государство границы гарантии ультиматум диалог "
           "вмешательство цветная революция лицемерие двойные стандарты независимость "
           "нейтралитет выборы протесты порядок стабильность интеграция Москва Варшава "
           "Киев Брюссель Вашингтон защищать уважать никогда всегда должны победа "
           "война мир").split(),
    "pl": ("Zachód suwerenność bezpieczeństwo NATO rozszerzenie zagrożenie prowokacja "
           "Ukraina Białoruś Rosja Europa partnerzy sankcje agresja historia pamięć "
           "prawda naród braterski państwo granice gwarancje ultimatum dialog ingerencja "
           "rewolucja hipokryzja podwójne standardy niepodległość wybory protesty "
           "porządek stabilność integracja Moskwa Warszawa Kijów Bruksela Waszyngton "
           "bronić szanować nigdy zawsze musi zwycięstwo wojna pokój").split(),
    "uk": ("Захід суверенітет безпека НАТО розширення загроза провокація Україна "
           "Білорусь Росія Європа партнери санкції агресія історія пам'ять правда "
           "народ держава кордони гарантії діалог втручання революція лицемірство "
           "незалежність вибори протести порядок стабільність Москва Варшава Київ "
           "Брюссель Вашингтон захищати поважати ніколи завжди перемога війна мир").split(),
    "de": ("der Westen Souveränität Sicherheit NATO Erweiterung Bedrohung Provokation "
           "Ukraine Belarus Russland Europa Partner Sanktionen Aggression Geschichte "
           "Erinnerung Wahrheit Volk Staat Grenzen Garantien Ultimatum Dialog "
           "Einmischung Revolution Heuchelei Doppelmoral Unabhängigkeit Wahlen Proteste "
           "Ordnung Stabilität Integration Moskau Warschau Kiew Brüssel Washington "
           "verteidigen achten niemals immer muss Sieg Krieg Frieden").split(),
}
QUOTE_LANGUAGES = ("en", "en", "en", "en", "ru", "ru", "ru", "pl", "pl", "uk", "de")
OPENING_MARKS = {"en": ("", "“"), "ru": ("", "«"), "pl": ("", "„"), "uk": ("", "«"),
                 "de": ("", "„")}
CLOSING_MARKS = {"“": "”", "«": "»", "„": "”", "": ""}

GIVEN = ("Sergei Aleksandr Dmitry Maria Anna Viktor Olga Pavel Yuri Tatiana Andrzej "
         "Katarzyna Tomasz Oleksandr Iryna Mikhail Natalia Igor Vladimir Jan").split()
FAMILY = ("Volkov Petrov Sokolov Lebedev Kozlov Novak Kowalski Wiśniewski Shevchenko "
          "Bondarenko Melnyk Karpov Orlov Zaitsev Morozov Nowicki Tkachenko Frolov "
          "Gusev Belov").split()
CYRILLIC = {"Sergei": "Сергей", "Aleksandr": "Александр", "Dmitry": "Дмитрий",
            "Maria": "Мария", "Anna": "Анна", "Viktor": "Виктор", "Olga": "Ольга",
            "Pavel": "Павел", "Yuri": "Юрий", "Tatiana": "Татьяна", "Mikhail": "Михаил",
            "Natalia": "Наталья", "Igor": "Игорь", "Vladimir": "Владимир",
            "Volkov": "Волков", "Petrov": "Петров", "Sokolov": "Соколов",
            "Lebedev": "Лебедев", "Kozlov": "Козлов", "Karpov": "Карпов",
            "Orlov": "Орлов", "Zaitsev": "Зайцев", "Morozov": "Морозов",
            "Frolov": "Фролов", "Gusev": "Гусев", "Belov": "Белов"}
STATE_NAMES = ("Russia Belarus Ukraine Poland Lithuania Latvia Estonia Germany France "
               "Hungary Georgia Moldova Kazakhstan Armenia Azerbaijan Finland Sweden "
               "Romania Slovakia Czechia").split()
OUTLETS = ("ТАСС", "РИА Новости", "Interfax", "БелТА", "Kommersant", "Izvestia",
           "Polskie Radio", "Rzeczpospolita", "Ukrinform", "RT")
CHANNELS = ("Belarusian television", "Telegram channel", "press conference",
            "state television interview", "parliamentary speech", "news agency interview")
TOPICS = ("sanctions", "nato-expansion", "security-guarantees", "elections", "protests",
          "border-crisis", "energy", "migration", "history", "integration", "ultimatum",
          "interference", "sovereignty", "military-exercises", "gas-transit")
OFFICE_KINDS = ("president", "foreign-minister", "defence-minister", "prime-minister",
                "spokesperson", "ambassador", "security-council-secretary")


def literal(text: str, *, lang: str | None = None, datatype: str | None = None) -> str:
    """A Turtle string literal with quotes, backslashes and line breaks escaped."""
    body = (text.replace("\\", "\\\\").replace('"', '\\"')
            .replace("\n", "\\n").replace("\r", "\\r"))
    if lang:
        return f'"{body}"@{lang}'
    if datatype:
        return f'"{body}"^^{datatype}'
    return f'"{body}"'


class GraphWriter:
    """Collects Turtle blocks and counts the triples they hold."""

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.triples = 0

    def resource(self, subject: str, pairs: list[tuple[str, list[str]]]) -> None:
        """One subject block: ``pairs`` of (predicate, objects); empty lists skipped."""
        parts = []
        # actors, narratives and categories carry rdfs:label beside skos:prefLabel,
        # with the same text (docs/modelling.md)
        pairs = [*pairs, *(("rdfs:label", objects) for predicate, objects in pairs
                           if predicate == "skos:prefLabel")]
        for predicate, objects in pairs:
            if objects:
                parts.append(f"{predicate} {', '.join(objects)}")
                self.triples += len(objects)
        self.chunks.append(f"{subject} " + " ;\n    ".join(parts) + " .\n\n")

    def text(self) -> str:
        header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
        return header + "\n" + "".join(self.chunks)


class CorpusGenerator:
    """Builds one graph of exactly ``triples`` triples; see :func:`generate_turtle`."""

    def __init__(self, triples: int, seed: int = 0,
                 progress: Progress | None = None) -> None:
        if triples < MIN_TRIPLES:
            raise UsageError(f"--triples must be at least {MIN_TRIPLES}, got {triples}")
        self.target = triples
        self.progress = progress
        self.random = random.Random(seed)
        self.out = GraphWriter()
        self.evidence_count = 0
        scale = triples
        self.n_states = max(6, scale // 20000)
        self.n_persons = max(12, scale // 500)
        self.n_orgs = max(6, scale // 2000)
        self.n_factions = max(2, scale // 50000)
        self.n_blocs = max(1, scale // 200000)
        self.n_narratives = max(8, scale // 5000)
        self.n_events = max(6, scale // 1000)
        self.n_documents = max(4, scale // 50000)
        self.n_sources = max(10, scale // 100)
        self.n_acts = max(4, scale // 250)
        self.n_claims = max(4, scale // 500)

    # --------------------------------------------------------------- helpers

    def pick(self, items, k: int | None = None):
        if k is None:
            return self.random.choice(items)
        return self.random.sample(items, min(k, len(items)))

    def date_value(self) -> str:
        day = date(2014, 1, 1) + timedelta(days=self.random.randrange(11 * 365))
        roll = self.random.random()
        if roll < 0.8:
            return literal(day.isoformat(), datatype="xsd:date")
        if roll < 0.95:
            return literal(day.isoformat()[:7], datatype="xsd:gYearMonth")
        return literal(str(day.year), datatype="xsd:gYear")

    def sentence(self, lang: str, low: int = 6, high: int = 22) -> str:
        words = self.random.choices(WORDS[lang], k=self.random.randint(low, high))
        text = " ".join(words)
        text = text[0].upper() + text[1:]
        roll = self.random.random()
        if roll < 0.05:
            text += ' — so-called "partners"'  # straight quotes need escaping
        elif roll < 0.1:
            text += ", \\ and so on"  # so does a backslash
        return text + self.random.choice((".", ".", ".", "!", "?"))

    def quote_text(self) -> tuple[str, str]:
        """A quotation's text and language tag."""
        lang = self.pick(QUOTE_LANGUAGES)
        opening = self.pick(OPENING_MARKS[lang])
        return opening + self.sentence(lang) + CLOSING_MARKS[opening], lang

    def quote(self) -> str:
        text, lang = self.quote_text()
        return literal(text, lang=lang)

    def evidence(self, name: str, passage: str | None = None,
                 cites: str | None = None) -> str:
        """An evidence record for ``name``, with the document's ``passage`` at its
        locator and the primary source it ``cites`` if given; returns its prefixed IRI."""
        self.evidence_count += 1
        iri = f"evid:{name}-{self.evidence_count}"
        document = self.pick(self.documents)
        pairs: list[tuple[str, list[str]]] = [
            ("a", ["kg:Evidence"]),
            ("rdfs:label", [literal(f"Evidence {self.evidence_count} for {name}",
                                    lang="en")]),
            ("kg:document", [document])]
        style = self.random.random()
        if style < 0.6:
            page = self.random.randint(140, 180)
            note = self.random.randint(1, 90)
            pairs += [("kg:locator", [literal(f"p. {page}, fn. {note}")]),
                      ("kg:page", [str(page)]), ("kg:footnote", [str(note)])]
        elif style < 0.75:
            page = self.random.randint(140, 180)
            pairs += [("kg:locator", [literal(f"pp. {page}–{page + 1}")]),
                      ("kg:page", [str(page)])]
        elif style < 0.9:
            pairs += [("kg:locator",
                       [literal(f'section "One Team", para. {self.random.randint(1, 9)}')])]
        else:
            pairs += [("kg:locator", [literal(f"bullet {self.random.randint(1, 12)}")])]
        if self.random.random() < 0.5:
            pairs.append(("kg:primarySource", [self.pick(self.sources)]))
        if cites is not None and ("kg:primarySource", [cites]) not in pairs:
            pairs.append(("kg:primarySource", [cites]))
        if passage is not None:
            pairs.append(("kg:passage", [passage]))
        self.out.resource(iri, pairs)
        return iri

    # --------------------------------------------------------------- entities

    def schemes(self) -> None:
        self.out.resource("narr:scheme", [("a", ["skos:ConceptScheme"]),
                                          ("rdfs:label", [literal("Narratives", lang="en")])])
        self.out.resource("cat:scheme", [
            ("a", ["skos:ConceptScheme"]),
            ("rdfs:label", [literal("Revisionism categories", lang="en")])])

    def documents_and_sources(self) -> None:
        self.documents = [f"doc:study-{i:03d}" for i in range(self.n_documents)]
        self.sources = [f"src:report-{i:05d}" for i in range(self.n_sources)]
        for i, iri in enumerate(self.documents):
            self.out.resource(iri, [
                ("a", ["kg:Document"]),
                ("rdfs:label", [literal(f"Study {i + 1} of Russian and Belarusian "
                                        "revisionism", lang="en")]),
                # after every generated date, as a document postdates what it reports
                ("dcterms:date", [literal("2025", datatype="xsd:gYear")]),
                ("dcterms:bibliographicCitation",
                 [literal(f"Journal of Eastern Studies {10 + i % 5}({1 + i % 4}), "
                          f"{2019 + i % 6}")]),
                ("kg:corpusFile", [literal(f"study-{i:03d}.txt")]),
                # the heading the generated section locators cite
                ("kg:sectionHeading", [literal("One Team")])])

    def sources_block(self) -> None:
        for i, iri in enumerate(self.sources):
            outlet = self.pick(OUTLETS)
            lang = self.pick(("ru", "ru", "pl", "en"))
            when = date(2014, 1, 1) + timedelta(days=self.random.randrange(11 * 365))
            title = self.sentence(lang, 5, 12)
            self.out.resource(iri, [
                ("a", ["kg:PrimarySource"]),
                ("rdfs:label", [literal(f"{outlet}, {when.isoformat()}: report {i}",
                                        lang="en")]),
                ("dcterms:title", [literal(title, lang=lang)]),
                ("kg:outlet", [literal(outlet)]),
                ("dcterms:date", [literal(when.isoformat(), datatype="xsd:date")]),
                ("schema:url", [literal(f"https://news.example.org/{i}/{when:%Y%m%d}",
                                        datatype="xsd:anyURI")]),
                ("dcterms:bibliographicCitation",
                 [literal(f"{title}, “{outlet}” [online], {when:%d %m %Y}.")])])

    def actors(self) -> None:
        self.states = [f"actor:{name.lower()}" for name in STATE_NAMES[: self.n_states]]
        self.states += [f"actor:state-{i:03d}" for i in range(len(self.states), self.n_states)]
        for i, iri in enumerate(self.states):
            name = STATE_NAMES[i] if i < len(STATE_NAMES) else f"State {i}"
            self.out.resource(iri, [("a", ["kg:State"]),
                                    ("skos:prefLabel", [literal(name, lang="en")])])
        self.orgs = []
        kinds = ("kg:Agency", "kg:MediaOutlet", "kg:InternationalOrganisation",
                 "kg:Organisation")
        for i in range(self.n_orgs):
            iri = f"actor:organisation-{i:04d}"
            self.orgs.append(iri)
            kind = kinds[i % len(kinds)]
            pairs = [("a", [kind]),
                     ("skos:prefLabel", [literal(f"Organisation {i}", lang="en")])]
            if kind != "kg:InternationalOrganisation":
                pairs.append(("kg:affiliatedState", [self.pick(self.states)]))
            self.out.resource(iri, pairs)
        self.factions = [f"actor:faction-{i:02d}" for i in range(self.n_factions)]
        for i, iri in enumerate(self.factions):
            self.out.resource(iri, [("a", ["kg:Faction"]), ("skos:prefLabel", [
                literal(self.pick(("Siloviki", "Kremlin liberals", "Technocrats"))
                        + f" {i}", lang="en")])])
        self.blocs = [f"actor:bloc-{i:02d}" for i in range(self.n_blocs)]
        for i, iri in enumerate(self.blocs):
            self.out.resource(iri, [("a", ["kg:Bloc"]), ("skos:prefLabel", [
                literal(f"The collective West {i}", lang="en")]), ("skos:altLabel", [
                literal(f"the West {i}", lang="en"), literal(f"Запад {i}", lang="ru")])])
        self.offices = []
        for i in range(max(4, self.n_persons // 3)):
            state = self.states[i % len(self.states)]
            iri = f"office:{state[6:]}-{OFFICE_KINDS[i % len(OFFICE_KINDS)]}-{i:04d}"
            self.offices.append(iri)
            self.out.resource(iri, [
                ("a", ["kg:Office"]),
                ("rdfs:label", [literal(f"{OFFICE_KINDS[i % len(OFFICE_KINDS)]} "
                                        f"of {state[6:]} ({i})", lang="en")]),
                ("org:postIn", [state])])
        self.persons = []
        self.held: dict[str, str] = {}  # person → the office they hold
        for i in range(self.n_persons):
            given, family = self.pick(GIVEN), self.pick(FAMILY)
            iri = f"actor:person-{i:05d}"
            self.persons.append(iri)
            alt = [literal(f"{given[0]}. {family}", lang="en"), literal(family, lang="en")]
            if family in CYRILLIC:
                alt.append(literal(f"{CYRILLIC.get(given, given)} {CYRILLIC[family]}",
                                   lang="ru"))
            else:
                alt.append(literal(f"{given} {family}", lang="pl"))
            pairs = [("a", ["kg:Person"]),
                     ("skos:prefLabel", [literal(f"{given} {family} ({i})", lang="en")]),
                     ("skos:altLabel", alt),
                     ("kg:affiliatedState", [self.pick(self.states)])]
            if self.random.random() < 0.4:
                self.held[iri] = self.pick(self.offices)
                self.out.resource(f"{self.held[iri]}--person-{i:05d}", [
                    ("a", ["org:Membership"]),
                    ("rdfs:label", [literal(f"Person {i} in office", lang="en")]),
                    ("org:member", [iri]), ("org:role", [self.held[iri]]),
                    ("kg:evidence", [f"evid:office-person-{i:05d}"])])
                # fixed, not random, so that the rest of the graph stays as it was
                self.out.resource(f"evid:office-person-{i:05d}", [
                    ("a", ["kg:Evidence"]),
                    ("rdfs:label", [literal(f"Evidence for person {i} in office",
                                            lang="en")]),
                    ("kg:document", [self.documents[0]]),
                    ("kg:locator", [literal("para. 1")])])
            if self.random.random() < 0.3:
                pairs.append(("org:memberOf", [self.pick(self.factions + self.orgs)]))
            if self.random.random() < 0.3:
                pairs.append(("kg:evidence", [self.evidence(f"actor-person-{i:05d}")]))
            self.out.resource(iri, pairs)
        self.all_actors = self.states + self.orgs + self.factions + self.blocs + self.persons

    def categories_and_narratives(self) -> None:
        self.categories = ["cat:offensive", "cat:defensive", "cat:isolationist"]
        for iri in self.categories:
            name = iri[4:]
            self.out.resource(iri, [
                ("a", ["kg:RevisionismCategory", "skos:Concept"]),
                ("skos:prefLabel", [literal(f"{name} revisionism", lang="en")]),
                ("skos:definition", [literal(f"Revisionism of the {name} kind.", lang="en")]),
                ("skos:inScheme", ["cat:scheme"]), ("skos:topConceptOf", ["cat:scheme"])])
        self.narratives = []
        for i in range(self.n_narratives):
            iri = f"narr:narrative-{i:04d}"
            pairs = [("a", ["kg:Narrative", "skos:Concept"]),
                     ("skos:prefLabel", [literal(f"Narrative {i}: "
                                                 + self.sentence("en", 2, 4), lang="en")]),
                     ("skos:definition", [literal(self.sentence("en", 8, 16), lang="en")]),
                     ("skos:inScheme", ["narr:scheme"])]
            if i < 8 or self.random.random() < 0.3:
                pairs.append(("skos:topConceptOf", ["narr:scheme"]))
            else:
                pairs.append(("skos:broader", [self.pick(self.narratives)]))
            self.narratives.append(iri)
            self.out.resource(iri, pairs)

    def events(self) -> None:
        self.event_iris = []
        for i in range(self.n_events):
            iri = f"event:event-{i:05d}"
            pairs = [("a", ["kg:Event"]),
                     ("rdfs:label", [literal(f"Event {i}: " + self.sentence("en", 3, 6),
                                             lang="en")]),
                     ("kg:date", [self.date_value()]),
                     ("kg:involves", self.pick(self.all_actors, self.random.randint(1, 3))),
                     ("kg:evidence", [self.evidence(f"event-{i:05d}")])]
            if self.random.random() < 0.2:
                pairs.append(("skos:altLabel", [literal(f"operation {i}", lang="en")]))
            if self.event_iris and self.random.random() < 0.3:
                pairs.append(("kg:subEventOf", [self.pick(self.event_iris)]))
            self.event_iris.append(iri)
            self.out.resource(iri, pairs)

    def acts_and_judgements(self) -> None:
        self.acts = []
        analysts = self.persons[: max(3, len(self.persons) // 20)]
        for i in range(self.n_acts):
            performer = self.pick(self.states + self.orgs)
            iri = f"act:{performer[6:]}-act-{i:05d}"
            self.acts.append(iri)
            self.out.resource(iri, [
                ("a", ["kg:Act"]),
                ("rdfs:label", [literal(f"Act {i}: " + self.sentence("en", 3, 8),
                                        lang="en")]),
                ("kg:performer", [performer]),
                ("kg:date", [self.date_value()]),
                ("kg:target", self.pick(self.all_actors, self.random.randint(0, 2))),
                ("kg:partOfEvent", [self.pick(self.event_iris)]
                 if self.random.random() < 0.5 else []),
                ("kg:quote", [self.quote()]),
                ("kg:evidence", [self.evidence(f"act-{i:05d}")])])
            for j, category in enumerate(self.pick(self.categories,
                                                   1 + (self.random.random() < 0.3))):
                judge = self.pick(analysts)
                self.out.resource(f"judg:act-{i:05d}--{category[4:]}--{judge[6:]}", [
                    ("a", ["kg:CategoryJudgement"]),
                    ("rdfs:label", [literal(f"{judge[6:]} judges act {i} {category[4:]} "
                                            "revisionism", lang="en")]),
                    ("kg:judgedAct", [iri]), ("kg:category", [category]),
                    ("kg:judgedBy", [judge]), ("kg:quote", [self.quote()]),
                    # the judges are not the documents' authors: the evidence cites
                    # their work, as for a judgement a document reports
                    ("kg:evidence", [self.evidence(f"judgement-{i:05d}-{j}", cites=self.sources[
                        i % len(self.sources)])])])

    def claims(self) -> None:
        previous: list[str] = []
        for i in range(self.n_claims):
            iri = f"claim:claim-{i:05d}"
            pairs = [("a", ["kg:Claim"]),
                     ("rdfs:label", [literal(f"Claim {i}: " + self.sentence("en", 4, 9),
                                             lang="en")]),
                     ("kg:claimant", [self.pick(self.persons)]
                      if self.random.random() < 0.9 else []),
                     ("kg:quote", [self.quote()]),
                     ("kg:concerns", [self.pick(self.all_actors + self.event_iris
                                                + self.acts + self.categories)]),
                     ("kg:evidence", [self.evidence(f"claim-{i:05d}")])]
            if previous and self.random.random() < 0.4:
                key = "kg:supports" if self.random.random() < 0.5 else "kg:contradicts"
                pairs.append((key, [self.pick(previous)]))
            previous.append(iri)
            self.out.resource(iri, pairs)

    def statement(self, i: int) -> None:
        speaker = self.pick(self.persons)
        day = date(2014, 1, 1) + timedelta(days=self.random.randrange(11 * 365))
        topic = self.pick(TOPICS)
        iri = f"stmt:{speaker[6:]}-{day.isoformat()}-{topic}-{i:06d}"
        name = f"evid:{speaker[6:]}-{day.isoformat()}-{topic}-{i:06d}"
        texts = [self.quote_text() for _ in range(1 + (self.random.random() < 0.25))]
        quotes = [literal(text, lang=lang) for text, lang in texts]
        # the document's sentence around the speaker's words, in quotation marks
        passage = literal("The document reports: " + " and ".join(
            f"“{text}”" for text, _ in texts) + ".", lang="en")
        self.out.resource(iri, [
            ("a", ["kg:Statement"]),
            ("rdfs:label", [literal(f"{speaker[6:]} on {topic.replace('-', ' ')} "
                                    f"({day.isoformat()}, {i})", lang="en")]),
            ("kg:speaker", [speaker]),
            ("kg:speakerOffice", [self.held[speaker]]
             if speaker in self.held and self.random.random() < 0.7 else []),
            ("kg:date", [literal(day.isoformat(), datatype="xsd:date")]),
            ("kg:quote", quotes),
            ("kg:reportedAs", ["kg:DirectQuote" if self.random.random() < 0.7
                               else "kg:Paraphrase"]),
            ("kg:voices", self.pick(self.narratives, self.random.choice((0, 1, 1, 2)))),
            ("kg:refersTo", [self.pick(self.event_iris)]
             if self.random.random() < 0.4 else []),
            ("kg:target", self.pick(self.all_actors, self.random.choice((0, 1, 1, 2)))),
            ("kg:addressee", [self.pick(self.all_actors)]
             if self.random.random() < 0.2 else []),
            ("kg:channel", [literal(self.pick(CHANNELS), lang="en")]
             if self.random.random() < 0.3 else []),
            ("kg:evidence", [self.evidence(name[5:], passage)])])
        self.statement_iris.append(iri)

    def generate(self) -> str:
        self.schemes()
        self.documents_and_sources()
        self.sources_block()
        self.actors()
        self.categories_and_narratives()
        self.events()
        self.acts_and_judgements()
        self.claims()
        self.statement_iris: list[str] = []
        # A statement and its evidence hold at most 23 triples: stop short of the
        # target and make up the rest with editorial notes, one triple each.
        i = 0
        tick = report_every(self.progress, self.target)
        while self.out.triples < self.target - 40 or not self.statement_iris:
            self.statement(i)
            i += 1
            tick(self.out.triples)
        if self.out.triples > self.target:
            raise UsageError(f"--triples {self.target} is too small for the generator's "
                             f"fixed part ({self.out.triples} triples); use at least "
                             f"{self.out.triples}")
        note = 0
        while self.out.triples < self.target:
            self.out.resource(self.statement_iris[note % len(self.statement_iris)], [
                ("skos:editorialNote", [literal(f"Coder's note {note}: date inferred "
                                                "from the document.", lang="en")])])
            note += 1
        tick(self.out.triples)
        return self.out.text()


def generate_turtle(triples: int, seed: int = 0,
                    progress: Progress | None = None) -> bytes:
    """A graph of exactly ``triples`` triples in kgraph's vocabulary, as Turtle.

    Parameters
    ----------
    triples
        How many triples to write (at least :data:`MIN_TRIPLES`).
    seed
        The random seed; the same ``triples`` and ``seed`` give the same bytes.
    progress
        ``progress(done, total)`` is told the triples written (see
        :mod:`kgraph.progress`).

    Examples
    --------
    >>> data = generate_turtle(2000)
    >>> data == generate_turtle(2000)
    True
    >>> data.startswith(b"@prefix act:")
    True
    """
    return CorpusGenerator(triples, seed, progress).generate().encode("utf-8")
