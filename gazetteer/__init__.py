"""An offline world gazetteer built from GeoNames data shipped in PyPI packages.

    >>> from gazetteer import Gazetteer
    >>> Gazetteer.default().lookup("Kharkov")[0].name
    'Kharkiv'

`gazetteer.Geocoder` speaks geopy's interface, so code written for Nominatim runs on it offline.
"""
from gazetteer.core import Gazetteer, build_cache, cache_path
from gazetteer.normalize import fold, skeleton
from gazetteer.place import Place

__all__ = ["Gazetteer", "Place", "Geocoder", "build_cache", "cache_path", "fold", "skeleton"]


def __getattr__(name: str):
    if name == "Geocoder":  # geopy is imported only by those who use the geocoder
        from gazetteer.geocoder import Geocoder

        return Geocoder
    raise AttributeError(name)
