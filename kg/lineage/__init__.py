"""Project lineage: projects across years (chains, merges, splits) and districts (families).

``graph.link_projects`` runs the method on ``projects.project_records``; ``rdf`` publishes
it in ``{base}graph/lineage``; ``command`` is ``kg link``; ``html.section`` is the
project pages' lineage section. See the README section on project lineage.
"""
