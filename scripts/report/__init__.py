"""Helpers of scripts/report.py: reading result files (data), interval statistics and effect-size
verdicts (stats), number and colour conventions (style), NUTS-2 maps (geo), the figures (figures)
and the page's sections (sections). Rendered through templates/index.html.j2 with jinja2.

Nothing here talks to the network: the boundaries ship in scenarios/data/geo/, the page links only
files written beside it.
"""
