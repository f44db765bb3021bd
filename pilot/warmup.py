"""What a serving process imports before its first request.

Creating the app imports no heavy library (``tests/test_startup.py``): every CLI command
and test process creates it. A gunicorn worker, though, will need the map and table
libraries on its first map or list page; importing them there made the first such page of
each worker take seconds (the load benchmark's p95). ``make serve`` runs ``warm_up`` in
every worker after it boots and before it accepts requests (``gunicorn_conf``); it also
builds the API's validators, which importing the schemas defers (``pilot.api.schemas``).
PDF and dataset libraries stay lazy: that work goes to the job worker.
"""

import importlib

SERVING_MODULES = (
    "numpy",
    "pandas",
    "shapely",
    "pyproj",
    "scipy.sparse",
    "folium",
    "folium.plugins",
    "pilot.hotspots.render",
    "pilot.services.hotspots.gistar",
    "pilot.services.hotspots.maps",
    "pilot.services.derived",
    "phonenumbers",  # screening free text (pilot.services.pii): every form with a remark
)


def warm_up() -> list[str]:
    """Import what serving pages needs and build the API's validators; returns the module
    names."""
    for name in SERVING_MODULES:
        importlib.import_module(name)
    from pilot.api.schemas import build_validators

    build_validators()
    return list(SERVING_MODULES)
