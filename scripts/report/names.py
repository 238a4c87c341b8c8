"""Plain-language names of the metrics (docs/metrics.md and sim/engine/policy_metrics.cpp define
them). A metric without an entry is shown by its file name, underscores as spaces."""

# name: (short title for a figure panel, plain sentence-style name for tables and text)
NAMES = {
    "partnerships_funded": ("Partnerships funded", "partnerships funded"),
    "continuations": ("Continuations", "partnerships given continuation funding"),
    "proposals_submitted": ("Proposals submitted", "proposals submitted"),
    "success_rate": ("Success rate", "success rate (funded / submitted proposals)"),
    "smes_supported": ("SMEs supported", "SMEs supported directly (unique)"),
    "smes_represented": ("SMEs represented", "member SMEs of the funded cluster organisations"),
    "cluster_orgs_in_partnerships": ("Cluster organisations funded", "cluster organisations in funded partnerships"),
    "budget_committed_eur": ("Budget committed", "budget committed"),
    "budget_spent_eur": ("Budget spent", "budget spent"),
    "budget_spent_on_smes_eur": ("Spent on SMEs", "budget spent on SME support"),
    "cost_per_sme_eur": ("Cost per SME supported", "cost per SME supported"),
    "funded_interregional_ties": ("Funded interregional ties", "new interregional ties formed by funded activity (gross)"),
    "interregional_ties_per_meur": ("Funded interregional ties per MEUR", "new interregional ties per million EUR spent (gross)"),
    "less_developed_share_in_partnerships": ("Less developed regions' share", "share of funded cluster organisations from less developed regions"),
    "funding_gini_regions": ("Funding inequality (Gini)", "Gini coefficient of funding across regions"),
    "innovations": ("Innovations", "innovations attributable to funded activity"),
    "jobs_created": ("Jobs", "jobs attributable to funded innovations"),
    "exchange_visits": ("Exchange visits", "exchange visits paid"),
    "partnerships_active": ("Partnerships active", "partnerships running"),
    "ties": ("Collaboration ties", "collaboration ties"),
    "interregional_ties": ("Interregional ties", "ties between organisations of different regions"),
    "interregional_tie_share": ("Interregional share", "share of ties between regions"),
    "cross_border_tie_share": ("Cross-border share", "share of ties across borders"),
    "cross_sectoral_tie_share": ("Cross-sector share", "share of ties across thematic areas"),
    "repeated_tie_share": ("Repeated ties", "share of repeated ties"),
    "organisations_active": ("Organisations with ties", "organisations with at least one tie"),
    "giant_component_share": ("Connected core", "share of organisations in the connected core"),
    "mean_degree": ("Partners per organisation", "partners per organisation"),
    "transitivity": ("Clustering", "clustering (partners of partners are partners)"),
    "mean_local_clustering": ("Local clustering", "mean local clustering"),
    "mean_path_length": ("Path length", "mean path length (hops)"),
    "effective_diameter": ("Effective diameter", "effective diameter (hops)"),
    "components": ("Components", "connected components"),
    "modularity": ("Modularity", "modularity of the community partition"),
    "communities": ("Communities", "communities"),
    "degree_gini": ("Degree inequality", "Gini coefficient of partners per organisation"),
    "degree_assortativity": ("Assortativity", "degree assortativity"),
    "max_degree": ("Largest degree", "largest number of partners"),
    "max_kcore": ("Largest k-core", "largest k-core"),
    "convergence_gap": ("Convergence gap", "convergence gap between more and less developed regions"),
    "region_strength_mean_less_developed": ("Less developed: ties", "interregional ties per less developed region"),
    "region_strength_mean_transition": ("Transition: ties", "interregional ties per transition region"),
    "region_strength_mean_more_developed": ("More developed: ties", "interregional ties per more developed region"),
    "region_degree_mean_less_developed": ("Less developed: partners", "partner regions per less developed region"),
    "region_degree_mean_transition": ("Transition: partners", "partner regions per transition region"),
    "region_degree_mean_more_developed": ("More developed: partners", "partner regions per more developed region"),
}


def short(name):
    entry = NAMES.get(name)
    return entry[0] if entry else name.replace("_", " ")


def plain(name):
    entry = NAMES.get(name)
    return entry[1] if entry else name.replace("_", " ")
