"""Hand-built Brief records for the writer tests (no analysis modules involved).

``multilingual_brief()`` is a realistic ~3-page country brief on cooperation between Vietnam and
France / Indonesia / Germany / China: extracted sentences stay in Vietnamese, Indonesian, German,
French and Chinese, labels are English. ``hostile_brief()`` carries markup, template syntax and
URLs in every text field a writer prints.
"""
from __future__ import annotations

import copy

from briefgen.brief import labels
from briefgen.model import Brief, BriefItem, MilestoneRow, PersonRow, Source

SOURCES = [
    Source(1, "a1", "Thứ trưởng Trần Văn Thuấn làm việc với đoàn công tác Bộ Châu Âu và Ngoại giao Pháp",
           "https://suckhoedoisong.vn/thu-truong-tran-van-thuan-lam-viec-169251106233148299.htm", "vi", "Vietnamese",
           "2025-11-06", "seeds/000"),
    Source(2, "a2", "Hợp tác y tế Việt Nam - Pháp bước vào giai đoạn phát triển mới", "https://baodautu.vn/hop-tac-y-te-viet-nam-phap-d312345.html",
           "vi", "Vietnamese", "2025-10-31", "seeds/002"),
    Source(3, "a3", "Indonesia dan Vietnam sepakat perkuat kerja sama perdagangan dan perikanan",
           "https://www.antaranews.com/berita/4812345/indonesia-dan-vietnam-sepakat-perkuat-kerja-sama", "id", "Indonesian",
           "2026-03-14", "seeds/001"),
    Source(4, "a4", "Deutschland und Vietnam vertiefen Zusammenarbeit bei Fachkräften und Energiewende",
           "https://www.bmz.de/de/aktuelles/deutschland-vietnam-energiepartnerschaft-2026", "de", "German",
           "2026-05-20", "seeds/003"),
    Source(5, "a5", "La France et le Vietnam signent une feuille de route pour la santé publique",
           "https://www.diplomatie.gouv.fr/fr/dossiers-pays/vietnam/evenements/article/feuille-de-route-sante", "fr", "French",
           "2026-06-02", "seeds/004"),
    Source(6, "a6", "中越两国签署数字经济与绿色发展合作谅解备忘录", "https://www.mofcom.gov.cn/article/xwfb/202607/20260703512345.shtml",
           "zh", "Chinese", "2026-07-09", "feeds/zh-01"),
    Source(7, "a7", "Pháp hỗ trợ đào tạo 200 bác sĩ nội trú Việt Nam giai đoạn 2026–2030", None, "vi", "Vietnamese",
           None, "seeds/005"),
    Source(8, "a8", "Kemenkes RI dan Kementerian Kesehatan Vietnam bahas produksi vaksin bersama",
           "https://sehatnegeriku.kemkes.go.id/baca/rilis-media/20260815/kerja-sama-vaksin-vietnam", "id", "Indonesian",
           "2026-08-15", "feeds/id-07"),
]

BACKGROUND = [
    ("Di Vietnam, saat ini terdapat 114 pabrik yang diinvestasikan oleh perusahaan Prancis, terdaftar untuk mengedarkan 260 jenis obat.", "id", [1, 3]),
    ("Hiện có gần 100 cặp đối tác hợp tác trực tiếp giữa các cơ sở y tế và đào tạo của hai nước, tập trung vào tim mạch, ung bướu và y học hạt nhân.", "vi", [2]),
    ("Pháp là nhà tài trợ ODA lớn thứ hai của châu Âu cho Việt Nam trong lĩnh vực y tế, với tổng vốn cam kết khoảng 180 triệu euro kể từ năm 2010.", "vi", [2, 7]),
    ("Seit 2019 haben mehr als 3.400 vietnamesische Pflegekräfte eine Ausbildung in Deutschland begonnen; die Abbruchquote liegt unter acht Prozent.", "de", [4]),
    ("Die Energiepartnerschaft umfasst Offshore-Windkraft, Netzstabilität und die Ausbildung von Fachkräften für Übertragungsnetze in Hà Nội und Đà Nẵng.", "de", [4]),
    ("La coopération hospitalière franco-vietnamienne réunit aujourd'hui l'AP-HP, les Hospices civils de Lyon et l'Institut Pasteur de Hô Chi Minh-Ville.", "fr", [5]),
    ("Près de 40 % des médecins spécialistes vietnamiens formés à l'étranger l'ont été en France au cours des deux dernières décennies.", "fr", [5, 7]),
    ("双方同意在数字经济、跨境电子商务和绿色低碳发展领域加强政策沟通与项目对接。", "zh", [6]),
    ("2025年中越双边贸易额突破2600亿美元，中国连续多年保持越南第一大贸易伙伴地位。", "zh", [6]),
    ("Nilai perdagangan bilateral Indonesia–Vietnam mencapai 16,7 miliar dolar AS pada 2025, dengan target 18 miliar dolar AS pada 2028.", "id", [3]),
    ("Kedua negara juga membahas penangkapan ikan ilegal di perairan Natuna Utara dan mekanisme patroli terkoordinasi.", "id", [3, 8]),
    ("Bệnh viện Bạch Mai và Bệnh viện Đại học Y Hà Nội là hai đầu mối chính của chương trình đào tạo bác sĩ nội trú tại Pháp.", "vi", [7]),
]

FIGURES = [
    ("114 pabrik yang diinvestasikan oleh perusahaan Prancis", "id", [1]),
    ("180 triệu euro vốn ODA y tế cam kết từ năm 2010", "vi", [2]),
    ("3.400 vietnamesische Pflegekräfte seit 2019", "de", [4]),
    ("2600亿美元双边贸易额（2025年）", "zh", [6]),
]

COMMITMENTS = [
    ("Bộ Y tế Việt Nam", "đang xúc tiến ký kết Hiệp định hợp tác y tế song phương với Pháp trong năm 2026.", "vi", [1, 2]),
    ("Kementerian Perdagangan RI", "berkomitmen menurunkan hambatan non-tarif untuk produk perikanan Vietnam sebelum akhir 2026.", "id", [3]),
    ("Bundesministerium für wirtschaftliche Zusammenarbeit", "sagt weitere 45 Millionen Euro für die Energiepartnerschaft bis 2028 zu.", "de", [4]),
    ("Die Bundesagentur für Arbeit", "wird ein Anerkennungsbüro für Pflegeabschlüsse in Hà Nội eröffnen.", "de", [4]),
    ("Le ministère de l'Europe et des Affaires étrangères", "s'engage à financer 200 bourses d'internat pour de jeunes médecins vietnamiens entre 2026 et 2030.", "fr", [5, 7]),
    ("L'Agence française de développement", "mobilisera un prêt de 80 millions d'euros pour la modernisation de l'hôpital de Huế.", "fr", [5]),
    ("中国商务部", "将支持越南企业参加第九届中国国际进口博览会，并为其提供展位费用减免。", "zh", [6]),
    ("越南工贸部", "承诺简化中国绿色能源企业的投资审批程序。", "zh", [6]),
    ("Kemenkes RI", "siap berbagi teknologi produksi vaksin rotavirus dengan Vabiotech Vietnam.", "id", [8]),
    (None, "Hai bên nhất trí thành lập nhóm công tác chung về dược phẩm, họp định kỳ sáu tháng một lần.", "vi", [2]),
    ("Thứ trưởng Trần Văn Thuấn", "đề nghị phía Pháp hỗ trợ chuyển giao kỹ thuật ghép tạng và y học hạt nhân.", "vi", [1]),
]

MILESTONES = [
    ("2026-04", "April 2026", "penandatanganan pada Konferensi Satu Kesehatan yang diselenggarakan di Lyon, Prancis pada bulan April 2026", "id", "signing", "Signing", "Lyon", "passed-unconfirmed", "passed — no confirmation in sources", [1]),
    ("2026-09-15", "15 September 2026", "Erste Sitzung des deutsch-vietnamesischen Lenkungsausschusses zur Energiepartnerschaft", "de", "meeting", "Meeting", "Berlin", "passed", "passed", [4]),
    ("2026-11", "November 2026", "越南企业参展第九届中国国际进口博览会", "zh", "event", "Event", "上海", "due", "due this month", [6]),
    ("2026-12-03", "3 December 2026", "Lancement officiel du programme de bourses d'internat à l'ambassade de France à Hà Nội", "fr", "launch", "Launch", "Hà Nội", "upcoming", "upcoming", [5, 7]),
    ("2027-Q1", "Q1 2027", "Sidang Komisi Bersama Indonesia–Vietnam ke-6 untuk meninjau target perdagangan", "id", "meeting", "Meeting", "Jakarta", "upcoming", "upcoming", [3]),
    ("2027-03-10/2027-03-12", "10–12 March 2027", "Hội nghị y tế Pháp - Việt lần thứ 10 tại Thành phố Hồ Chí Minh", "vi", "conference", "Conference", "Thành phố Hồ Chí Minh", "upcoming", "upcoming", [2]),
    ("2027-06", "June 2027", "Inbetriebnahme des ersten Ausbildungszentrums für Netztechnik in Đà Nẵng", "de", "deadline", "Deadline", "Đà Nẵng", "upcoming", "upcoming", [4]),
    ("2027-H2", "H2 2027", "Mise en service du nouveau bloc opératoire de l'hôpital central de Huế", "fr", "deadline", "Deadline", "Huế", "upcoming", "upcoming", [5]),
    ("2028", "2028", "Target perdagangan bilateral 18 miliar dolar AS", "id", "target", "Target", None, "upcoming", "upcoming", [3]),
]

PEOPLE = [
    ("Trần Văn Thuấn", ["Deputy Minister of Health", "Thứ trưởng Bộ Y tế"], [1, 2]),
    ("Olivier Brochet", ["Ambassadeur de France au Vietnam"], [2, 5]),
    ("Budi Gunadi Sadikin", ["Menteri Kesehatan Republik Indonesia"], [8]),
    ("Svenja Schulze", ["Bundesministerin für wirtschaftliche Zusammenarbeit und Entwicklung"], [4]),
    ("Nguyễn Thị Hồng Hạnh", ["Giám đốc Bệnh viện Bạch Mai"], [7]),
    ("Jean-François Delfraissy", ["Président du Comité consultatif national d'éthique"], [5]),
    ("王文涛", ["中国商务部部长"], [6]),
    ("Nguyễn Hồng Diên", ["Bộ trưởng Bộ Công Thương"], [6]),
    ("Zulkifli Hasan", ["Menteri Perdagangan"], [3]),
    ("Günther Weiß", ["Leiter des Büros der GIZ in Hà Nội"], [4]),
]


def multilingual_brief(*, cjk: bool = True, organisation: str = "Ministry of Health — International Cooperation Department",
                       marking: str = "For official use") -> Brief:
    """A ~3-page brief; with ``cjk=False`` the Chinese items and source are left out."""
    def keep(lang):
        return cjk or lang != "zh"

    sources = [copy.copy(s) for s in SOURCES if keep(s.language)]
    known = {s.n for s in sources}

    def cites(c):
        return [n for n in c if n in known] or [sources[0].n]
    b = Brief(
        country="FR", country_name="France", subject="Cooperation with France and regional partners in health, trade and energy",
        as_of="2026-11-23", as_of_display="23 November 2026", home_country="VN", home_country_name="Vietnam",
        output_lang="en", languages=sorted({s.language_name for s in sources}), sources=sources,
        background=[BriefItem(t, lg, cites(c)) for t, lg, c in BACKGROUND if keep(lg)],
        commitments=[BriefItem(t, lg, cites(c), who=w) for w, t, lg, c in COMMITMENTS if keep(lg)],
        milestones=[MilestoneRow(*m[:9], citations=cites(m[9])) for m in MILESTONES if keep(m[3])],
        people=[PersonRow(n, list(r), cites(c)) for n, r, c in PEOPLE if cjk or not any("\u4e00" <= ch <= "\u9fff" for ch in n + "".join(r))],
        figures=[BriefItem(t, lg, cites(c)) for t, lg, c in FIGURES if keep(lg)],
        omitted={"background": 3},
        labels=labels("en"),
        organisation=organisation, marking=marking,
    )
    return b


HOSTILE = [
    '<script>alert("x")</script>',
    "{{ 7*7 }}",
    "{% raw %}",
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
    '<iframe src="https://example.org/evil"></iframe>',
    "url(file:///etc/shadow)",
    "**bold** _it_ [link](http://127.0.0.1:9/md) | pipe",
]
HOSTILE_MARKING = '"; } body { display:none } /*'


def hostile_brief() -> Brief:
    """Every printed text field carries markup, template syntax or an external reference."""
    h = " ".join(HOSTILE)
    b = multilingual_brief(cjk=False, organisation="Org " + h, marking=HOSTILE_MARKING)
    b.country_name = "France " + HOSTILE[3]
    b.subject = "Subject " + h
    b.sources[0].title = "Title " + h
    b.sources[1].url = "http://127.0.0.1:9/x.css"
    b.background[0].text = "Background " + h
    b.commitments[0].who = "Who " + HOSTILE[0]
    b.commitments[0].text = "Commitment " + h
    b.milestones[0].what = "Milestone " + h
    b.milestones[0].place = HOSTILE[4]
    b.people[0].name = "Name " + HOSTILE[3]
    b.people[0].roles = ["Role " + h]
    return b
