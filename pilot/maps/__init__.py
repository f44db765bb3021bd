"""Map rendering (folium) on top of the pure hotspot service."""
