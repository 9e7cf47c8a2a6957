"""Writers for the export formats, one module per format (as in ``networkx.readwrite``).

- :mod:`.rdf`: Turtle, N-Triples, RDF/XML and TriG (named graphs per source file);
- :mod:`.jsonld`: JSON-LD compacted with kgraph's ``@context``;
- :mod:`.owl`: the ``owl-dl`` profile, the graph as OWL 2 DL a reasoner accepts;
- :mod:`.graphml` and :mod:`.gexf`: a projected view for Gephi, built from the one
  table :mod:`.network` makes (ids, typed attributes, positions, sizes, colours).

Each writer returns bytes and is deterministic: the same graph gives the same bytes.
"""
