"""Sentence classes, commitments, background and figures on the seeds and the labelled set."""
from __future__ import annotations

import importlib.util
import json
import time
from functools import lru_cache
from pathlib import Path

import pytest

from briefgen.analysis import classify, people, sentences
from briefgen.model import Article, DateMention, Sentence
from briefgen.readers.text import read_text
from briefgen.settings import Settings


def slowdown() -> float:
    """How much slower this machine is right now than the reference (a busy CI box): budgets scale."""
    t0 = time.process_time()
    sum(range(2_000_000))
    return max(1.0, (time.process_time() - t0) / 0.025)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
LANG = {"000": "id", "001": "de", "002": "vi", "003": "de", "004": "vi"}


def _dates(article, sents, lang):
    """The project's date tagger when it works; the classifier must not depend on it."""
    try:
        from briefgen.analysis import dates as d

        anchor, _src, _conf = d.article_date(article, sents, lang)
        return anchor, d.find_dates(article.text, lang, anchor, sents)
    except Exception:  # noqa: BLE001 - another module's failure is not this module's
        return None, []


@lru_cache(maxsize=None)
def seed(prefix: str):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    art = read_text(path, path.read_bytes(), path.name, Settings())[0]
    lang = LANG[prefix]
    sents = sentences.split(art.text, lang)
    anchor, dm = _dates(art, sents, lang)
    classes = classify.classify(sents, lang, dm, anchor, set())
    commits, background, figures = classify.extract(art, sents, classes, lang, dm)
    return art, sents, classes, commits, background, figures


def class_of(prefix: str, needle: str) -> str:
    _art, sents, classes, *_ = seed(prefix)
    hits = [classes[s.index] for s in sents if needle in s.text]
    assert hits, needle
    return hits[0]


def commitment_with(prefix: str, evidence: str):
    commits = seed(prefix)[3]
    found = [c for c in commits if evidence in c.evidence]
    assert found, f"no commitment with evidence {evidence!r}: {[c.text[:60] for c in commits]}"
    return found[0]


# --------------------------------------------------------------------------- seeds: commitments


@pytest.mark.parametrize(
    "prefix,evidence,who",
    [
        ("000", "Kementerian Kesehatan sedang menyelesaikan Rancangan Perjanjian tentang Kerja Sama Antarpemerintah di Sektor Kesehatan dengan Prancis", "Kementerian Kesehatan"),
        ("000", "mempersingkat waktu dan prosedur impor peralatan dan bahan medis dari Prancis", "Kementerian Kesehatan"),
        ("001", "treiben das vietnamesische und das französische Gesundheitsministerium derzeit die Unterzeichnung eines bilateralen Gesundheitskooperationsabkommens voran", "Gesundheitsministerium"),
        ("001", "Das vietnamesische Gesundheitsministerium verpflichtet sich, weiterhin günstige Bedingungen für die medizinische Zusammenarbeit zwischen Vietnam und Frankreich zu schaffen", "Das vietnamesische Gesundheitsministerium"),
        ("002", "Hiện Bộ Y tế Việt Nam và Bộ Y tế Công cộng Pháp đang xúc tiến ký kết Hiệp định hợp tác y tế song phương", "Bộ Y tế Việt Nam và Bộ Y tế Công cộng Pháp"),
        ("002", "Bộ Y tế Việt Nam khẳng định sẽ tạo mọi điều kiện thuận lợi", "Bộ Y tế Việt Nam"),
        ("003", "die regelmäßige Aufrechterhaltung des Mechanismus jährlicher medizinischer Austauschkonferenzen im Wechsel mit der Organisation", "Die Parteien"),
        ("003", "Die Gesundheits- und Medizinkommission von Guangxi sicherte den angrenzenden vietnamesischen Provinzen ihre Unterstützung", "Guangxi"),
        ("004", "hỗ trợ thúc đẩy chuyển đổi số trong lĩnh vực khám chữa bệnh", "TBI"),
        ("004", "Cá nhân ông sẽ tiếp tục nỗ lực đóng góp để quan hệ Việt Nam - Anh phát triển hơn nữa", "Michael McNair"),
    ],
)
def test_seed_commitments(prefix, evidence, who):
    art = seed(prefix)[0]
    c = commitment_with(prefix, evidence)
    assert c.evidence in art.text  # the full sentence, verbatim
    assert c.text in c.evidence and c.text  # the clause is a verbatim span of it
    assert evidence in c.text or c.text in evidence
    assert c.who and who in c.who, c.who
    assert c.article_id == art.id and c.sentence >= 0


def test_seed_001_does_not_promise_predictions_or_passives():
    commits = seed("001")[3]
    texts = " ".join(c.evidence for c in commits)
    assert "Es wird erwartet" not in texts  # an expectation
    assert "Der Abkommensentwurf wird derzeit" not in texts  # a passive "wird"
    assert "Die Kooperationsaktivitäten werden immer" not in texts  # "werden" = become


def test_commitment_in_milestone_sentence_is_still_extracted():
    art, sents, _classes, *_ = seed("003")
    lang = "de"
    idx = next(s.index for s in sents if "Kooperationsrichtungen für den Zeitraum 2025-2026" in s.text)
    classes = classify.classify(sents, lang, [], None, {idx})
    assert classes[idx] == "milestone"
    commits, _bg, _figs = classify.extract(art, sents, classes, lang, [])
    assert any(c.sentence == idx and c.who == "Die Parteien" for c in commits)


# --------------------------------------------------------------------------- seeds: noise, background, figures


@pytest.mark.parametrize(
    "prefix,needle",
    [
        ("000", "Suasana kerja."),
        ("000", "berfoto kenang-kenangan"),
        ("000", "mengucapkan terima kasih"),
        ("000", "(mengenakan dasi)"),
        ("002", "Toàn cảnh tọa đàm."),
        ("002", "Thứ trưởng Bộ Y tế Trần Văn Thuấn phát biểu tại tọa đàm."),
        ("003", "Konferenzübersicht."),
        ("003", "Konferenzteilnehmer machen ein Erinnerungsfoto."),
        ("003", "sprach auf der Konferenz"),
    ],
)
def test_seed_captions_and_thanks_are_noise(prefix, needle):
    assert class_of(prefix, needle) == "noise"


def test_seed_background_items_and_scores():
    bg000 = seed("000")[4]
    factories = [b for b in bg000 if "114 pabrik" in b.text]
    assert factories and "114 pabrik yang diinvestasikan oleh perusahaan Prancis" in factories[0].figures
    assert "260 jenis obat" in factories[0].figures
    assert any("ditandatangani pada tahun 1993" in b.evidence for b in bg000)
    bg001 = seed("001")[4]
    assert any("seit Anfang der 1990er Jahre" in b.text for b in bg001)
    assert any("fast 100 direkte Partnerschaften" in b.figures for b in bg001)
    bg002 = seed("002")[4]
    assert any("từ những năm 1990" in b.text for b in bg002)
    assert any("gần 100 cặp đối tác" in f for b in bg002 for f in b.figures)
    for bg in (bg000, bg001, bg002):
        scores = [b.score for b in bg]
        assert scores == sorted(scores, reverse=True)  # ranked for trimming
        assert all(b.evidence and b.text for b in bg)
    # items with figures and history outrank plain ones
    assert factories[0].score > min(b.score for b in bg000)


def test_seed_figures_keep_their_meaning_and_skip_identifiers():
    figs000 = {f.value: f.text for f in seed("000")[5]}
    assert figs000["114"] == "114 pabrik yang diinvestasikan oleh perusahaan Prancis"
    assert figs000["260"] == "260 jenis obat"
    assert not any(v in figs000 for v in ("57", "59", "72", "1993", "2026"))  # resolutions, years
    figs001 = {f.text for f in seed("001")[5]}
    assert "fast 100 direkte Partnerschaften" in figs001
    assert "mehr als 20 französische Ärztevereinigungen" in figs001
    assert "fünf Französisch-Vietnamesische Medizinische Konferenzen" in figs001
    figs002 = {f.text for f in seed("002")[5]}
    assert any(t.startswith("gần 100 cặp đối tác") for t in figs002)
    assert any(t.startswith("năm kỳ Hội nghị Y học Pháp - Việt") for t in figs002)
    assert not any(t.startswith("năm 2025") for t in figs002)  # "năm" = year before a digit
    figs003 = {f.value for f in seed("003")[5]}
    assert "1369" not in figs003 and "75" not in figs003  # border marker, ordinal


# --------------------------------------------------------------------------- labelled set


def _scorer():
    spec = importlib.util.spec_from_file_location("score_content", ROOT / "scripts" / "score_content.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_labelled_classes_meet_targets():
    data = [json.loads(line) for line in (ROOT / "tests/data/content/classes.jsonl").open(encoding="utf-8")]
    assert len(data) >= 80 and len({d["lang"] for d in data}) >= 5
    result = _scorer().score_classes()
    c = result["classes"]
    assert c["commitment"]["precision"] >= 0.85 and c["commitment"]["recall"] >= 0.85, c["commitment"]
    assert c["noise"]["precision"] >= 0.85 and c["noise"]["recall"] >= 0.85, c["noise"]
    assert c["background"]["f1"] >= 0.8, c["background"]
    assert result["accuracy"] >= 0.85
    assert result["who_accuracy"] >= 0.8


def test_labelled_people_meet_targets():
    data = [json.loads(line) for line in (ROOT / "tests/data/content/people.jsonl").open(encoding="utf-8")]
    assert sum(len(d["people"]) for d in data) >= 40
    scorer = _scorer()
    dev = scorer.score_people()
    assert dev["names"]["f1"] >= 0.9 and dev["names"]["precision"] >= 0.9, dev["names"]
    assert dev["role_accuracy"] >= 0.85
    for name in ("people_holdout.jsonl", "people_holdout2.jsonl"):
        held = scorer.score_people(name=name)
        assert held["names"]["f1"] >= 0.85 and held["names"]["precision"] >= 0.9, (name, held["names"])
        assert held["role_accuracy"] >= 0.85


@pytest.mark.parametrize("name", ["classes_holdout.jsonl", "classes_holdout2.jsonl"])
def test_holdout_classes_meet_targets(name):
    result = _scorer().score_classes(name=name)
    c = result["classes"]
    assert result["sentences"] >= 40 and len(result["languages"]) >= 9
    assert c["commitment"]["precision"] >= 0.85 and c["commitment"]["recall"] >= 0.85, c["commitment"]
    assert c["noise"]["precision"] >= 0.85 and c["noise"]["recall"] >= 0.85, c["noise"]
    assert result["accuracy"] >= 0.85
    assert result["who_accuracy"] >= 0.8


# --------------------------------------------------------------------------- robustness and speed


@pytest.mark.parametrize("text", ["", "\u200b", "?!", "sẽ " * 3000, "Foto: " * 500, "1.000 " * 2000, "Bộ " * 4000])
def test_bad_input_never_crashes(text):
    art = Article(id="x", path="x", text=text)
    for lang in ("vi", "de", "zh", "xx", ""):
        sents = sentences.split(text, lang)
        classes = classify.classify(sents, lang, [], None, set())
        assert len(classes) == len(sents)
        classify.extract(art, sents, classes, lang, [DateMention("2025", 0, 4, "2025", "year", sentence=0)])


def test_classes_and_extract_are_fast():
    arts = [seed(p) for p in LANG]
    runs = 20
    t0 = time.process_time()
    for i in range(runs):
        classify._hits.cache_clear()
        classify._who_plain.cache_clear()
        classify._figs_cached.cache_clear()
        people.mentions.cache_clear()
        for (art, sents, _c, *_rest), lang in zip(arts, LANG.values()):
            cl = classify.classify(sents, lang, [], None, set())
            classify.extract(art, sents, cl, lang, [])
    per_kb = (time.process_time() - t0) * 1000 / runs / (sum(len(a[0].text) for a in arts) / 1000)
    assert per_kb < 0.5 * slowdown(), f"{per_kb:.3f} ms per KB"


def test_sentence_record_is_used_as_given():
    s = [Sentence(index=0, text="Bộ Y tế cam kết hỗ trợ.", start=10, end=33)]
    art = Article(id="a", path="a", text=" " * 10 + s[0].text)
    cl = classify.classify(s, "vi", [], None, set())
    commits, _b, _f = classify.extract(art, s, cl, "vi", [])
    assert cl == ["commitment"] and commits[0].who == "Bộ Y tế" and commits[0].sentence == 0


@pytest.mark.parametrize(
    "lang,text,who",
    [
        ("ru", "Министерство здравоохранения обязуется поддержать больницы. Соглашение было подписано в 1995 году.", "Министерство здравоохранения"),
        ("zh", "卫生部承诺将继续支持越南医院。两国自1950年建立外交关系以来合作不断。", "卫生部"),
        ("ja", "厚生労働省はベトナムの病院への支援を継続すると約束した。両国は1973年に外交関係を樹立した。", "厚生労働省"),
        ("ko", "보건복지부는 베트남 병원 지원을 계속할 것이라고 약속했다. 양국은 1992년 수교 이래 협력해 왔다.", "보건복지부"),
        ("it", "Il Ministero della Salute si impegna a sostenere gli ospedali. L'accordo è stato firmato nel 2009.", "Il Ministero della Salute"),
        ("nl", "Het ministerie van Volksgezondheid zal de ziekenhuizen blijven steunen. Sinds 2010 werken beide landen samen.", "Het ministerie van Volksgezondheid"),
        ("pt", "O Ministério da Saúde se compromete a apoiar os hospitais. O acordo foi assinado em 2004.", "O Ministério da Saúde"),
        ("pl", "Ministerstwo Zdrowia zobowiązało się do wsparcia szpitali. Umowa została podpisana w 2019 r.", "Ministerstwo Zdrowia"),
        ("tr", "Sağlık Bakanlığı iki ülke arasında işbirliğine devam edecek. Anlaşma 2015 yılında imzalanan protokole dayanıyor.", "Sağlık Bakanlığı"),
    ],
)
def test_commitment_then_background_in_more_languages(lang, text, who):
    sents = sentences.split(text, lang)
    assert len(sents) == 2
    classes = classify.classify(sents, lang, [], "2025-11-01", set())
    assert classes == ["commitment", "background"]
    commits, background, _f = classify.extract(Article(id="m", path="m", text=text), sents, classes, lang, [])
    assert commits[0].who == who
    assert background and background[0].sentence == 1


def test_dateline_is_not_part_of_the_commitment_and_alone_is_noise():
    text = "HANOI, October 14, 2025 — Japan will provide a new loan of 48 billion yen for the metro.\nMadrid, 9 de septiembre de 2025."
    sents = sentences.split(text, "en")
    classes = classify.classify(sents, "en", [], None, set())
    assert classes == ["commitment", "noise"]
    commits, background, _f = classify.extract(Article(id="d", path="d", text=text), sents, classes, "en", [])
    assert commits[0].text.startswith("Japan will provide") and commits[0].who == "Japan"
    assert not any(b.text.startswith("HANOI") for b in background)
    de = "18. November 2025 – Deutschland und Vietnam wollen die Ausbildung von Pflegekräften ausweiten."
    s = sentences.split(de, "de")
    c = classify.classify(s, "de", [], None, set())
    commits, _b, _f = classify.extract(Article(id="e", path="e", text=de), s, c, "de", [])
    assert commits[0].who == "Deutschland und Vietnam" and commits[0].text.startswith("Deutschland")


def test_future_years_do_not_make_the_article_date():
    text = ("Paris, le 22 octobre 2025 – La ministre a reçu la délégation.\n"
            "La France s'est engagée à financer 200 bourses entre 2026 et 2030.")
    sents = sentences.split(text, "fr")
    classes = classify.classify(sents, "fr", [], None, set())
    _c, background, _f = classify.extract(Article(id="f", path="f", text=text), sents, classes, "fr", [])
    for b in background:
        assert not (b.sentence == 1 and b.text.startswith("La France s'est engagée")), "a plan is not history"


@pytest.mark.parametrize("lang,chunk", [("de", "1.000 Ärzte, "), ("vi", "gần 100 cặp đối tác "), ("id", "Kementerian akan ")])
def test_one_huge_sentence_stays_linear(lang, chunk):
    text = chunk * (1_000_000 // len(chunk))  # ~1 MB, a single sentence
    sents = sentences.split(text, lang)
    t0 = time.process_time()
    classes = classify.classify(sents, lang, [], None, set())
    classify.extract(Article(id="h", path="h", text=text), sents, classes, lang, [])
    assert time.process_time() - t0 < 2.0 * slowdown()


@pytest.mark.parametrize("text,cls,who", [
    # "会见" (met) and "委员会" (committee) contain "会" (will) but are not a promise
    ("新华社河内11月6日电 越南副部长会见了由法国外交部长率领的代表团。", "other", None),
    ("联合委员会成员参观了河内的医院。", "other", None),
    # the party is the head of the first clause, not the whole clause before the cue
    ("双方回顾了卫生领域的合作，并同意扩大各机构之间的交流。", "commitment", "双方"),
    # a country name is found without spaces around it
    ("瑞典承诺提供6700万美元，支持越南的数字化转型项目。", "commitment", "瑞典"),
])
def test_chinese_cues_inside_words_and_parties_without_spaces(text, cls, who):
    sents = sentences.split(text, "zh")
    classes = classify.classify(sents, "zh", [], "2026-11-06", set())
    assert classes == [cls]
    commits, _b, _f = classify.extract(Article(id="z", path="z", text=text), sents, classes, "zh", [])
    assert [c.who for c in commits] == ([who] if who else [])
