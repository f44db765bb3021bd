"""Hotspot maps: ``grid`` (counts per CBS cell in SQL), ``gistar`` (Getis-Ord Gi*),
``maps`` (one viewer's map with disclosure control), ``export`` (GeoJSON/CSV),
``figure`` (the static map drawn in the PDF reports), ``basemap`` (its PDOK tiles),
``classes`` (the one count-class scheme), ``table`` (Gi* per gemeente, hotspot table)."""
