"""Store -> HTTP: the SPARQL endpoint, linked-data pages, descriptions and dumps."""
