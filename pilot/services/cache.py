"""Values derived from one source object (a publication, a map), reused while it lives.

The outsider publication is rebuilt when the data version changes; everything derived from
it (the map of a quarter, its rendered page parts, a dashboard's figures) is valid exactly
as long as that publication object is current. ``DerivedCache`` keys on the source's
identity, holding it, so a new publication starts with an empty cache and an identity
cannot be reused.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class DerivedCache:
    def __init__(self, sources: int = 4, per_source: int = 64) -> None:
        self._sources: OrderedDict[int, tuple[object, OrderedDict]] = OrderedDict()
        self._max_sources, self._per_source = sources, per_source
        self._lock = threading.Lock()

    def get(self, source: object, key: Hashable, build: Callable[[], Any]) -> Any:
        """The value for ``key`` derived from ``source``, built once."""
        with self._lock:
            entry = self._sources.get(id(source))
            if entry is not None and entry[0] is source and key in entry[1]:
                entry[1].move_to_end(key)
                return entry[1][key]
        value = build()
        with self._lock:
            entry = self._sources.get(id(source))
            if entry is None or entry[0] is not source:
                entry = (source, OrderedDict())
                self._sources[id(source)] = entry
                while len(self._sources) > self._max_sources:
                    self._sources.popitem(last=False)
            entry[1][key] = value
            while len(entry[1]) > self._per_source:
                entry[1].popitem(last=False)
        return value
