"""Disclosure control: the only place that decides who sees exact figures, and how.

``lattice`` (linked tables as one array of sums), ``hypercube`` (secondary suppression),
``audit`` (the attacker's linear program), ``publication`` (every outsider figure, counted,
suppressed and protected together), ``labels`` (how a protected figure is written).
"""
