"""How many: killed, injured, missing, affected, and the quantity of weapons or prisoners.

Numbers come from geo.numbers (digits, words, "dozens"); each is assigned by the words around it in
the trigger's clause: the verb before it ("killing three", "injuring 12"), the words after it ("two
people were killed", "12 injured", "40 drones were shot down"), and the event's type (an exchange
counts prisoners, an outage people or homes without power, an interception what was downed).
- "64 of 85 drones" shot down: 64 is the interception's quantity, 85 what was launched (the strike's);
- "most of the 20 rockets", "a fifth of them": no count;
- "Two people, including a child, were killed": the aside does not part number and verb;
- "no one was hurt", "no casualties": zero; "killing a 64-year-old man": one;
- a later sentence that reports no event of its own but counts victims ("At least 30 people were
  wounded.") or a strike's weapons ("some 30 rockets landed in fields") completes the latest
  incident of the two sentences before it (`follow_up`).
A sentence's figures for one incident may be told twice ("at least 20 ... the toll rose to 21"):
merging keeps the highest (see geo.events.merge).
"""
from __future__ import annotations

import re

from geo.events.lexicon import patterns
from geo.events.triggers import Trigger
from geo.models import Event
from geo.numbers import find_counts

CASUALTY_TYPES = ("strike", "clash", "other")
COUNT_FIELDS = ("fatalities", "injured", "missing", "affected", "quantity")
_ASIDE = re.compile(r"^(\W*\w+),\s*(?:including|among them|most of them|many of them|all of them)\b[^,;]*,", re.I)
_PART_OF = re.compile(r"\s+of\s+(?:the\s+|them\s+)?", re.I)
_SHARE = re.compile(r"\b(?:most|some|many|several|half|part|a few|dozens|all|none|one|two|three|a third|a quarter|"
                    r"a fifth)\s+of\s+(?:the\s+|these\s+|those\s+)?$", re.I)
_DOWNED_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:were|was|had been|have been|being)\s+(?:\w+\s+)?"
                           r"(?:shot|intercepted|downed|destroyed|jammed|suppressed|neutrali[sz]ed|repelled)", re.I)
_ABOUT = r"(?:at least\s+|another\s+|some\s+|about\s+|nearly\s+|more than\s+|over\s+)?$"  # before a number
_KILL_BEFORE = re.compile(r"\b(?:killing|killed|kills|claiming the lives of)\s+" + _ABOUT, re.I)
_HURT_BEFORE = re.compile(r"\b(?:injuring|injured|wounding|wounded|hurting|hurt)\s+" + _ABOUT, re.I)
_RISE = (r"\s+(?:has\s+|had\s+|have\s+)?(?:now\s+)?(?:rose|risen|rises|climbed|reached|stood|stands|increased|grew|"
         r"grown|jumped|gone up|went up)\s+(?:to\s+)?(?:at least\s+|more than\s+|over\s+)?$")
_TOLL_BEFORE = re.compile(r"\b(?:death toll|toll|number of (?:the )?(?:dead|killed|deaths|fatalities|victims))"
                          + _RISE, re.I)
_HURT_TOLL_BEFORE = re.compile(r"\bnumber of (?:the )?(?:injured|wounded|hurt|injuries)(?:\s+people)?" + _RISE, re.I)
_PEOPLE_AFTER = re.compile(r"\W*(?:\w+\W+){0,2}?(?:people|homes|households|customers|consumers|residents|"
                           r"subscribers|families|buildings|apartments|settlements|towns|villages)", re.I)


def assign(text: str, clause: tuple[int, int], trig: Trigger, ev: Event, sentence_end: int | None = None) -> None:
    """Set ev's counts from the numbers of `clause` (article offsets); zero and one-victim phrases are read
    to the end of the sentence ("...; there were no casualties")."""
    if ev.type == "talks":
        return  # "agreed to return the bodies of 6,000 soldiers": not this meeting's victims
    c0, c1 = clause
    rx = patterns()["counts"]
    counts = find_counts(text[c0:c1])
    skip: set[int] = set()
    for i, (c, d) in enumerate(zip(counts, counts[1:])):
        if _PART_OF.fullmatch(text[c0 + c.end:c0 + d.start]):
            if ev.type == "interception":  # "64 of 85 drones" downed: the part
                if ev.quantity is None:
                    ev.quantity = c.value
                skip.add(i + 1)
            else:
                skip.add(i)
    totals = [(m.start(), m.end()) for m in _TOTAL_SPAN.finditer(text, c0, c1)]
    for i, c in enumerate(counts):
        if _SHARE.search(text[max(c0, c0 + c.start - 20):c0 + c.start]) or running_total(text, c0 + c.start, c0 + c.end) \
                or any(a <= c0 + c.start < b for a, b in totals):
            skip.add(i)
        if ev.type == "interception" and i not in skip and _DOWNED_AFTER.match(text[c0 + c.end:c1]):
            ev.quantity = c.value  # "145 drones launched, of which 118 drones were shot down"
            skip.add(i)
    for i, c in enumerate(counts):
        if i in skip:
            continue
        kind = _kind(text, c0, c1, c, trig, ev, rx)
        if kind and getattr(ev, kind) is None:
            setattr(ev, kind, c.value)
    if ev.type in CASUALTY_TYPES and sentence_end:
        _tolls(text, c1, sentence_end, ev)
    if ev.type in CASUALTY_TYPES:
        _zero_and_one(text[trig.start:max(c1, trig.end, sentence_end or 0)], ev,
                      text[c0:max(c1, trig.end, sentence_end or 0)])


_TOTAL_AFTER = re.compile(r"\W*(?:[\w’'-]+\W+){0,6}?(?:has|have|had)\s+(?:now\s+|so far\s+|already\s+)?(?:been\s+)?"
                          r"(?:killed|died|wounded|injured|displaced|lost their lives)\b[^.;]{0,80}?\bsince\b", re.I)
WAR_NOUNS = ("war", "conflict", "insurgency", "violence", "fighting", "campaign", "uprising", "crisis", "offensive",
             "feud", "bloodshed", "unrest")  # what a running total sums up ("a war that has killed ...")
_WAR_TOLL = (rf"\b(?:{'|'.join(WAR_NOUNS)})\b[^.;]{{0,80}}?\b(?:that|which)\s+(?:has|have|had)\s+(?:\w+\s+){{0,2}}?"
             r"(?:killed|claimed|left|displaced)\s+(?:[\w-]+\s+){0,3}")
_TOTAL_BEFORE = re.compile(_WAR_TOLL + "$", re.I)  # the number right after "a war that has killed more than"
_TOTAL_SPAN = re.compile(_WAR_TOLL + r"(?:more than |over |at least |some |about |nearly )?[\d,.]+", re.I)  # and its own


def running_total(text: str, start: int, end: int) -> bool:
    """The number at text[start:end] sums up a war, not an incident: "300 have been killed since the
    ceasefire", "a conflict that has killed more than 2,000 people"."""
    return bool(_TOTAL_AFTER.match(text, end, min(len(text), end + 200))
                or _TOTAL_BEFORE.search(text, max(0, start - 160), start))


def _tolls(text: str, a: int, b: int, ev: Event) -> None:
    """"..., and the number of injured has increased to 23": a toll later in the sentence, outside the
    trigger's clause, is this incident's latest figure."""
    for c in find_counts(text[a:b]):
        kind = _toll_kind(text[max(a, a + c.start - 60):a + c.start])
        if kind and (getattr(ev, kind) is None or c.value > getattr(ev, kind)):
            setattr(ev, kind, c.value)


def _toll_kind(before: str) -> str | None:
    """"the death toll rose to", "the number of injured people has increased to": the count's kind."""
    return "fatalities" if _TOLL_BEFORE.search(before) else "injured" if _HURT_TOLL_BEFORE.search(before) else None


def is_share(before: str) -> bool:
    """"most of the 20": the words before a number say it is a whole that a part was taken of."""
    return bool(_SHARE.search(before))


def _kind(text: str, c0: int, c1: int, c, trig: Trigger, ev: Event, rx) -> str | None:
    after = text[c0 + c.end:min(c1, c0 + c.end + 120)]
    after = _ASIDE.sub(r"\1", after)[:60]
    before = text[max(c0, c0 + c.start - 40):c0 + c.start]
    kind = None
    if ev.type == "outage" and _PEOPLE_AFTER.match(after):
        return "affected"
    if _KILL_BEFORE.search(before) and not rx["affected"].match(after):
        kind = "fatalities"
    elif _HURT_BEFORE.search(before):
        kind = "injured"
    else:
        kind = _toll_kind(text[max(c0, c0 + c.start - 60):c0 + c.start])  # "the number of injured has risen to"
    kind = kind or next((k for k in ("fatalities", "injured", "missing") if rx[k].match(after)), None)
    if kind is None and ev.type == "outage" and _PEOPLE_AFTER.match(after):
        kind = "affected"
    if kind is None and ev.type == "interception" and re.match(
            r"\s+(?:of them\s+)?(?:were|was|had been)\s+(?:\w+\s+)?(?:shot|intercepted|downed|destroyed|jammed)", after):
        kind = "quantity"
    if kind is None and ev.type != "outage" and rx["quantity"].match(after):
        kind = "quantity"
    if kind is None and (trig.subtype in ("drone strike", "missile strike") or ev.type == "interception") \
            and trig.start <= c0 + c.start < trig.end:
        kind = "quantity"  # "fired 111 strike and decoy drones": the count inside a launch trigger
    if ev.type == "exchange" and kind is not None:
        kind = "quantity"  # bodies and prisoners handed over are not casualties of this event
    return kind


_VICTIM = (r"(?:a|an|one|another|the|his|her|their)\s+(?:[\w-]+\s+){0,3}?(?:man|woman|boy|girl|child|teenager|driver|"
           r"civilian|soldier|resident|pensioner|person|worker|passenger|volunteer|medic|journalist|farmer|mother|father|"
           r"daughter|son|wife|husband|baby|infant|student|policeman|officer|serviceman|villager|guard)")
_VICTIM_LIST = re.compile(rf"\b(?P<verb>killing|killed|injuring|injured|wounding|wounded)\s+(?P<list>{_VICTIM}"
                          rf"(?:\s*,\s*{_VICTIM})*\s+and\s+{_VICTIM})\b", re.I)
_VICTIM_LIST_PASSIVE = re.compile(rf"\b(?P<list>{_VICTIM}(?:\s*,\s*{_VICTIM})*\s+and\s+(?:(?:a|an|one|another|the|his|her|"
                                  rf"their)\s+)?(?:[\w-]+\s+){{0,2}}?(?:man|woman|boy|girl|child|daughter|son|wife|husband|"
                                  rf"mother|father|baby|person))\s+(?:were|had been|have been)\s+(?:\w+\s+)?"
                                  rf"(?P<verb>killed|injured|wounded|hurt)\b", re.I)


_FROM_PLACE = r"(?:\s+(?:in|from|of|near)\s+(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*)?)?"  # "a woman in Nikopol was killed"
_ONE_VICTIM_PASSIVE = re.compile(rf"\b(?:{_VICTIM}){_FROM_PLACE}\s+(?:was|has been|had been)\s+(?:\w+\s+)?"
                                 rf"(?P<verb>killed|injured|wounded|hurt)\b|\b(?:{_VICTIM}){_FROM_PLACE}\s+(?P<verb2>died)\b", re.I)


def _zero_and_one(span: str, ev: Event, clause: str = "") -> None:
    """Victims named one by one and "no casualties"; `span` runs from the trigger on, `clause` from the
    clause start ("a civilian was killed in the strike": the victim before the trigger)."""
    lex = patterns()
    for rx, where in ((_VICTIM_LIST, span), (_VICTIM_LIST_PASSIVE, clause or span)):  # "killing a girl and a
        for m in rx.finditer(where):  # boy", "a man and a woman were killed": two
            kind = "fatalities" if m["verb"].lower().startswith("kill") else "injured"
            n = 1 + m["list"].count(",") + len(re.findall(r"\band\b", m["list"]))  # one victim per list item
            if getattr(ev, kind) is None:
                setattr(ev, kind, n)
    for m in lex["one_victim"].finditer(span):
        kind = "fatalities" if re.match(r"kill", m.group(), re.I) else "injured"
        if getattr(ev, kind) is None:
            setattr(ev, kind, 1)
    for m in _ONE_VICTIM_PASSIVE.finditer(clause or span):  # "a 14-year-old boy was killed", "a civilian died"
        kind = "fatalities" if (m["verb"] or m["verb2"]).lower() in ("killed", "died") else "injured"
        if getattr(ev, kind) is None:
            setattr(ev, kind, 1)
    zero_victims(span, ev)  # "no casualties were reported, though a clinic was damaged"
    if clause:
        zero_victims(clause, ev)


def zero_victims(span: str, ev: Event) -> None:
    """"No casualties", "no one was hurt" in `span`: zero victims (a count that holds for each place of a list)."""
    for kind, rx in patterns()["zero"].items():
        if getattr(ev, kind) is None and rx.search(span):
            setattr(ev, kind, 0)


def follow_up(text: str, sent: tuple[int, int], target: Event) -> None:
    """Complete `target` with the victims a following sentence counts (it reports no event of its own)."""
    lex = patterns()
    s_text = text[sent[0]:sent[1]]
    if lex["denial"].search(s_text) or lex["aggregate"].search(s_text) or lex["running_total"].search(s_text) or \
            re.search(r"\b(?:has|have)\s+(?:(?!been\b)\w+\s+)?(?:killed|wounded|injured|claimed)\b", s_text, re.I):
        return  # a denial, or a running total ("the war has killed tens of thousands")
    probe = Event(type=target.type)
    trig = Trigger(target.type, "", (), 0, sent[0], sent[0], None)  # type: ignore[arg-type]
    assign(text, sent, trig, probe)
    for f in ("fatalities", "injured", "missing"):
        value = getattr(probe, f)
        if value is not None and (getattr(target, f) is None or value > getattr(target, f)):
            setattr(target, f, value)
    if target.type == "strike" and target.quantity is None and probe.quantity is not None:
        target.quantity = probe.quantity  # "... some 30 rockets landed in fields, the army said"
