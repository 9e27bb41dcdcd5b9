"""People: names with their roles, found from title patterns in the language lexicons.

A person is found where a title or honorific from the lexicon ("Thứ trưởng Bộ Y tế", "Wakil
Menteri Kesehatan", "Herr", "Professor Dr.", "ông", "Minister") is followed by a capitalised
name, or where a capitalised name is followed by an apposition that opens with a role word
("Phan Anh Son, Präsident des ..."). Vietnamese names are anchored on the family name (from the
lexicon), so "Thứ trưởng Bộ Y tế Trần Văn Thuấn" yields "Trần Văn Thuấn" with the role
"Thứ trưởng Bộ Y tế". Organisations, places and countries (CLDR names via Babel plus the
lexicon's ``not_name`` words) are never taken as people.

``person_key`` folds diacritics, drops titles and sorts the words, so "Trần Văn Thuấn",
"Tran Van Thuan" and "Thuan Tran Van" share one key; ``merge`` keeps one record per key.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model import Person, Sentence
from ..util import fold
from .sentences import _trie_source, all_languages, lexicon, lower_same_length

_WORD = re.compile(r"[^\W\d_](?:[\w'’]|[.-](?=[^\W\d_]))*|\d+|[^\w\s]")
_MAX_NAME = 4


@lru_cache(maxsize=8192)
@lru_cache(maxsize=1)
def _all_titles() -> frozenset[str]:
    words: set[str] = set()
    for lang in all_languages() + ("_",):
        ppl = lexicon(None if lang == "_" else lang).get("people", {})
        for key in ("honorifics", "role_titles"):
            for t in ppl.get(key, []):
                words.add(fold(t).rstrip("."))
    return frozenset(words)


@lru_cache(maxsize=1)
def _multiword_titles() -> tuple[str, ...]:
    return tuple(sorted((t for t in _all_titles() if " " in t), key=len, reverse=True))


@lru_cache(maxsize=4096)
def person_key(name: str) -> str:
    """Identity key: diacritics folded, titles stripped, word order ignored."""
    if not name:
        return ""
    text = fold(name)
    titles = _all_titles()
    for t in _multiword_titles():
        if text.startswith(t + " "):
            text = text[len(t) + 1 :]
    toks = [t.strip(".,;:()'’\"") for t in re.split(r"[\s\-‐–]+", text)]
    toks = [t for t in toks if t]
    while len(toks) > 2 and toks[0] in titles:
        toks.pop(0)
    return " ".join(sorted(toks))


# --------------------------------------------------------------------------- lexicon tables


class _Rules:
    __slots__ = ("triggers", "role_title_set", "role_words", "role_word_set", "not_name", "family", "particles", "places",
                 "role_stop", "role_rx", "nouns_cased", "role_title_suffixes")

    def __init__(self, lang: str):
        lex = lexicon(lang)
        ppl = lex.get("people", {})
        honor = [h for h in ppl.get("honorifics", []) if h]
        roles = [r for r in ppl.get("role_titles", []) if r]
        self.role_title_set = frozenset(fold(r) for r in roles)
        alts = sorted({re.sub(r"\s+", " ", a.strip()).lower() for a in honor + roles})
        # one or more titles in a row ("Prof. Dr.", "Professor Dr.", "Wakil Menteri Kesehatan")
        suffixes = sorted({x.lower() for x in ppl.get("role_suffixes", []) if x})
        if suffixes:  # compounds such as "Bundesarbeitsminister", "Generalsekretärin"
            src = _trie_source(alts) if alts else ""
            suf = rf"[^\W\d_]+(?:{_trie_source(suffixes)})"
            src = rf"(?<![\w])(?:{src}|{suf})" if src else rf"(?<![\w]){suf}"
            self.role_title_suffixes = tuple(suffixes)
        else:
            # the titles alone open with their first characters: the regex engine skips to them
            src = f"(?:{_trie_source(alts, word_start=True)})" if alts else ""
            self.role_title_suffixes = ()
        self.triggers = re.compile(rf"{src}(?![\w])") if src else None  # one title, on lower-cased text
        rw = sorted({w.lower() for w in ppl.get("role_words", []) + roles if w and w[0].isalnum() and w[-1].isalnum()})
        # a comma followed (after at most two spaces) by a role word: where an apposition may
        # follow a name ("Phan Anh Son, Präsident des ..."); role words start with a letter or digit
        self.role_rx = re.compile(rf",(?= {{0,2}}(?:{_trie_source(rw)})(?![\w]))") if rw else None
        self.role_words = tuple(sorted({fold(w) for w in ppl.get("role_words", []) + roles if w}, key=len, reverse=True))
        self.role_word_set = frozenset(self.role_words)
        self.not_name = frozenset(fold(w) for w in ppl.get("not_name", []))
        self.family = frozenset(fold(w) for w in ppl.get("family_names", []))
        self.particles = frozenset(ppl.get("particles", []))
        self.places = _places(lang)
        self.nouns_cased = bool(lex.get("meta", {}).get("nouns_capitalised", False))
        stops = sorted((w for w in ppl.get("role_stops", []) if w.strip()), key=len, reverse=True)
        self.role_stop = (
            re.compile(r"\s(?:" + "|".join(re.escape(w.strip()) for w in stops) + r")(?![\w])", re.IGNORECASE) if stops else None
        )


@lru_cache(maxsize=64)
def _rules(lang: str) -> _Rules:
    return _Rules(lang)


@lru_cache(maxsize=64)
def _places(lang: str) -> frozenset[str]:
    """Folded country names (CLDR) in the language and in English, single words split too."""
    out: set[str] = set()
    try:
        from babel import Locale

        for code in {lang or "en", "en"}:
            try:
                loc = Locale.parse(code)
            except Exception:  # noqa: BLE001 - unknown locale: English only
                continue
            for key, name in loc.territories.items():
                if key.isalpha():
                    out.add(fold(name))
    except ImportError:  # pragma: no cover
        pass
    return frozenset(out)


# --------------------------------------------------------------------------- finding


def _is_cap(tok: str) -> bool:
    return bool(tok) and tok[0].isupper()


def _tokens(text: str, start: int, span: int = 160) -> list[re.Match]:
    return list(_WORD.finditer(text, start, min(len(text), start + span)))


def _name_from_run(run: list[str], rules: _Rules, need_family: bool = False, strip: bool = False) -> list[str] | None:
    """Pick the person's name out of a run of capitalised tokens.

    Without a family name from the lexicon the whole run must look like a name (no organisation
    or place words); with one, the name starts at the family name ("Bộ Y tế Trần Văn Thuấn")."""
    toks = list(run)
    # "Fleur Agema van Volksgezondheid": a particle followed by an organisation word ends the name
    for i, t in enumerate(toks):
        if t in rules.particles and any(fold(x).rstrip(".") in rules.not_name or fold(x) in rules.places for x in toks[i + 1 :]):
            toks = toks[:i]
            break
    if not toks:
        return None
    has_family = any(fold(t) in rules.family for t in toks[:-1])
    if not has_family:
        if need_family:
            return None
        while strip and toks and (fold(toks[0]).rstrip(".") in rules.not_name or fold(toks[0]) in rules.places
                                  or fold(toks[0]) in rules.role_word_set):
            toks.pop(0)
        if any(fold(t).rstrip(".") in rules.not_name or fold(t) in rules.places for t in toks):
            return None
        if any(fold(t) in rules.role_word_set for t in toks):
            return None
    # drop leading organisation/place/title words ("Bộ", "Luar Negeri Prancis", "Hà Nội", "Kesehatan")
    while toks:
        f = fold(toks[0]).rstrip(".")
        multi = 0
        for n in (3, 2):
            if len(toks) > n and fold(" ".join(toks[:n])) in rules.not_name | rules.places:
                multi = n
                break
        if multi:
            del toks[:multi]
            continue
        if f in rules.family and len(toks) >= 2:
            break
        if f in rules.not_name or f in rules.places or f in rules.role_title_set or f in rules.role_word_set \
                or _inflected_place(f, rules.places):
            toks.pop(0)
            continue
        break
    if not toks:
        return None
    fam = [i for i, t in enumerate(toks) if fold(t) in rules.family and i + 1 < len(toks)]
    if fam:
        toks = toks[fam[0] :]
    toks = toks[:_MAX_NAME]
    # a trailing particle or connector is not part of a name
    while toks and (toks[-1] in rules.particles or not _is_cap(toks[-1])):
        toks.pop()
    caps = [t for t in toks if _is_cap(t)]
    if len(caps) < 2:
        return None
    full = fold(" ".join(toks))
    if full in rules.places or any(fold(t).rstrip(".") in rules.not_name for t in toks[:1]):
        return None
    if all(fold(t) in rules.not_name or fold(t) in rules.places for t in toks):
        return None
    return toks


def _inflected_place(f: str, places: frozenset[str]) -> bool:
    """An inflected country name ("Вьетнама", "Wietnamu"): the name plus at most two letters."""
    if len(f) < 6:
        return False
    return f[:-1] in places or f[:-2] in places


def _collect_run(text: str, toks: list[re.Match], i: int, rules: _Rules, limit: int = 9) -> tuple[list[str], int, int]:
    """Capitalised tokens from toks[i]: returns (tokens, end char offset, next index)."""
    out: list[str] = []
    end = toks[i].start() if i < len(toks) else len(text)
    j = i
    while j < len(toks) and len(out) < limit:
        tok = toks[j].group()
        if _is_cap(tok) and tok[0].isalpha():
            if out and text[end : toks[j].start()].strip() not in ("", "-", "–"):
                break
            if out and text[end : toks[j].start()].strip() in ("-", "–"):
                out[-1] = out[-1] + "-" + tok  # "Georges - Fabrice" -> "Georges-Fabrice"
            else:
                out.append(tok)
            end = toks[j].end()
            j += 1
            continue
        if tok in ("-", "–") and out and j + 1 < len(toks) and _is_cap(toks[j + 1].group()):
            j += 1
            continue
        if tok in rules.particles and out and j + 1 < len(toks) and _is_cap(toks[j + 1].group()):
            out.append(tok)
            end = toks[j].end()
            j += 1
            continue
        break
    return out, end, j


def _apposition(text: str, pos: int, rules: _Rules) -> list[str]:
    """Roles in ", Director of X, Member of Y;" right after a name."""
    roles: list[str] = []
    rest = text[pos:]
    m = re.match(r"\s*[,(]\s*", rest)
    if not m:
        return roles
    rest = rest[m.end() :]
    # the apposition ends at ; . : ( or a closing bracket
    stop = re.search(r"[;:()\[\]]|\.(?:\s|$)|\s[–—]\s", rest)
    body = rest[: stop.start()] if stop else rest
    for chunk in re.split(r"\s*,\s*", body):
        chunk = chunk.strip()
        if not chunk:
            continue
        f = fold(chunk)
        if not any(f.startswith(w) and (len(f) == len(w) or not f[len(w)].isalnum()) for w in rules.role_words):
            break
        if rules.role_stop is not None:
            cut = rules.role_stop.search(" " + chunk)
            if cut:
                chunk = chunk[: max(cut.start() - 1, 0)].strip()
                if chunk:
                    roles.append(chunk)
                break
        if len(chunk.split()) > 18:
            break
        roles.append(chunk)
        if len(roles) >= 6:
            break
    return roles


def _mentions_in(text: str, rules: _Rules) -> list[Person]:
    found: list[Person] = []
    taken: list[tuple[int, int]] = []
    low = lower_same_length(text)
    if rules.triggers is not None:
        covered = -1
        for m0 in rules.triggers.finditer(low):
            if m0.start() < covered or any(a <= m0.start() < b for a, b in taken):
                continue
            # titles in a row ("Prof. Dr.", "Professor Dr.", "Wakil Menteri Kesehatan") form one trigger
            t_end = m0.end()
            while True:
                nxt = t_end
                while nxt < len(low) and low[nxt] in " \t\u00a0":
                    nxt += 1
                m1 = rules.triggers.match(low, nxt)
                if m1 is None or m1.end() == nxt:
                    break
                t_end = m1.end()
            covered = t_end
            m = _Span(m0.start(), t_end)
            trig = text[m.start() : m.end()].strip()
            toks = _tokens(text, m.end(), 100)
            # look for the name within a few tokens (skipping an organisation: "Bộ Y tế")
            best = None
            k = 0
            while k < min(len(toks), 8):
                if _is_cap(toks[k].group()) and toks[k].group()[0].isalpha():
                    run, end, nxt = _collect_run(text, toks, k, rules)
                    name = _name_from_run(run, rules, need_family=k > 0 and rules.nouns_cased,
                                          strip=k > 0 or not rules.nouns_cased)
                    if name:
                        best = (k, name, end)
                        break
                    k = max(nxt, k + 1)
                    continue
                if toks[k].group() == "," and k > 0 and k + 1 < len(toks) and _is_cap(toks[k + 1].group()):
                    # "La ministre française de la Santé, Stéphanie Rist, a reçu ...": the name between commas
                    run, end, _nxt = _collect_run(text, toks, k + 1, rules, limit=5)
                    after = text[end : end + 2].lstrip()
                    name = _name_from_run(run, rules, need_family=rules.nouns_cased and False)
                    if name and len(name) == len(run) and (not after or after[0] in ",.;)"):
                        best = (k + 1, name, end)
                    break
                if toks[k].group() in ",;:.()\"“”":
                    break
                k += 1
            if not best:
                continue
            k, name, end = best
            # the name must end where its last token ends
            name_start = text.find(name[0].split("-")[0], toks[k].start())
            pos = name_start
            for part in name:
                for piece in part.split("-"):
                    found_at = text.find(piece, pos)
                    if found_at < 0:
                        break
                    pos = found_at + len(piece)
            name_end = pos
            if name_start < 0 or name_end <= name_start:
                continue
            name_text = " ".join(name)
            role_parts: list[str] = []
            trig_f = fold(trig)
            bridge = text[m.end() : name_start].strip().rstrip(",").strip()
            if _has_role_title(trig_f, rules.role_title_set) or (
                    rules.role_title_suffixes and trig_f.split()[-1].endswith(rules.role_title_suffixes)):
                role_parts.append((trig + (" " + bridge if bridge else "")).strip(" ,"))
            role_parts += _apposition(text, name_end, rules)
            role_parts = _strip_honorifics(role_parts, rules)
            found.append(_person(name_text, role_parts))
            taken.append((m.start(), name_end))
    # names followed by a role apposition, without a title in front ("Phan Anh Son, Präsident des ...")
    if rules.role_rx is None:
        return found
    for cm in rules.role_rx.finditer(low):  # only ", <role word> ..." can be an apposition
        comma_at = cm.start()
        # the capitalised run that ends right before the comma
        head = text[max(0, comma_at - 80) : comma_at]
        words = head.split()
        run: list[str] = []
        for w in reversed(words):
            if w[:1].isupper() and w[:1].isalpha() and w[-1:] not in ",;:.":
                run.insert(0, w)
            else:
                break
            if len(run) > 5:
                break
        if not 2 <= len(run) <= 5:
            continue
        pos = comma_at - len(" ".join(run))
        if any(a <= pos < b for a, b in taken):
            continue
        name = _name_from_run(run, rules)
        if not name or len(name) != len(run):
            continue
        roles = _apposition(text, comma_at, rules)
        if not roles:
            continue
        found.append(_person(" ".join(name), roles))
        taken.append((pos, comma_at))
    return found


def _has_role_title(trig_f: str, titles: frozenset[str]) -> bool:
    """Whether the trigger (folded) starts or ends with a role title ("prof. dr." does not)."""
    words = trig_f.split()
    for k in range(1, len(words) + 1):
        if " ".join(words[:k]) in titles or " ".join(words[-k:]) in titles:
            return True
    return False


class _Span:
    __slots__ = ("_s", "_e")

    def __init__(self, s: int, e: int):
        self._s, self._e = s, e

    def start(self) -> int:
        return self._s

    def end(self) -> int:
        return self._e


def _strip_honorifics(parts: list[str], rules: _Rules) -> list[str]:
    out = []
    for p in parts:
        p = re.sub(r"^(?:(?:Prof|Dr|PGS|GS|TS|ThS)\.\s*)+", "", p).strip(" ,")
        if p and p not in out:
            out.append(p)
    return out


def _person(name: str, roles: list[str]) -> Person:
    return Person(name=name, role="; ".join(roles) if roles else None, key=person_key(name), roles=list(roles))


@lru_cache(maxsize=1024)
def mentions(lang: str, text: str) -> tuple[Person, ...]:
    """People named in one sentence (cached: classify asks about the same sentences)."""
    if not text or len(text) > 5000:
        return ()
    return tuple(_mentions_in(text, _rules(lang)))


def find_people(sentences: list[Sentence], lang: str) -> list[Person]:
    """People named in the sentences, one record per person (roles merged)."""
    found: list[Person] = []
    lang = lang or ""
    for s in sentences:
        found += mentions(lang, s.text or "")
    return merge(found)  # new records: the cached ones are only read


def _diacritic_score(name: str) -> int:
    return sum(1 for ch in name if ord(ch) > 127 and ch.isalpha())


def role_key(role: str) -> str:
    """A role compared without case, diacritics and edge punctuation."""
    return fold(role).strip(" .,;")


def merge(persons: list[Person]) -> list[Person]:
    """One person per key: the best-spelled name (diacritics preferred) and every distinct role."""
    groups: dict[str, list[Person]] = {}
    order: list[str] = []
    for p in persons:
        key = p.key or person_key(p.name)
        if not key:
            continue
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(p)
    out: list[Person] = []
    for key in order:
        ps = groups[key]
        # best spelling; among equals the first seen
        best = ps[0] if len(ps) == 1 else max(enumerate(ps), key=lambda ip: (_diacritic_score(ip[1].name), "-" in ip[1].name, -ip[0]))[1]
        roles: list[str] = []
        seen: set[str] = set()
        for p in ps:
            for r in (p.roles or ([p.role] if p.role else [])):
                f = role_key(r)
                if f and f not in seen:
                    seen.add(f)
                    roles.append(r)
        folded = [role_key(r) for r in roles]
        roles = [r for r, f in zip(roles, folded) if not any(o != f and o.startswith(f + " ") for o in folded)]
        role = next((p.role for p in ps if p.role), None)
        article = next((p.article_id for p in ps if p.article_id), "")
        out.append(Person(name=best.name, role=role, key=key, article_id=article, roles=roles))
    return out
