"""Tables to RDF: IRIs, ontology, code lists and the mapping (``kg map``)."""
