"""SHACL validation of document graphs (``kg validate``)."""
