"""Generator of the labelled story set and of synthetic archives for benchmarks.

Events are composed from facts (place, date, officials, numbers) and each
office that reports one writes its own version: its own title and intro,
paragraphs reordered or dropped, verbs swapped for synonyms, a dateline of
its city or of the venue, its own closing paragraph and footer. All text is
written for this project (fictional officials, invented figures).

Hard negatives are built in on purpose:

* the same release template used for different events: "Rapat Koordinasi
  Kehumasan" in three provinces the same week, "Rembuk Stunting" in four
  regencies, market inspections in three cities on the same day, anniversary
  ceremonies and inaugurations with shared wording;
* day 1, day 2 and day 3 of one training, published by the same office with
  the same background paragraphs;
* a police station's weekly "Jumat Curhat" in different villages.

Run ``python -m tests.support.story_corpus`` to rewrite
``tests/data/stories/labelled.json`` (deterministic: seeded).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
DATA = Path(__file__).resolve().parents[1] / "data" / "stories" / "labelled.json"

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]


@dataclass(frozen=True)
class Office:
    id: str
    kind: str
    name: str
    short: str
    city: str
    leader_title: str
    leader: str
    tz: timezone = WIB


@dataclass(frozen=True)
class Province:
    name: str
    short: str
    capital: str
    governor: str
    regencies: tuple[tuple[str, str, str], ...]  # (name, kind pemkab|pemkot, head)
    count: int  # number of regencies/cities
    tz: timezone = WIB


PROVINCES = [
    Province("Jawa Tengah", "Jateng", "Semarang", "Bambang Sutrisno",
             (("Kudus", "pemkab", "Hendra Wicaksono"), ("Pati", "pemkab", "Sri Lestari"),
              ("Demak", "pemkab", "Agus Priyanto"), ("Jepara", "pemkab", "Nur Hidayah"),
              ("Salatiga", "pemkot", "Yuliana Kartika"), ("Boyolali", "pemkab", "Wahyu Santoso")), 35),
    Province("Jawa Timur", "Jatim", "Surabaya", "Siti Rahmawati",
             (("Sidoarjo", "pemkab", "Rudi Hartono"), ("Gresik", "pemkab", "Dewi Anggraini"),
              ("Kediri", "pemkot", "Fajar Nugroho"), ("Jember", "pemkab", "Imam Syafii"),
              ("Madiun", "pemkot", "Lukas Pramono"), ("Tuban", "pemkab", "Ratna Sari")), 38),
    Province("Jawa Barat", "Jabar", "Bandung", "Asep Gunawan",
             (("Garut", "pemkab", "Dadang Suherman"), ("Sumedang", "pemkab", "Euis Komariah"),
              ("Cirebon", "pemkot", "Yusuf Maulana"), ("Bogor", "pemkab", "Hana Permata"),
              ("Tasikmalaya", "pemkot", "Iwan Setiawan")), 27),
    Province("Sulawesi Selatan", "Sulsel", "Makassar", "Andi Baso Mappanyukki",
             (("Gowa", "pemkab", "Syamsul Rijal"), ("Maros", "pemkab", "Nurhayati Daeng"),
              ("Bone", "pemkab", "Arifuddin Latif"), ("Parepare", "pemkot", "Hasnah Yusuf"),
              ("Wajo", "pemkab", "Muh Ikhsan")), 24, WITA),
    Province("Nusa Tenggara Barat", "NTB", "Mataram", "Lalu Ahmad Zaini",
             (("Lombok Barat", "pemkab", "Baiq Rosmini"), ("Sumbawa", "pemkab", "Jarot Hidayat"),
              ("Bima", "pemkot", "Muhammad Rum"), ("Dompu", "pemkab", "Kader Jaelani")), 10, WITA),
    Province("Kalimantan Timur", "Kaltim", "Samarinda", "Rusmadi Hamdan",
             (("Kutai Kartanegara", "pemkab", "Edi Damansyah"), ("Berau", "pemkab", "Sri Juniarsih"),
              ("Balikpapan", "pemkot", "Rahmad Mas'ud"), ("Paser", "pemkab", "Fahmi Fadli")), 10, WITA),
]

NATIONAL = [
    Office("kemenkominfo", "kementerian", "Kementerian Komunikasi dan Digital", "Komdigi", "Jakarta",
           "Menteri Komunikasi dan Digital", "Meutia Hapsari"),
    Office("kemendagri", "kementerian", "Kementerian Dalam Negeri", "Kemendagri", "Jakarta",
           "Menteri Dalam Negeri", "Tito Wirawan"),
    Office("kemenkes", "kementerian", "Kementerian Kesehatan", "Kemenkes", "Jakarta",
           "Menteri Kesehatan", "Budi Santosa"),
    Office("bnpb", "lembaga", "Badan Nasional Penanggulangan Bencana", "BNPB", "Jakarta",
           "Kepala BNPB", "Suharyono Adi"),
    Office("bapanas", "lembaga", "Badan Pangan Nasional", "Bapanas", "Jakarta",
           "Kepala Bapanas", "Arief Prasetyo"),
    Office("pln", "bumn", "PT PLN (Persero)", "PLN", "Jakarta", "Direktur Utama PLN", "Darmawan Putra"),
]


def province_office(p: Province) -> Office:
    slug = p.short.lower()
    return Office(f"pemprov-{slug}", "pemprov", f"Pemerintah Provinsi {p.name}", f"Pemprov {p.short}",
                  p.capital, f"Gubernur {p.name}", p.governor, p.tz)


def regency_office(p: Province, idx: int) -> Office:
    name, kind, head = p.regencies[idx]
    label = "Kabupaten" if kind == "pemkab" else "Kota"
    title = "Bupati" if kind == "pemkab" else "Wali Kota"
    slug = name.lower().replace(" ", "-")
    short = ("Pemkab " if kind == "pemkab" else "Pemkot ") + name
    return Office(f"{kind}-{slug}", kind, f"Pemerintah {label} {name}", short, name,
                  f"{title} {name}", head, p.tz)


def dprd_office(p: Province) -> Office:
    return Office(f"dprd-{p.short.lower()}", "dprd", f"DPRD Provinsi {p.name}", f"DPRD {p.short}",
                  p.capital, f"Ketua DPRD {p.name}", "Haryo Sumarno", p.tz)


def polda_office(p: Province) -> Office:
    return Office(f"polda-{p.short.lower()}", "tni-polri", f"Kepolisian Daerah {p.name}",
                  f"Polda {p.short}", p.capital, f"Kapolda {p.name}", "Irjen Pol Ahmad Luthfan", p.tz)


SYNONYMS: list[tuple[str, ...]] = [
    ("menghadiri", "hadir dalam", "mengikuti", "turut hadir pada"),
    ("mengatakan", "menyampaikan", "menuturkan", "menjelaskan", "mengungkapkan"),
    ("kegiatan", "acara", "agenda"),
    ("dalam rangka", "guna", "untuk"),
    ("berlangsung", "digelar", "dilaksanakan", "diselenggarakan"),
    ("meminta", "mengajak", "mendorong"),
    ("masyarakat", "warga"),
    ("sangat penting", "penting sekali", "krusial"),
    ("seluruh", "semua"),
    ("membuka", "secara resmi membuka"),
    ("menyerahkan", "memberikan"),
    ("harapannya", "ia berharap", "diharapkan"),
]

FOOTERS = [
    "(Humas {short})", "({short}/red)", "Editor: Tim Redaksi {short}", "Pewarta: Humas {short}",
    "Baca juga: Agenda pimpinan daerah pekan ini", "(adv)", "Sumber: Diskominfo {short}", "",
]


def rewrite(text: str, rng: random.Random) -> str:
    """Swap synonyms at random: offices rephrase verbs, not facts."""
    for group in SYNONYMS:
        for word in group:
            pattern = re.compile(rf"\b{re.escape(word)}\b")
            if pattern.search(text) and rng.random() < 0.6:
                text = pattern.sub(rng.choice(group), text, count=1)
                break
    return text


def tanggal(d: datetime, style: int) -> str:
    """The event date as different offices write it."""
    if style == 0:
        return f"{DAYS[d.weekday()]} ({d.day}/{d.month}/{d.year})"
    if style == 1:
        return f"{DAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"pada {DAYS[d.weekday()]} ({d.day}/{d.month})"


@dataclass
class Event:
    """One real-world event: its facts and the paragraphs every report draws from."""

    key: str
    date: datetime
    city: str
    venue: str
    host: Office
    titles: list[str]
    ledes: list[str]
    paragraphs: list[str]
    reporters: list[Office]
    tz: timezone = WIB
    facts: dict[str, str] = field(default_factory=dict)


def own_paragraph(office: Office, event: Event, rng: random.Random) -> str:
    """What a reporting office adds about itself."""
    options = [
        f"{office.leader_title} {office.leader} menyampaikan bahwa {office.name} siap "
        f"menindaklanjuti hasil {event.facts['what']} dengan langkah nyata di wilayahnya.",
        f"Dari {office.city}, hadir pula jajaran perangkat daerah terkait. {office.leader} "
        f"berharap {event.facts['what']} memberi manfaat langsung bagi warga {office.city}.",
        f"Usai acara, {office.leader} mengaku akan segera berkoordinasi dengan camat dan kepala "
        f"desa se-{office.city} agar hasilnya sampai ke tingkat bawah.",
        f"Keikutsertaan {office.short} dalam {event.facts['what']} merupakan bentuk komitmen "
        f"{office.leader_title} {office.leader} terhadap program prioritas daerah.",
    ]
    return rng.choice(options)


def compose(event: Event, office: Office, rng: random.Random, *, story: str) -> dict[str, object]:
    """One office's report of ``event``."""
    title = rng.choice(event.titles).format(office=office.short, leader=office.leader)
    style = rng.randrange(3)
    lede = rng.choice(event.ledes).format(tanggal=tanggal(event.date, style), office=office.short,
                                          leader=office.leader, leader_title=office.leader_title)
    host = office.id == event.host.id
    if not host and rng.random() < 0.6:
        lede = (f"{office.leader_title} {office.leader} {rng.choice(SYNONYMS[0])} "
                f"{event.facts['what']} di {event.venue}, {event.city}, "
                f"{tanggal(event.date, style)}. ") + lede
    paras = list(event.paragraphs)
    rng.shuffle(paras)
    keep = max(2, len(paras) - rng.randrange(0, 2))
    paras = paras[:keep]
    if not host and rng.random() < 0.8:
        paras.insert(rng.randrange(0, len(paras) + 1), own_paragraph(office, event, rng))
    dateline_city = event.city if (host or rng.random() < 0.7) else office.city
    dateline = rng.choice([f"{dateline_city.upper()} – ", f"{dateline_city}, {office.short} – ",
                           f"{dateline_city.upper()}, – ", ""])
    footer = rng.choice(FOOTERS).format(short=office.short)
    body = [dateline + rewrite(lede, rng)] + [rewrite(p, rng) for p in paras]
    if footer:
        body.append(footer)
    delay = timedelta(hours=rng.randrange(1, 30), minutes=rng.randrange(60))
    published = (event.date + delay).astimezone(office.tz)
    return {
        "id": f"{office.id}-{event.key}",
        "source_id": office.id,
        "kind": office.kind,
        "title": rewrite(title, rng),
        "content_html": "".join(f"<p>{p}</p>" for p in body),
        "published": published.isoformat(),
        "place": dateline_city if dateline else None,
        "story": story,
    }


# -- event types -----------------------------------------------------------------------------


def rakor_kehumasan(p: Province, day: datetime, rng: random.Random) -> Event:
    host = province_office(p)
    n = p.count
    peserta = 60 + 5 * rng.randrange(20)
    facts = {"what": f"Rapat Koordinasi Kehumasan se-Provinsi {p.name}"}
    return Event(
        key=f"rakorhumas-{p.short.lower()}", date=day, city=p.capital, venue="Gedung Grahadi Praja",
        host=host, tz=p.tz, facts=facts,
        titles=[f"Rakor Kehumasan se-{p.name}, Pemerintah Daerah Diminta Kompak Sampaikan Informasi",
                f"{{office}} Ikuti Rapat Koordinasi Kehumasan se-Provinsi {p.name}",
                f"Rapat Koordinasi Kehumasan {p.short} Bahas Narasi Tunggal Program Daerah",
                f"Humas Se-{p.short} Diminta Satu Suara dalam Publikasi Program Pembangunan"],
        ledes=[f"Rapat Koordinasi Kehumasan se-Provinsi {p.name} berlangsung di Gedung Grahadi Praja, "
               f"{p.capital}, {{tanggal}}. Kegiatan ini diikuti {peserta} pengelola humas dari {n} "
               f"kabupaten/kota.",
               f"Sebanyak {peserta} pengelola humas dari {n} kabupaten/kota se-{p.name} berkumpul di "
               f"{p.capital} {{tanggal}} dalam Rapat Koordinasi Kehumasan tahun ini."],
        paragraphs=[
            f"Gubernur {p.name} {p.governor} dalam sambutannya mengatakan bahwa kehumasan pemerintah "
            f"harus mampu menyampaikan program pembangunan secara cepat, tepat dan mudah dipahami "
            f"masyarakat. Menurutnya, informasi yang simpang siur justru menurunkan kepercayaan publik.",
            f"“Kita ingin seluruh humas di {n} kabupaten/kota memiliki narasi tunggal. Program "
            f"provinsi dan kabupaten harus disampaikan dengan satu suara,” kata {p.governor}.",
            f"Rapat koordinasi juga membahas pengelolaan media sosial resmi, penanganan hoaks dan "
            f"standar siaran pers. Kepala Diskominfo {p.short} memaparkan bahwa sepanjang tahun lalu "
            f"tercatat {rng.randrange(120, 400)} konten hoaks yang berhasil diklarifikasi.",
            f"Di akhir kegiatan, para peserta menandatangani komitmen bersama untuk memperkuat "
            f"jejaring kehumasan se-{p.name} dan berbagi konten melalui kanal yang terintegrasi.",
        ],
        reporters=[host] + [regency_office(p, i) for i in rng.sample(range(len(p.regencies)), 3)],
    )


def pelatihan(p: Province, start: datetime, day_no: int, rng: random.Random) -> Event:
    host = province_office(p)
    day = start + timedelta(days=day_no - 1)
    ordinal = ["pertama", "kedua", "ketiga"][day_no - 1]
    materi = [
        ("teknik menulis berita dan siaran pers", "wartawan senior Rinaldi Pohan",
         "struktur piramida terbalik dan cara menulis judul yang jujur"),
        ("fotografi dan videografi jurnalistik", "fotografer Galih Pradana",
         "komposisi gambar, pencahayaan alami dan penyuntingan video pendek di ponsel"),
        ("pengelolaan media sosial dan penanganan hoaks", "pegiat literasi digital Mira Kusuma",
         "verifikasi informasi, membaca metrik dan menjawab komentar warga"),
    ][day_no - 1]
    facts = {"what": f"Pelatihan Jurnalistik Humas {p.short}"}
    return Event(
        key=f"pelatihan-{p.short.lower()}-hari{day_no}", date=day, city=p.capital,
        venue="Hotel Santika Raya", host=host, tz=p.tz, facts=facts,
        titles=[f"Hari {ordinal.title()} Pelatihan Jurnalistik Humas {p.short}, Peserta Belajar "
                f"{materi[0].split(' dan ')[0].title()}",
                f"Pelatihan Jurnalistik Humas Hari {ordinal.title()}: Materi {materi[0].title()}",
                f"Pelatihan Jurnalistik bagi Pengelola Humas {p.short} Memasuki Hari {ordinal.title()}"],
        ledes=[f"Pelatihan Jurnalistik bagi Pengelola Humas se-{p.name} memasuki hari {ordinal} di "
               f"Hotel Santika Raya, {p.capital}, {{tanggal}}. Pada hari {ordinal} ini peserta "
               f"mendapat materi {materi[0]}.",
               f"Hari {ordinal} Pelatihan Jurnalistik Humas {p.short} {{tanggal}} diisi materi "
               f"{materi[0]} yang disampaikan {materi[1]}."],
        paragraphs=[
            f"Pelatihan yang diikuti 70 peserta dari perangkat daerah dan kabupaten/kota se-{p.name} "
            f"ini berlangsung selama tiga hari. Kegiatan tersebut bertujuan meningkatkan kemampuan "
            f"aparatur dalam menyajikan informasi pembangunan kepada masyarakat.",
            f"Kepala Diskominfo {p.short} mengatakan kemampuan menulis dan mengemas informasi "
            f"sangat penting agar program pemerintah dipahami warga. “Humas adalah wajah pemerintah. "
            f"Kalau informasinya rapi, kepercayaan masyarakat ikut tumbuh,” ujarnya.",
            f"Dalam sesinya, {materi[1]} menekankan {materi[2]}. Peserta langsung mempraktikkan "
            f"materi dan hasilnya dibahas bersama di akhir sesi.",
            f"Sesi {ordinal} ditutup dengan tugas kelompok. Setiap kelompok diminta menghasilkan "
            f"satu karya tentang {materi[0]} untuk dinilai oleh narasumber.",
        ],
        reporters=[host] + ([regency_office(p, i) for i in rng.sample(range(len(p.regencies)), 2)]
                            if day_no == 1 else [regency_office(p, rng.randrange(len(p.regencies)))]),
    )


def rembuk_stunting(p: Province, idx: int, day: datetime, rng: random.Random) -> Event:
    office = regency_office(p, idx)
    before = round(rng.uniform(16, 28), 1)
    after = round(before - rng.uniform(1.5, 5), 1)
    label = "Kabupaten" if office.kind == "pemkab" else "Kota"
    facts = {"what": f"Rembuk Stunting {label} {office.city}"}
    b, a = str(before).replace(".", ","), str(after).replace(".", ",")
    return Event(
        key=f"stunting-{office.id}", date=day, city=office.city, venue="Pendopo Kabupaten",
        host=office, tz=p.tz, facts=facts,
        titles=[f"Rembuk Stunting {label} {office.city}, Prevalensi Turun Jadi {a} Persen",
                f"{office.leader_title} Buka Rembuk Stunting Tahun Ini",
                f"{office.city} Perkuat Konvergensi Percepatan Penurunan Stunting"],
        ledes=[f"{office.leader_title} {office.leader} membuka Rembuk Stunting {label} {office.city} "
               f"di Pendopo Kabupaten, {{tanggal}}. Rembuk ini menjadi forum konvergensi seluruh "
               f"perangkat daerah dalam percepatan penurunan stunting."],
        paragraphs=[
            f"Berdasarkan data terbaru, prevalensi stunting di {office.city} turun dari {b} persen "
            f"menjadi {a} persen. Capaian tersebut merupakan hasil kerja bersama lintas sektor.",
            f"“Penurunan stunting tidak bisa dikerjakan satu dinas saja. Semua harus bergerak, dari "
            f"posyandu sampai kepala desa,” kata {office.leader}.",
            "Dalam rembuk tersebut juga ditandatangani komitmen bersama antara pemerintah daerah, "
            "camat, kepala desa dan tim penggerak PKK untuk menjalankan delapan aksi konvergensi.",
            f"Kepala Dinas Kesehatan {office.city} menambahkan, pemberian makanan tambahan bagi balita "
            f"dan ibu hamil akan diperluas ke {rng.randrange(8, 30)} desa lokus tahun ini.",
        ],
        reporters=[office, province_office(p)] + ([NATIONAL[2]] if rng.random() < 0.3 else []),
    )


def sidak_pasar(p: Province, idx: int, day: datetime, rng: random.Random) -> Event:
    office = regency_office(p, idx) if idx >= 0 else province_office(p)
    pasar = rng.choice(["Pasar Baru", "Pasar Induk", "Pasar Kliwon", "Pasar Sentral", "Pasar Legi"])
    beras = 12_500 + 500 * rng.randrange(6)
    cabai = 40_000 + 5_000 * rng.randrange(8)
    facts = {"what": f"sidak harga di {pasar} {office.city}"}
    return Event(
        key=f"sidak-{office.id}", date=day, city=office.city, venue=pasar, host=office, tz=p.tz,
        facts=facts,
        titles=[f"Jelang Ramadan, {office.leader_title} Sidak Harga Bahan Pokok di {pasar}",
                f"Sidak {pasar}, Stok Bahan Pokok di {office.city} Dipastikan Aman",
                f"Harga Cabai di {pasar} {office.city} Naik, Beras Stabil"],
        ledes=[f"Menjelang bulan suci Ramadan, {office.leader_title} {office.leader} melakukan "
               f"inspeksi mendadak ke {pasar}, {office.city}, {{tanggal}}.",
               f"{office.leader_title} {office.leader} meninjau harga dan ketersediaan bahan pokok di "
               f"{pasar} {office.city} {{tanggal}} pagi."],
        paragraphs=[
            f"Dari hasil pemantauan, harga beras medium stabil di kisaran Rp{beras:,} per kilogram, "
            f"sedangkan cabai rawit naik menjadi Rp{cabai:,} per kilogram.".replace(",", "."),
            f"“Stok aman sampai Lebaran. Kami minta warga tidak panic buying,” kata {office.leader} "
            f"kepada pedagang di {pasar}.",
            f"Pemerintah daerah akan menggelar operasi pasar murah di {rng.randrange(3, 12)} titik "
            f"bekerja sama dengan Bulog untuk menahan kenaikan harga.",
        ],
        reporters=[office, polda_office(p)] + ([NATIONAL[4]] if rng.random() < 0.4 else []),
    )


def banjir(p: Province, idx: int, day: datetime, rng: random.Random) -> Event:
    office = regency_office(p, idx)
    kec = rng.randrange(3, 9)
    rumah = rng.randrange(300, 2500)
    facts = {"what": f"penanganan banjir di {office.city}"}
    return Event(
        key=f"banjir-{office.id}", date=day, city=office.city, venue="posko pengungsian", host=office,
        tz=p.tz, facts=facts,
        titles=[f"Banjir Rendam {kec} Kecamatan di {office.city}, {rumah} Rumah Terdampak",
                f"BPBD Evakuasi Warga Terdampak Banjir {office.city}",
                f"{office.leader_title} Tinjau Posko Pengungsian Korban Banjir"],
        ledes=[f"Banjir akibat hujan deras sejak dini hari merendam {kec} kecamatan di {office.city} "
               f"{{tanggal}}. Sebanyak {rumah} rumah terdampak dengan ketinggian air hingga satu meter.",
               f"Hujan lebat yang mengguyur {office.city} {{tanggal}} menyebabkan banjir di {kec} "
               f"kecamatan dan merendam {rumah} rumah warga."],
        paragraphs=[
            f"Tim gabungan BPBD, TNI, Polri dan relawan mengevakuasi warga lanjut usia dan anak-anak ke "
            f"posko pengungsian di balai desa. Dapur umum didirikan untuk {rng.randrange(400, 1500)} "
            f"pengungsi.",
            f"{office.leader_title} {office.leader} meninjau posko dan memastikan kebutuhan logistik "
            f"tercukupi. “Keselamatan warga yang utama. Jangan ragu mengungsi,” katanya.",
            "Tidak ada korban jiwa dalam peristiwa ini. Petugas masih memantau debit sungai yang "
            "berpotensi naik jika hujan kembali turun pada malam hari.",
            f"Kepala Pelaksana BPBD {office.city} mengimbau warga di bantaran sungai tetap waspada dan "
            f"segera melapor melalui nomor darurat jika air kembali naik.",
        ],
        reporters=[office, province_office(p), NATIONAL[3], polda_office(p)][: rng.randrange(2, 5)],
    )


def peresmian(p: Province, idx: int, day: datetime, rng: random.Random) -> Event:
    office = regency_office(p, idx)
    nama = rng.choice(["Jembatan Kali Serang", "Jembatan Sungai Mahakam Kecil", "Jembatan Cibodas",
                       "Jembatan Tallo Baru", "Jembatan Brantas Lor"])
    biaya = rng.randrange(8, 60)
    facts = {"what": f"peresmian {nama}"}
    return Event(
        key=f"resmi-{office.id}", date=day, city=office.city, venue=nama, host=province_office(p),
        tz=p.tz, facts=facts,
        titles=[f"Gubernur {p.short} Resmikan {nama} di {office.city}",
                f"{nama} Senilai Rp{biaya} Miliar Resmi Dibuka",
                f"Warga {office.city} Kini Nikmati {nama}"],
        ledes=[f"Gubernur {p.name} {p.governor} meresmikan {nama} di {office.city} {{tanggal}}. "
               f"Jembatan sepanjang {rng.randrange(40, 160)} meter itu dibangun dengan anggaran "
               f"Rp{biaya} miliar."],
        paragraphs=[
            f"Jembatan ini menghubungkan dua kecamatan yang selama ini harus memutar sejauh "
            f"{rng.randrange(10, 35)} kilometer. Waktu tempuh warga kini terpangkas lebih dari separuh.",
            f"“Infrastruktur ini untuk menggerakkan ekonomi desa. Hasil panen bisa lebih cepat sampai "
            f"ke pasar,” kata {p.governor} saat menggunting pita.",
            f"{office.leader_title} {office.leader} menyampaikan terima kasih atas dukungan provinsi dan "
            f"berjanji merawat jembatan bersama warga.",
        ],
        reporters=[province_office(p), office, dprd_office(p)][: rng.randrange(2, 4)],
    )


def hari_jadi(p: Province, idx: int, day: datetime, rng: random.Random) -> Event:
    office = regency_office(p, idx)
    ke = rng.randrange(150, 500)
    label = "Kabupaten" if office.kind == "pemkab" else "Kota"
    facts = {"what": f"upacara Hari Jadi ke-{ke} {label} {office.city}"}
    return Event(
        key=f"harijadi-{office.id}", date=day, city=office.city, venue="Alun-alun", host=office,
        tz=p.tz, facts=facts,
        titles=[f"Upacara Hari Jadi ke-{ke} {label} {office.city} Berlangsung Khidmat",
                f"Hari Jadi ke-{ke}, {office.city} Usung Tema Bangkit Bersama",
                f"{office.leader_title} Pimpin Upacara Hari Jadi {label} {office.city}"],
        ledes=[f"Upacara peringatan Hari Jadi ke-{ke} {label} {office.city} berlangsung khidmat di "
               f"Alun-alun {office.city}, {{tanggal}}. Bertindak sebagai inspektur upacara "
               f"{office.leader_title} {office.leader}."],
        paragraphs=[
            "Dalam amanatnya, inspektur upacara mengajak seluruh elemen masyarakat menjadikan hari "
            "jadi sebagai momentum memperkuat persatuan dan gotong royong membangun daerah.",
            f"Peringatan tahun ini mengusung tema Bangkit Bersama Menuju {office.city} Sejahtera. "
            f"Rangkaian acara meliputi kirab budaya, pasar rakyat dan pentas seni selama "
            f"{rng.randrange(3, 10)} hari.",
            f"“Usia {ke} tahun adalah usia matang. Kita lanjutkan pembangunan yang berpihak pada warga "
            f"kecil,” kata {office.leader}.",
        ],
        reporters=[office, province_office(p), dprd_office(p)][: rng.randrange(2, 4)],
    )


def musrenbang(p: Province, day: datetime, rng: random.Random) -> Event:
    host = province_office(p)
    triliun = round(rng.uniform(4, 30), 1)
    facts = {"what": f"Musrenbang RKPD Provinsi {p.name}"}
    t = str(triliun).replace(".", ",")
    return Event(
        key=f"musrenbang-{p.short.lower()}", date=day, city=p.capital, venue="Gedung Wisma Perdamaian",
        host=host, tz=p.tz, facts=facts,
        titles=[f"Musrenbang RKPD {p.short} 2026 Fokus Pengentasan Kemiskinan",
                f"Gubernur {p.short} Buka Musrenbang RKPD Tahun 2026",
                f"{{office}} Ikuti Musrenbang Provinsi {p.name}"],
        ledes=[f"Gubernur {p.name} {p.governor} membuka Musyawarah Perencanaan Pembangunan (Musrenbang) "
               f"Rencana Kerja Pemerintah Daerah Provinsi {p.name} Tahun 2026 {{tanggal}} di "
               f"{p.capital}."],
        paragraphs=[
            f"Musrenbang tahun ini menetapkan pengentasan kemiskinan ekstrem, penurunan stunting dan "
            f"penguatan ekonomi desa sebagai prioritas. Rancangan belanja daerah diproyeksikan "
            f"mencapai Rp{t} triliun.",
            f"“Perencanaan harus berbasis data. Jangan ada program yang tumpang tindih antara provinsi "
            f"dan {p.count} kabupaten/kota,” tegas {p.governor}.",
            "Kegiatan tersebut dihadiri unsur Forkopimda, pimpinan DPRD, para kepala daerah, akademisi "
            "dan perwakilan dunia usaha.",
            f"Perwakilan Kementerian Dalam Negeri yang hadir secara daring mengapresiasi capaian "
            f"indikator makro {p.name} yang tumbuh di atas rata-rata nasional.",
        ],
        reporters=[host, dprd_office(p)] + [regency_office(p, i) for i in
                                            rng.sample(range(len(p.regencies)), 2)]
        + ([NATIONAL[1]] if rng.random() < 0.5 else []),
    )


def pelantikan(p: Province, day: datetime, rng: random.Random) -> Event:
    host = province_office(p)
    n = rng.randrange(12, 90)
    facts = {"what": f"pelantikan pejabat Pemprov {p.short}"}
    return Event(
        key=f"lantik-{p.short.lower()}", date=day, city=p.capital, venue="Gedung Gradhika", host=host,
        tz=p.tz, facts=facts,
        titles=[f"Gubernur {p.short} Lantik {n} Pejabat Administrator dan Pengawas",
                f"{n} Pejabat Pemprov {p.short} Dilantik, Gubernur Minta Kerja Cepat"],
        ledes=[f"Gubernur {p.name} {p.governor} melantik {n} pejabat administrator dan pengawas di "
               f"lingkungan Pemerintah Provinsi {p.name} di Gedung Gradhika, {p.capital}, {{tanggal}}."],
        paragraphs=[
            "Pelantikan tersebut merupakan bagian dari penataan organisasi agar pelayanan publik "
            "berjalan lebih cepat dan tepat sasaran.",
            f"“Jabatan adalah amanah. Saya minta saudara segera beradaptasi dan bekerja cepat,” kata "
            f"{p.governor} dalam sambutannya.",
            "Para pejabat yang dilantik juga menandatangani pakta integritas disaksikan Sekretaris "
            "Daerah dan Inspektur Provinsi.",
        ],
        reporters=[host, dprd_office(p)][: rng.randrange(1, 3)],
    )


def vaksinasi(p: Province, day: datetime, rng: random.Random) -> Event:
    host = NATIONAL[2]
    target = rng.randrange(200, 900)
    facts = {"what": f"pencanangan imunisasi polio di {p.name}"}
    return Event(
        key=f"polio-{p.short.lower()}", date=day, city=p.capital, venue="Puskesmas Kota", host=host,
        tz=p.tz, facts=facts,
        titles=[f"Menkes Canangkan Sub PIN Polio di {p.name}",
                f"Sub Pekan Imunisasi Nasional Polio Dimulai di {p.capital}",
                f"{target} Ribu Anak di {p.name} Jadi Sasaran Imunisasi Polio"],
        ledes=[f"Menteri Kesehatan Budi Santosa mencanangkan Sub Pekan Imunisasi Nasional (PIN) Polio "
               f"di {p.name} {{tanggal}} di Puskesmas Kota, {p.capital}. Sasaran imunisasi mencapai "
               f"{target} ribu anak usia 0–7 tahun."],
        paragraphs=[
            "Imunisasi diberikan dalam dua putaran dengan jarak satu bulan. Orang tua diminta membawa "
            "anaknya ke posyandu, puskesmas atau pos imunisasi di sekolah.",
            f"“Satu anak saja tidak diimunisasi, virus bisa menyebar. Ayo lengkapi imunisasi anak,” "
            f"kata Menkes didampingi Gubernur {p.governor}.",
            f"Dinas Kesehatan {p.short} menyiapkan {rng.randrange(2, 9)} ribu vaksinator dan ribuan pos "
            f"pelayanan hingga ke pelosok.",
        ],
        reporters=[host, province_office(p)] + [regency_office(p, i) for i in
                                                 rng.sample(range(len(p.regencies)), rng.randrange(1, 3))],
    )


def jumat_curhat(p: Province, desa: str, day: datetime, rng: random.Random) -> Event:
    office = polda_office(p)
    facts = {"what": f"Jumat Curhat di Desa {desa}"}
    return Event(
        key=f"curhat-{desa.lower().replace(' ', '')}", date=day, city=p.capital, venue=f"Desa {desa}",
        host=office, tz=p.tz, facts=facts,
        titles=[f"Jumat Curhat di Desa {desa}, Warga Keluhkan Balap Liar",
                f"Polda {p.short} Gelar Jumat Curhat di Desa {desa}"],
        ledes=[f"Kepolisian Daerah {p.name} kembali menggelar Jumat Curhat, kali ini di balai Desa "
               f"{desa}, {{tanggal}}. Kegiatan ini menjadi wadah warga menyampaikan keluhan "
               f"kamtibmas secara langsung."],
        paragraphs=[
            f"Warga Desa {desa} mengeluhkan balap liar dan peredaran minuman keras di malam hari. "
            f"Kapolda meminta jajaran Polsek setempat meningkatkan patroli.",
            "“Polisi harus hadir dan mendengar. Setiap keluhan kami catat dan tindak lanjuti,” kata "
            "Kapolda di hadapan warga.",
            f"Di akhir kegiatan, polisi membagikan {rng.randrange(50, 300)} paket sembako kepada "
            f"warga kurang mampu di Desa {desa}.",
        ],
        reporters=[office],
    )


SINGLE_TOPICS = [
    ("Dinas Perpustakaan Gelar Lomba Bercerita Tingkat SD",
     "Lomba bercerita tingkat sekolah dasar diikuti {n} peserta. Dewan juri menilai vokal, ekspresi "
     "dan penguasaan cerita rakyat daerah. Pemenang akan mewakili daerah di tingkat provinsi."),
    ("Pemeriksaan Kesehatan Gratis bagi Pengemudi Ojek",
     "Dinas Kesehatan memeriksa tekanan darah, gula darah dan mata {n} pengemudi ojek daring. "
     "Pemeriksaan dilakukan di halaman terminal dan berlangsung sejak pagi."),
    ("Ratusan Pelajar Ikuti Sosialisasi Bahaya Narkoba",
     "Badan Narkotika bersama dinas pendidikan mengumpulkan {n} pelajar SMA untuk sosialisasi "
     "bahaya narkoba. Para siswa diajak menjadi duta antinarkoba di sekolah masing-masing."),
    ("Pasar Murah Digelar di Halaman Kantor Kecamatan",
     "Sebanyak {n} paket sembako dijual dengan harga di bawah pasar. Warga antre sejak pagi dengan "
     "membawa kupon yang dibagikan kelurahan."),
    ("Petani Panen Raya Padi di Lahan Demplot",
     "Panen raya di lahan demonstrasi seluas {n} hektare menghasilkan gabah kering panen yang "
     "melampaui rata-rata. Penyuluh pertanian memperkenalkan varietas tahan wereng."),
    ("Pelayanan Adminduk Jemput Bola di Desa Terpencil",
     "Petugas kependudukan melayani perekaman KTP elektronik dan pembuatan akta kelahiran bagi "
     "{n} warga yang tinggal jauh dari kantor dinas."),
    ("Lomba Kebersihan Kampung Memasuki Tahap Penilaian",
     "Tim juri mengunjungi {n} kampung peserta lomba. Penilaian meliputi pengelolaan sampah, "
     "penghijauan dan partisipasi warga dalam kerja bakti."),
    ("Donor Darah Peringati Hari Bhakti",
     "Kegiatan donor darah berhasil mengumpulkan {n} kantong darah. Stok darah akan disalurkan "
     "ke rumah sakit daerah yang kekurangan pasokan."),
    ("Seleksi Paskibraka Tingkat Kabupaten Dimulai",
     "Sebanyak {n} siswa mengikuti seleksi calon Paskibraka. Tes meliputi kesehatan, kesamaptaan "
     "jasmani, baris-berbaris dan wawasan kebangsaan."),
    ("Gerakan Tanam Pohon di Daerah Aliran Sungai",
     "Ribuan bibit pohon ditanam di sepanjang daerah aliran sungai untuk mencegah longsor. "
     "Sebanyak {n} relawan terlibat dalam penanaman tersebut."),
]


def singles(rng: random.Random, start: datetime) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i in range(66):
        p = PROVINCES[i % len(PROVINCES)]
        office = regency_office(p, rng.randrange(len(p.regencies)))
        title, body = SINGLE_TOPICS[i % len(SINGLE_TOPICS)]
        n = rng.randrange(20, 900)
        day = start + timedelta(days=rng.randrange(0, 40), hours=rng.randrange(7, 17))
        text = body.format(n=n)
        extra = (f"{office.leader_title} {office.leader} berharap kegiatan serupa digelar rutin di "
                 f"seluruh kecamatan di {office.city}.")
        out.append({
            "id": f"{office.id}-single{i}", "source_id": office.id, "kind": office.kind,
            "title": f"{title} di {office.city}",
            "content_html": f"<p>{office.city.upper()} – {rewrite(text, rng)}</p><p>{extra}</p>",
            "published": day.astimezone(office.tz).isoformat(), "place": office.city,
            "story": f"single{i}",
        })
    return out


def build_corpus(seed: int = 6) -> list[dict[str, object]]:
    """The labelled set: a list of report dicts, each with its true ``story``."""
    rng = random.Random(seed)
    base = datetime(2025, 2, 3, 8, 0, tzinfo=WIB)
    def at(days: float) -> datetime:
        return base + timedelta(days=days)

    events: list[Event] = []
    jt, jm, jb, ss, nt, kt = PROVINCES
    # Template-sharing rakor in three provinces within two days.
    events += [rakor_kehumasan(jt, base, rng), rakor_kehumasan(jm, base, rng),
               rakor_kehumasan(jb, at(1), rng),
               rakor_kehumasan(ss, at(2), rng),
               rakor_kehumasan(kt, at(2), rng)]
    # Day 1, 2, 3 of one training, and of a second one in another province.
    events += [pelatihan(jt, at(7), d, rng) for d in (1, 2, 3)]
    events += [pelatihan(ss, at(8), d, rng) for d in (1, 2)]
    # Rembuk stunting in four regencies of one province in one week.
    events += [rembuk_stunting(jt, i, at(14 + i % 2), rng) for i in range(4)]
    events += [rembuk_stunting(jm, i, at(15), rng) for i in range(2)]
    events += [rembuk_stunting(ss, i, at(16), rng) for i in range(3)]
    # Market inspections in three cities on the same day.
    day = at(21)
    events += [sidak_pasar(jt, 0, day, rng), sidak_pasar(jt, 2, day, rng), sidak_pasar(jb, 1, day, rng),
               sidak_pasar(kt, -1, day, rng)]
    events += [banjir(jb, 0, at(10), rng), banjir(jm, 3, at(10), rng),
               banjir(ss, 2, at(25), rng), banjir(kt, 0, at(26), rng)]
    events += [peresmian(jt, 1, at(3), rng), peresmian(nt, 0, at(3), rng),
               peresmian(ss, 0, at(18), rng)]
    events += [hari_jadi(jt, 3, at(5), rng), hari_jadi(jm, 1, at(5), rng),
               hari_jadi(ss, 3, at(6), rng)]
    events += [musrenbang(jt, at(28), rng), musrenbang(jm, at(28), rng),
               musrenbang(nt, at(29), rng)]
    events += [pelantikan(jt, at(12), rng), pelantikan(jb, at(12), rng),
               pelantikan(kt, at(13), rng)]
    events += [vaksinasi(p, at(30 + k // 3), rng) for k, p in enumerate(PROVINCES)]
    events += [banjir(nt, 1, at(33), rng), banjir(jt, 4, at(34), rng)]
    events += [peresmian(jb, 2, at(35), rng), peresmian(kt, 2, at(35), rng)]
    events += [jumat_curhat(jt, desa, at(4 + 7 * k), rng)
               for k, desa in enumerate(["Sukorejo", "Tlogowungu", "Karanganyar"])]
    items: list[dict[str, object]] = []
    for ev in events:
        seen: set[str] = set()
        for office in ev.reporters:
            if office.id in seen:
                continue
            seen.add(office.id)
            items.append(compose(ev, office, rng, story=ev.key))
    items += singles(rng, base)
    items.sort(key=lambda it: (str(it["published"]), str(it["id"])))
    return items


def write(path: Path = DATA) -> None:
    items = build_corpus()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"seed": 6, "items": items}, ensure_ascii=False, indent=1)
    path.write_text(re.sub(r"\n\s+", "\n", text) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
