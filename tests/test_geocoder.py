"""The geopy-compatible Geocoder, called exactly as geopy code calls Nominatim, with results of the
shapes geopy's documentation gives (Location with .address, .latitude, .longitude, .point, .raw;
None when nothing is found; a list when exactly_one=False)."""
from __future__ import annotations

import pytest
from geopy.location import Location
from geopy.point import Point

from gazetteer import Geocoder


@pytest.fixture(scope="module")
def geolocator(gaz):
    return Geocoder(gaz, user_agent="geo-events-tests")


def _is_location(loc) -> None:
    assert isinstance(loc, Location)
    assert isinstance(loc.address, str) and loc.address
    assert isinstance(loc.point, Point) and loc.latitude == loc.point.latitude
    raw = loc.raw
    for key in ("place_id", "lat", "lon", "display_name", "class", "type", "importance", "boundingbox"):
        assert key in raw, key
    assert isinstance(raw["lat"], str) and float(raw["lat"]) == pytest.approx(loc.latitude)
    assert raw["display_name"] == loc.address and len(raw["boundingbox"]) == 4
    for key in ("geonameid", "feature", "feature_code", "country_code", "admin1_code", "population", "admin"):
        assert key in raw, key


def test_free_form_query_as_in_geopy_docs(geolocator):
    location = geolocator.geocode("Pokrovsk, Donetsk Oblast")
    _is_location(location)
    assert location.address.startswith("Pokrovsk, ") and location.address.endswith("Donetsk Oblast, Ukraine")
    assert (location.latitude, location.longitude) == pytest.approx((48.28, 37.18), abs=0.05)
    assert [a["name"] for a in location.raw["admin"]][-2:] == ["Donetsk Oblast", "Ukraine"]


def test_structured_query_and_addressdetails(geolocator):
    loc = geolocator.geocode({"city": "Rafah", "country": "Palestine"}, addressdetails=True)
    _is_location(loc)
    assert loc.raw["address"] == {"city": "Rafah", "state": "Gaza Strip", "country": "Palestinian Territories",
                                  "country_code": "ps"}
    loc = geolocator.geocode({"city": "Pokrovsk", "state": "Donetsk Oblast"})
    assert loc.raw["country_code"] == "ua"
    assert geolocator.geocode({"city": "Pokrovsk", "country": "RU"}).raw["country_code"] == "ru"
    assert geolocator.geocode({"state": "Kharkiv Oblast"}).raw["feature"] == "admin1"
    assert geolocator.geocode({"county": "Pokrovsk Raion", "state": "Donetsk Oblast"}).raw["feature"] == "admin2"
    assert geolocator.geocode({"street": "1 Khreshchatyk", "city": "Kyiv"}) is None  # no streets offline
    with pytest.raises(ValueError):
        geolocator.geocode({"town": "Kyiv"})


def test_several_country_codes_all_count(geolocator):
    both = geolocator.geocode("Pokrovsk", exactly_one=False, country_codes=["ru", "ua"], limit=10)
    assert isinstance(both, list) and {loc.raw["country_code"] for loc in both} == {"ru", "ua"}
    assert all(loc.raw["country_code"] == "ru" for loc in geolocator.geocode(
        "Pokrovsk", exactly_one=False, country_codes="ru", limit=10))
    assert geolocator.geocode("Kharkiv", country_codes=["fr", "de"]) is None


@pytest.mark.parametrize("featuretype, feature", [("state", "admin1"), ("city", "locality"),
                                                   ("country", "country"), ("settlement", "locality")])
def test_featuretype_filters(geolocator, featuretype, feature):
    query = "Ukraine" if featuretype == "country" else "Kharkiv"
    loc = geolocator.geocode(query, featuretype=featuretype)
    _is_location(loc)
    assert loc.raw["feature"] == feature


def test_limit_viewbox_and_bounded(geolocator):
    many = geolocator.geocode("Alexandria", exactly_one=False, limit=3)
    assert isinstance(many, list) and 1 <= len(many) <= 3
    egypt_box = [(30.0, 25.0), (32.0, 35.0)]
    inside = geolocator.geocode("Alexandria", exactly_one=False, viewbox=egypt_box, bounded=True)
    assert inside and all(l.raw["country_code"] == "eg" for l in inside)
    preferred = geolocator.geocode("Alexandria", viewbox=egypt_box)
    assert preferred.raw["country_code"] == "eg"


def test_reverse_with_zoom_levels(geolocator):
    loc = geolocator.reverse((48.46, 35.04))
    _is_location(loc)
    assert loc.address.startswith("Dnipro") and loc.raw["address"]["city"] == "Dnipro"
    assert loc.raw["address"]["state"] == "Dnipropetrovsk Oblast"
    assert geolocator.reverse("48.46, 35.04", zoom=5).address == "Dnipropetrovsk Oblast, Ukraine"
    assert geolocator.reverse(Point(48.46, 35.04), zoom=3).address == "Ukraine"
    assert isinstance(geolocator.reverse((48.46, 35.04), exactly_one=False), list)
    assert geolocator.reverse((43.4, 34.0)) is None  # open sea


def test_unknown_place_is_none(geolocator):
    assert geolocator.geocode("Qxzzvltrop Qwpl") is None
    assert geolocator.geocode("Qxzzvltrop Qwpl", exactly_one=False) is None
