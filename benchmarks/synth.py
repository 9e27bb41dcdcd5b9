"""A synthetic multilingual news corpus for the benchmark (not copies of the seeds).

Each article is a plain-text scrape like the ones the ministry collects: a title, a dateline,
paragraphs built from sentence templates (meetings, commitments, dated milestones, figures,
background, quotes) in one of several languages, naming the home country (Vietnam) and one or
two partner countries in that language (CLDR names via Babel), with dates written the way that
language's press writes them, and page furniture (related-news lists, comment counters, photo
captions, share buttons). Lengths vary from a short news item to a long feature (~1-15 KB).
As in real press, an article never repeats a sentence (dates, places, numbers and speakers vary
from sentence to sentence), while each partner country's dozen officials recur across the
articles about it.

``generate(folder, n, seed)`` writes ``n`` files and returns their paths; the same seed gives
the same corpus. ``generate_pages`` writes the same articles as saved web pages (``page``).
"""
from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

PARTNERS = ("FR", "DE", "JP", "KR", "US", "GB", "AU", "IN", "ID", "TH", "SG", "CN", "IT", "ES", "NL",
            "CA", "BR", "MX", "LA", "KH", "PH", "MY", "NZ", "CH", "SE", "PL", "CZ", "HU", "AR", "CL",
            "ZA", "EG", "IL", "TR", "SA", "AE", "RU", "NO", "FI", "DK")

VI_PEOPLE = ("Trần Văn Thuấn", "Nguyễn Thị Hồng", "Lê Minh Khái", "Phạm Quang Hiệu", "Đỗ Hùng Việt",
             "Bùi Thanh Sơn", "Vũ Đức Đam", "Hoàng Anh Tuấn")
FOREIGN_PEOPLE = ("Georges-Fabrice Blum", "Anna Schmidt", "Hiroshi Tanaka", "Kim Min-jun", "Laura Martínez",
                  "Budi Santoso", "James Whitfield", "Claire Dubois", "Marco Rossi", "Priya Raman",
                  "Sophie Laurent", "Thomas Becker", "Ana Souza", "Lars Nilsson")

# Sentence templates per language. Slots: {home} {partner} {partner2} {person} {vperson} {city}
# {date_future} {date_past} {n} {year}. Kinds: lead, meet, commit, milestone, figure, background, quote.
T = {
    "en": {
        "title": ["{home} and {partner} deepen cooperation in {field}", "{partner} delegation visits {city}",
                  "{home}, {partner} sign agreement on {field}"],
        "dateline": "HANOI, {date_past} — ",
        "lead": ["Deputy Minister {vperson} received a delegation from {partner} led by {person} on {date_past}."],
        "meet": ["The two sides reviewed cooperation in {field} and agreed to expand exchanges between agencies.",
                 "At the meeting, {person} said {partner} regards {home} as a key partner in Southeast Asia."],
        "commit": ["{partner} pledged to provide {n} million USD to support {field} projects in {home}.",
                   "The ministry committed to training {n} officials with support from {partner} by {year}."],
        "milestone": ["The two countries will sign a memorandum of understanding on {field} on {date_future}.",
                      "A joint committee meeting is scheduled in {city} on {date_future}."],
        "figure": ["Trade between {home} and {partner} reached {n} billion USD last year, up 12 percent."],
        "background": ["{home} and {partner} established diplomatic relations in {year_old} and upgraded ties to a strategic partnership.",
                       "{partner2} and {partner} are also cooperating on regional health security."],
        "quote": ["\"We want concrete results for people in both countries,\" said {person}, {role}."],
        "role": "Minister of Foreign Affairs",
        "fields": ["health", "education", "energy transition", "digital transformation", "agriculture"],
        "furniture": ["Related news:\n- {partner} to boost investment in {home}\n- Minister visits {city}\n- Trade fair opens",
                      "{n} comments", "Photo: {vperson} and {person} at the meeting. (Photo: VNA)", "Share  Tweet  Email"],
    },
    "vi": {
        "title": ["{home} và {partner} tăng cường hợp tác về {field}", "Đoàn {partner} thăm và làm việc tại {city}"],
        "dateline": "(Chinhphu.vn) - Ngày {date_past}, ",
        "lead": ["Thứ trưởng {vperson} đã tiếp đoàn công tác của {partner} do ông {person} dẫn đầu."],
        "meet": ["Hai bên đã trao đổi về tình hình hợp tác trong lĩnh vực {field} và nhất trí mở rộng hợp tác.",
                 "Ông {person} khẳng định {partner} luôn coi {home} là đối tác quan trọng tại khu vực."],
        "commit": ["{partner} cam kết hỗ trợ {n} triệu USD cho các dự án {field} tại {home}.",
                   "Bộ sẽ phối hợp đào tạo {n} cán bộ với sự hỗ trợ của {partner} đến năm {year}."],
        "milestone": ["Hai nước sẽ ký biên bản ghi nhớ về {field} vào ngày {date_future}.",
                      "Kỳ họp Ủy ban hỗn hợp dự kiến diễn ra tại {city} vào {date_future}."],
        "figure": ["Kim ngạch thương mại giữa {home} và {partner} năm ngoái đạt {n} tỷ USD, tăng 12%."],
        "background": ["{home} và {partner} thiết lập quan hệ ngoại giao năm {year_old} và nâng cấp lên đối tác chiến lược.",
                       "{partner2} và {partner} cũng đang hợp tác về an ninh y tế khu vực."],
        "quote": ["\"Chúng tôi mong muốn đạt kết quả cụ thể\", ông {person}, {role}, nhấn mạnh."],
        "role": "Bộ trưởng Ngoại giao",
        "fields": ["y tế", "giáo dục", "chuyển đổi năng lượng", "chuyển đổi số", "nông nghiệp"],
        "furniture": ["Tin liên quan:\n- {partner} tăng đầu tư vào {home}\n- Bộ trưởng thăm {city}\n- Khai mạc hội chợ",
                      "{n} bình luận", "Ảnh: Thứ trưởng {vperson} tiếp ông {person}. (Ảnh: TTXVN)", "Chia sẻ  Bình luận  In bài"],
    },
    "id": {
        "title": ["{home} dan {partner} perkuat kerja sama di bidang {field}", "Delegasi {partner} kunjungi {city}"],
        "dateline": "JAKARTA, {date_past} - ",
        "lead": ["Wakil Menteri {vperson} menerima delegasi {partner} yang dipimpin oleh {person}."],
        "meet": ["Kedua belah pihak membahas kerja sama di bidang {field} dan sepakat memperluas pertukaran.",
                 "{person} menegaskan bahwa {partner} memandang {home} sebagai mitra penting di kawasan."],
        "commit": ["{partner} berkomitmen memberikan {n} juta dolar AS untuk proyek {field} di {home}.",
                   "Kementerian akan melatih {n} pejabat dengan dukungan {partner} hingga tahun {year}."],
        "milestone": ["Kedua negara akan menandatangani nota kesepahaman tentang {field} pada {date_future}.",
                      "Sidang komisi bersama dijadwalkan berlangsung di {city} pada {date_future}."],
        "figure": ["Perdagangan antara {home} dan {partner} mencapai {n} miliar dolar AS tahun lalu."],
        "background": ["{home} dan {partner} menjalin hubungan diplomatik pada tahun {year_old}.",
                       "{partner2} dan {partner} juga bekerja sama dalam ketahanan kesehatan regional."],
        "quote": ["\"Kami ingin hasil nyata bagi rakyat kedua negara,\" kata {person}, {role}."],
        "role": "Menteri Luar Negeri",
        "fields": ["kesehatan", "pendidikan", "transisi energi", "transformasi digital", "pertanian"],
        "furniture": ["Baca juga:\n- {partner} tingkatkan investasi di {home}\n- Menteri kunjungi {city}",
                      "{n} komentar", "Foto: {vperson} dan {person} dalam pertemuan. (ANTARA)", "Bagikan  Tweet"],
    },
    "de": {
        "title": ["{home} und {partner} vertiefen Zusammenarbeit bei {field}", "Delegation aus {partner} besucht {city}"],
        "dateline": "Hanoi, {date_past} – ",
        "lead": ["Vizeminister {vperson} empfing eine Delegation aus {partner} unter Leitung von {person}."],
        "meet": ["Beide Seiten erörterten die Zusammenarbeit im Bereich {field} und vereinbarten einen engeren Austausch.",
                 "{person} betonte, dass {partner} {home} als wichtigen Partner in Südostasien betrachte."],
        "commit": ["{partner} sagte {n} Millionen Euro für Projekte im Bereich {field} in {home} zu.",
                   "Das Ministerium will bis {year} mit Unterstützung aus {partner} {n} Fachkräfte ausbilden."],
        "milestone": ["Die beiden Länder wollen am {date_future} eine Absichtserklärung zu {field} unterzeichnen.",
                      "Die nächste Sitzung der gemeinsamen Kommission ist für den {date_future} in {city} geplant."],
        "figure": ["Der Handel zwischen {home} und {partner} erreichte im vergangenen Jahr {n} Milliarden Euro."],
        "background": ["{home} und {partner} nahmen {year_old} diplomatische Beziehungen auf.",
                       "Auch {partner2} und {partner} arbeiten bei der regionalen Gesundheitssicherheit zusammen."],
        "quote": ["„Wir wollen konkrete Ergebnisse für die Menschen in beiden Ländern“, sagte {person}, {role}."],
        "role": "Außenminister",
        "fields": ["Gesundheit", "Bildung", "Energiewende", "Digitalisierung", "Landwirtschaft"],
        "furniture": ["Mehr zum Thema:\n- {partner} will mehr in {home} investieren\n- Minister besucht {city}",
                      "{n} Kommentare", "Foto: {vperson} und {person} bei dem Treffen. (Foto: dpa)", "Teilen  Drucken"],
    },
    "fr": {
        "title": ["{home} et {partner} renforcent leur coopération dans {field}", "Une délégation de {partner} en visite à {city}"],
        "dateline": "HANOÏ, {date_past} – ",
        "lead": ["Le vice-ministre {vperson} a reçu une délégation de {partner} conduite par {person}."],
        "meet": ["Les deux parties ont passé en revue la coopération dans {field} et sont convenues d'élargir les échanges.",
                 "{person} a souligné que {partner} considère {home} comme un partenaire clé en Asie du Sud-Est."],
        "commit": ["{partner} s'est engagé à fournir {n} millions d'euros pour des projets de {field} au {home}.",
                   "Le ministère formera {n} fonctionnaires avec le soutien de {partner} d'ici {year}."],
        "milestone": ["Les deux pays signeront un protocole d'accord sur {field} le {date_future}.",
                      "La prochaine session de la commission mixte est prévue à {city} le {date_future}."],
        "figure": ["Les échanges entre {home} et {partner} ont atteint {n} milliards d'euros l'an dernier."],
        "background": ["{home} et {partner} ont établi des relations diplomatiques en {year_old}.",
                       "{partner2} et {partner} coopèrent aussi sur la sécurité sanitaire régionale."],
        "quote": ["« Nous voulons des résultats concrets pour les deux peuples », a déclaré {person}, {role}."],
        "role": "ministre des Affaires étrangères",
        "fields": ["la santé", "l'éducation", "la transition énergétique", "le numérique", "l'agriculture"],
        "furniture": ["À lire aussi :\n- {partner} veut investir davantage au {home}\n- Le ministre à {city}",
                      "{n} commentaires", "Photo : {vperson} et {person} lors de la réunion. (AFP)", "Partager  Imprimer"],
    },
    "es": {
        "title": ["{home} y {partner} refuerzan la cooperación en {field}", "Una delegación de {partner} visita {city}"],
        "dateline": "HANÓI, {date_past}. – ",
        "lead": ["El viceministro {vperson} recibió a una delegación de {partner} encabezada por {person}."],
        "meet": ["Ambas partes repasaron la cooperación en {field} y acordaron ampliar los intercambios.",
                 "{person} afirmó que {partner} considera a {home} un socio clave en el Sudeste Asiático."],
        "commit": ["{partner} se comprometió a aportar {n} millones de dólares para proyectos de {field} en {home}.",
                   "El ministerio formará a {n} funcionarios con apoyo de {partner} hasta {year}."],
        "milestone": ["Los dos países firmarán un memorando de entendimiento sobre {field} el {date_future}.",
                      "La próxima reunión de la comisión mixta está prevista en {city} el {date_future}."],
        "figure": ["El comercio entre {home} y {partner} alcanzó {n} mil millones de dólares el año pasado."],
        "background": ["{home} y {partner} establecieron relaciones diplomáticas en {year_old}.",
                       "{partner2} y {partner} también cooperan en seguridad sanitaria regional."],
        "quote": ["\"Queremos resultados concretos para ambos pueblos\", declaró {person}, {role}."],
        "role": "ministro de Asuntos Exteriores",
        "fields": ["salud", "educación", "transición energética", "transformación digital", "agricultura"],
        "furniture": ["Noticias relacionadas:\n- {partner} aumentará su inversión en {home}\n- El ministro visita {city}",
                      "{n} comentarios", "Foto: {vperson} y {person} durante la reunión. (EFE)", "Compartir  Imprimir"],
    },
    "zh": {
        "title": ["{home}与{partner}深化{field}合作", "{partner}代表团访问{city}"],
        "dateline": "新华社河内{date_past}电 ",
        "lead": ["{home}副部长{vperson}会见了由{person}率领的{partner}代表团。"],
        "meet": ["双方回顾了{field}领域的合作，并同意扩大各机构之间的交流。",
                 "{person}表示，{partner}视{home}为东南亚地区的重要伙伴。"],
        "commit": ["{partner}承诺提供{n}百万美元，支持{home}的{field}项目。",
                   "该部将在{partner}支持下于{year}年前培训{n}名官员。"],
        "milestone": ["两国将于{date_future}签署关于{field}的谅解备忘录。",
                      "联合委员会下次会议定于{date_future}在{city}举行。"],
        "figure": ["去年{home}与{partner}的贸易额达到{n}亿美元，同比增长12%。"],
        "background": ["{home}与{partner}于{year_old}年建立外交关系。",
                       "{partner2}和{partner}也在地区卫生安全方面开展合作。"],
        "quote": ["{role}{person}说：“我们希望为两国人民带来实实在在的成果。”"],
        "role": "外交部长",
        "fields": ["卫生", "教育", "能源转型", "数字化转型", "农业"],
        "furniture": ["相关新闻：\n- {partner}将扩大对{home}投资\n- 部长访问{city}", "{n}条评论",
                      "图为{vperson}与{person}会谈。（新华社）", "分享  打印"],
    },
}

CITIES = ("Hà Nội", "Hanoi", "Ho Chi Minh City", "Da Nang", "Hai Phong", "Can Tho")


@lru_cache(maxsize=None)
def _locale(lang: str):
    from babel import Locale

    return Locale.parse(lang)


def country(lang: str, code: str) -> str:
    return _locale(lang).territories.get(code, code)


def fmt_date(lang: str, y: int, m: int, d: int, rnd: random.Random) -> str:
    months = _locale(lang).months["format"]["wide"]
    month = months[m]
    style = rnd.random()
    if lang == "vi":
        return f"{d}/{m}/{y}" if style < 0.5 else f"{d} tháng {m} năm {y}"
    if lang == "zh":
        return f"{y}年{m}月{d}日"
    if lang == "en":
        return f"{month} {d}, {y}" if style < 0.5 else f"{d} {month} {y}"
    if lang == "de":
        return f"{d}. {month} {y}"
    if lang == "es":
        return f"{d} de {month} de {y}"
    return f"{d} {month} {y}"  # fr, id


def _name(rnd: random.Random, names: tuple[str, ...]) -> str:
    """A person made of the first part of one listed name and the rest of another."""
    first = rnd.choice(names).split(" ", 1)[0]
    return first + " " + rnd.choice(names).split(" ", 1)[1]


@lru_cache(maxsize=None)
def _officials(partner: str) -> tuple[str, ...]:
    """The dozen officials a partner country sends, the same in every article about it (as in a
    real month of press: the same ministers recur), different from country to country."""
    rnd = random.Random(f"officials-{partner}")
    return tuple(dict.fromkeys(_name(rnd, FOREIGN_PEOPLE) for _ in range(12)))


@lru_cache(maxsize=None)
def _home_officials() -> tuple[str, ...]:
    rnd = random.Random("officials-VN")
    return tuple(dict.fromkeys(_name(rnd, VI_PEOPLE) for _ in range(20)))


def article(rnd: random.Random, i: int) -> tuple[str, str]:
    """(file name, text) of one synthetic article."""
    name, text, _parts = _compose(rnd, i)
    return name, text


def _compose(rnd: random.Random, i: int) -> tuple[str, str, dict]:
    """(file name, text, parts): the parts (language, publication date, title, paragraphs, the
    furniture at the end) are what ``page`` lays out as a web page."""
    lang = rnd.choice(tuple(T))
    t = T[lang]
    partner, partner2 = rnd.sample(PARTNERS, 2)
    py = rnd.choice((2025, 2026))
    pm, pd = rnd.randint(1, 12), rnd.randint(1, 28)
    fy = py + rnd.choice((0, 1, 1, 2))
    fm, fd = rnd.randint(1, 12), rnd.randint(1, 28)
    cast = rnd.sample(_officials(partner), rnd.randint(1, 3))  # who speaks in this article
    vcast = rnd.sample(_home_officials(), rnd.randint(1, 2))
    slots = {
        "home": country(lang, "VN"), "partner": country(lang, partner), "partner2": country(lang, partner2),
        "person": cast[0], "vperson": vcast[0], "city": rnd.choice(CITIES),
        "date_past": fmt_date(lang, py, pm, pd, rnd), "date_future": fmt_date(lang, fy, fm, fd, rnd),
        "year": str(fy + rnd.randint(0, 4)), "year_old": str(rnd.randint(1955, 1995)),
        "field": rnd.choice(t["fields"]), "role": t["role"], "n": str(rnd.randint(2, 950)),
    }

    def fill(s: str) -> str:
        return s.format(**slots)

    title = fill(rnd.choice(t["title"]))
    paras = [t["dateline"].format(**slots) + fill(rnd.choice(t["lead"]))]
    n_paras = rnd.choice((3, 4, 6, 8, 10, 14, 24, 36))
    kinds = ("meet", "commit", "milestone", "figure", "background", "quote")
    seen: set[str] = set()
    for _ in range(n_paras):
        k = rnd.randint(2, 5)
        sents = []
        for _ in range(k):
            for _attempt in range(4):  # a real article does not say the same sentence twice
                kind = rnd.choice(kinds)
                slots["n"] = str(rnd.randint(2, 950))
                slots["field"] = rnd.choice(t["fields"])
                slots["person"], slots["vperson"] = rnd.choice(cast), rnd.choice(vcast)
                slots["city"] = rnd.choice(CITIES)
                slots["year"] = str(fy + rnd.randint(0, 4))
                if kind == "milestone":  # each milestone of an article has its own date
                    slots["date_future"] = fmt_date(lang, fy + rnd.randint(0, 1), rnd.randint(1, 12), rnd.randint(1, 28), rnd)
                sent = fill(rnd.choice(t[kind]))
                if sent not in seen:
                    break
            seen.add(sent)
            sents.append(sent)
        paras.append((" " if lang != "zh" else "").join(sents))
    furniture = [fill(f) for f in t["furniture"] if rnd.random() < 0.6]
    if furniture and rnd.random() < 0.5:  # captions sit inside the text, lists and counters at the end
        paras.insert(rnd.randint(1, len(paras)), furniture.pop(0))
    text = title + "\n\n" + "\n\n".join(paras + furniture) + "\n"
    parts = {"lang": lang, "published": f"{py}-{pm:02d}-{pd:02d}", "title": title, "paras": paras,
             "furniture": furniture}
    return f"{i:06d}_{lang}.txt", text, parts


def generate(folder: Path, n: int, seed: int = 7) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    paths = []
    for i in range(n):
        name, text = article(rnd, i)
        p = folder / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


# --------------------------------------------------------------------------- saved web pages

SITES = {"en": "Daily Bulletin", "vi": "Báo Tin Tức", "id": "Warta Nusantara", "de": "Beispiel-Zeitung",
         "fr": "Le Quotidien", "es": "El Diario", "zh": "新闻网"}
NAV = ("Home", "World", "Politics", "Business", "Health", "Education", "Science", "Culture", "Sports",
       "Opinion", "Video", "Photo", "Podcasts", "Weather", "Subscribe", "Log in")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def page(rnd: random.Random, parts: dict, i: int) -> str:
    """A saved news page around one article's parts, as browsers save them: a head with scripts,
    styles and (most of the time) metadata, a menu, the article, a related-news box, a cookie
    notice and a footer. Three layouts, as on real sites: a semantic ``<article>`` with Open Graph
    tags; a ``<div>`` layout with the lead in a box of its own and the date in JSON-LD; an old
    portal laid out with a table, whose paragraphs are ``<br>``-separated and whose date is only
    in the URL."""
    lang, title = parts["lang"], parts["title"]
    site = SITES.get(lang, "News")
    slug = "-".join(title.lower().split()[:6])
    day = parts["published"]
    layout = i % 3
    url = f"https://news{i % 7}.example.org/{day.replace('-', '/') if layout == 2 else 'world'}/{slug}-{i}.html"
    script = "window.dataLayer=window.dataLayer||[];" + "".join(
        f"dataLayer.push({{'event':'view','slot':{k},'id':'{rnd.getrandbits(40):x}'}});" for k in range(rnd.randint(60, 220)))
    css = "".join(f".c{k}{{margin:{k % 9}px;padding:{k % 5}px;color:#{rnd.getrandbits(24):06x}}}" for k in range(rnd.randint(40, 120)))
    head = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
            f"<title>{_esc(title)} | {_esc(site)}</title>", f"<style>{css}</style>", f"<script>{script}</script>"]
    if layout == 0:
        head += [f'<meta property="og:title" content="{_esc(title)}">', f'<meta property="og:url" content="{url}">',
                 f'<meta property="og:site_name" content="{_esc(site)}">',
                 f'<meta property="article:published_time" content="{day}T{rnd.randint(6, 22):02d}:{rnd.randint(0, 59):02d}:00+07:00">']
    elif layout == 1:
        head += [f'<link rel="canonical" href="{url}">',
                 '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
                 f'"headline":"{_esc(title)}","datePublished":"{day}T08:00:00+07:00",'
                 f'"publisher":{{"@type":"Organization","name":"{_esc(site)}"}}}}</script>']
    else:
        head.insert(0, f"<!-- saved from url=({len(url):04d}){url} -->")
    nav = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in NAV[: rnd.randint(9, len(NAV))])
    body = ['</head><body><div class="cookie">This site uses cookies to improve your experience. <a href="/privacy">Privacy</a></div>',
            f'<header><div class="logo">{_esc(site)}</div><nav><ul class="menu">{nav}</ul></nav>',
            '<div class="breadcrumb"><a href="/">Home</a> › <a href="/world">World</a></div></header>']
    paras, furniture = parts["paras"], parts["furniture"]
    if layout == 0:
        body.append(f'<main><article><h1>{_esc(title)}</h1><p class="byline">{_esc(site)} · <time datetime="{day}">{day}</time></p>')
        body += [f"<p>{_esc(x)}</p>" for x in paras]
        body.append('<div class="share"><a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div></article></main>')
    elif layout == 1:
        body.append(f'<div class="detail"><h1 class="detail-title">{_esc(title)}</h1>')
        body.append(f'<div class="detail-sapo">{_esc(paras[0])}</div><div class="detail-content">')
        body += [f"<p>{_esc(x)}</p>" for x in paras[1:]]
        body.append("</div></div>")
    else:
        body.append(f'<table width="100%"><tr><td class="left">{nav}</td><td class="main"><h2>{_esc(title)}</h2>'
                    + "<br><br>".join(_esc(x) for x in paras) + "</td></tr></table>")
    related = [ln.lstrip("- ") for f in furniture for ln in f.splitlines()[1:] if ln.startswith("- ")]
    related += [f"{NAV[k % len(NAV)]}: {slug.replace('-', ' ')} ({k})" for k in range(rnd.randint(4, 10))]
    body.append('<aside class="related"><h3>Related</h3><ul>'
                + "".join(f'<li><a href="/r/{k}">{_esc(x)}</a></li>' for k, x in enumerate(related)) + "</ul></aside>")
    body.append(f'<footer><p>© {day[:4]} {_esc(site)}. All rights reserved.</p><p>12 Example Street, Hanoi · Tel. 024 0000 0000</p>'
                f'<ul>{nav}</ul></footer><script>{script[: len(script) // 2]}</script></body></html>')
    return "\n".join(head + body)


#: what no extracted article text may hold: the cookie notice, the address and the copyright line
PAGE_FURNITURE = ("This site uses cookies", "12 Example Street", "All rights reserved")


def generate_pages(folder: Path, n: int, seed: int = 7) -> list[tuple[Path, dict]]:
    """``n`` saved web pages of the same articles as ``generate(folder, n, seed)``, with what each
    page's text must hold: (path, {"title", "lead": first paragraph, "published": ISO day}): each
    layout gives the day, in its metadata or, on the old portal, in the URL."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rnd, prnd = random.Random(seed), random.Random(seed + 1)
    out = []
    for i in range(n):
        name, _text, parts = _compose(rnd, i)
        p = folder / name.replace(".txt", ".html")
        p.write_text(page(prnd, parts, i), encoding="utf-8")
        out.append((p, {"title": parts["title"], "lead": parts["paras"][0], "published": parts["published"]}))
    return out


if __name__ == "__main__":
    import sys

    for p in generate(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10)[:3]:
        print(p)
