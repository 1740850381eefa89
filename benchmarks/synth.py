"""Synthetic national hub: N sources × M items of realistic Indonesian humas text.

One deterministic corpus (seeded) in three shapes, so every build in a
benchmark run works on the same news:

- a registry folder of N real-looking sources (provinces, regencies/cities,
  ministries, BUMN) — :func:`write_registry`;
- items written straight into a SQLite archive through the Archive API
  (``store_items``), which is how 100,000 items exist in seconds instead of
  fetching them — :func:`fill_archive`;
- the same items as Markdown files for plain Pelican (:func:`write_markdown`)
  and Hugo (:func:`write_hugo_content`);
- RSS documents for a fetch from 127.0.0.1 (:func:`feed_xml`).

Text is generated from sentence templates written for this benchmark (no
copied sentences): officials, places, programmes and numbers vary per item so
Markdown, the sanitizer and the search indexer see realistic word shapes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warta.core.records import Item, RawEntry
from warta.sources import regions

KINDS_LOCAL = ("pemkab", "pemkot", "pemprov", "dprd", "tni-polri", "bumd")
KINDS_NATIONAL = ("kementerian", "lembaga", "bumn")

CATEGORIES = (
    "Pemerintahan", "Kesehatan", "Pendidikan", "Ekonomi", "Pertanian", "Perikanan", "Pariwisata",
    "Infrastruktur", "Sosial", "Budaya", "Olahraga", "Lingkungan Hidup", "Kebencanaan",
    "Keamanan", "Hukum", "Perhubungan", "Energi", "Kependudukan", "Ketenagakerjaan",
    "Perdagangan", "Perindustrian", "UMKM", "Koperasi", "Kepemudaan", "Keagamaan",
    "Perumahan", "Air Bersih", "Kehutanan", "Peternakan", "Perkebunan", "Digital",
    "Statistik", "Keuangan Daerah", "Perencanaan", "Kearsipan", "Perpustakaan", "Pangan",
    "Transmigrasi", "Pemberdayaan Perempuan", "Perlindungan Anak",
)

_TOPIC_ROOTS = (
    "stunting", "imunisasi", "beasiswa", "jalan desa", "irigasi", "pupuk", "bansos", "adminduk",
    "pajak daerah", "banjir", "kebakaran hutan", "mudik", "UMKM", "pasar murah", "inflasi",
    "sampah", "air bersih", "listrik desa", "sinyal", "posyandu", "puskesmas", "sekolah rakyat",
    "makan bergizi", "koperasi desa", "pariwisata", "festival", "pramuka", "zakat", "haji",
    "vaksinasi ternak", "nelayan", "benih", "jembatan", "rumah layak huni", "KTP digital",
)
_TOPIC_SUFFIXES = ("", " 2026", " terpadu", " gratis", " keliling", " daerah", " nasional",
                   " sekolah", " desa", " kota", " provinsi", " anak", " lansia", " perempuan")
TAGS = tuple(dict.fromkeys(f"{r}{s}" for s in _TOPIC_SUFFIXES for r in _TOPIC_ROOTS))[:500]

_OFFICIALS = ("Bupati", "Wali Kota", "Gubernur", "Sekretaris Daerah", "Kepala Dinas Kesehatan",
              "Kepala Dinas Pendidikan", "Camat", "Kepala Desa", "Kapolres", "Dandim",
              "Ketua DPRD", "Menteri", "Direktur Utama", "Kepala Badan")
_NAMES = ("Ahmad Fauzi", "Siti Rahmawati", "Bambang Sutrisno", "Yohanes Manek", "Ni Luh Putu Ayu",
          "Andi Muhammad Yusuf", "Maria Goreti Bria", "Teuku Iskandar", "Dewi Kartika",
          "I Made Suarta", "Hendrik Wanggai", "Nurhayati Lubis", "Rudi Hartono", "Agustina Sari",
          "La Ode Hamzah", "Fransiska Lamahoda", "Muhammad Rizal", "Sri Wahyuni")
_PROGRAMS = ("pemberian makanan tambahan bagi balita", "perbaikan jalan poros desa",
             "penyaluran bantuan pangan beras", "pelayanan administrasi kependudukan keliling",
             "pelatihan digital bagi pelaku usaha mikro", "imunisasi kejar bagi anak sekolah",
             "pembangunan sumur bor di wilayah rawan kekeringan",
             "penanaman mangrove di pesisir", "pasar murah menjelang hari raya",
             "sertifikasi halal gratis bagi UMKM", "bedah rumah tidak layak huni",
             "pemeriksaan kesehatan gratis", "penyuluhan pertanian organik",
             "pendataan keluarga berisiko stunting", "gerakan tanam cabai di pekarangan")
_PLACES = ("balai desa", "pendopo kabupaten", "aula kantor camat", "alun-alun", "gedung DPRD",
           "lapangan upacara", "puskesmas", "sekolah dasar negeri", "pelabuhan perikanan",
           "pasar induk", "rumah dinas", "gedung serbaguna")
_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

_SENTENCES = (
    "{official} {name} meninjau langsung kegiatan {program} di {place} {region} pada {day} pagi.",
    "Kegiatan ini menyasar {n} warga dari {m} desa dan kelurahan yang tersebar di {region}.",
    "Menurut {official} {name}, {program} menjadi prioritas pemerintah daerah tahun ini karena "
    "dampaknya langsung dirasakan masyarakat.",
    "Anggaran yang disiapkan mencapai Rp{rp} miliar dan bersumber dari APBD serta dana transfer "
    "pemerintah pusat.",
    "Warga yang belum terdata diminta segera melapor ke kantor desa atau menghubungi layanan "
    "pengaduan di nomor yang tersedia.",
    "Pelaksanaan di lapangan melibatkan perangkat desa, kader posyandu, penyuluh dan relawan "
    "setempat.",
    "Ia berharap sinergi antara pemerintah, dunia usaha dan masyarakat terus terjaga sehingga "
    "hasilnya berkelanjutan.",
    "Hingga akhir bulan ini realisasi program telah mencapai {pct} persen dari target yang "
    "ditetapkan.",
    "Pemerintah juga membuka layanan konsultasi setiap hari kerja pukul 08.00 sampai 15.00 "
    "waktu setempat.",
    "Salah seorang warga, {name2}, mengaku terbantu karena tidak perlu lagi menempuh perjalanan "
    "jauh ke ibu kota kabupaten.",
    "Evaluasi akan dilakukan setiap tiga bulan agar kendala di lapangan cepat ditangani.",
    "Data penerima manfaat dipadankan dengan data kependudukan agar bantuan tepat sasaran.",
)


# Varied text (``make_item(varied=True)``): a report is built from many sentence
# frames whose slots are filled from large pools (people, villages, programmes,
# reasons), the way two unrelated releases share phrases but few word pairs.
# The short template list above makes any two items ~40 % alike (shingle
# Jaccard), so every item would look like a rewrite of every other.
_FIRST = ("Ahmad", "Siti", "Bambang", "Yohanes", "Ni Luh", "Andi", "Maria", "Teuku", "Dewi",
          "I Made", "Hendrik", "Nurhayati", "Rudi", "Agustina", "La Ode", "Fransiska", "Muhammad",
          "Sri", "Yusuf", "Ratna", "Agus", "Lestari", "Daniel", "Wayan", "Fitri", "Hasan",
          "Rahmat", "Kristina", "Imam", "Yuliana", "Slamet", "Marthen", "Nyoman", "Wulan",
          "Arif", "Margaretha", "Syamsul", "Endang", "Petrus", "Halimah")
_LAST = ("Fauzi", "Rahmawati", "Sutrisno", "Manek", "Yusuf", "Bria", "Iskandar", "Kartika",
         "Suarta", "Wanggai", "Lubis", "Hartono", "Sari", "Hamzah", "Lamahoda", "Rizal",
         "Wahyuni", "Siregar", "Nainggolan", "Pattikawa", "Sinaga", "Tanjung", "Nasution",
         "Purnomo", "Setiawan", "Hidayat", "Kurniawan", "Saputra", "Wijaya", "Pratama",
         "Mahendra", "Rumbiak", "Mandagi", "Karubaba", "Daulay", "Harahap", "Gultom",
         "Simanjuntak", "Tambunan", "Rumagesan")
_VILLAGE_HEAD = ("Suka", "Karang", "Sido", "Tanjung", "Batu", "Sumber", "Margo", "Air", "Kampung",
                 "Rejo", "Tirta", "Bukit", "Lubuk", "Pasir", "Talang", "Muara", "Pulau", "Teluk",
                 "Sungai", "Padang", "Banjar", "Giri", "Mekar", "Jati")
_VILLAGE_TAIL = ("maju", "jaya", "makmur", "rejo", "mulyo", "sari", "asri", "indah", "baru",
                 "harjo", "agung", "wangi", "tengah", "raya", "lestari", "damai", "permai",
                 "mekar", "luhur", "kencana", "mas", "putih", "hijau", "tinggi")
_ACTIVITIES = ("penyaluran", "pelatihan", "pemeriksaan", "pembangunan", "sosialisasi",
               "peresmian", "pendataan", "penanaman", "perbaikan", "pemantauan", "pembagian",
               "pendampingan", "verifikasi", "pencanangan", "rehabilitasi", "penyuluhan",
               "pengukuran", "penandatanganan", "uji coba", "percepatan", "penataan",
               "revitalisasi", "pengadaan", "peluncuran", "evaluasi", "penilaian",
               "pembinaan", "penertiban", "pemetaan", "pelepasan")
_OBJECTS = ("bantuan pangan beras", "jalan usaha tani", "sumur bor", "bibit kakao",
            "benih padi unggul", "alat tangkap ikan", "rumah tidak layak huni", "jaringan irigasi",
            "posyandu remaja", "kartu identitas anak", "pupuk bersubsidi", "ambulans desa",
            "perahu motor", "tenda darurat", "sertifikat tanah", "bedah rumah", "lampu jalan",
            "sambungan air bersih", "tempat pembuangan sampah", "drainase lingkungan",
            "gedung sekolah dasar", "pasar rakyat", "jembatan gantung", "embung desa",
            "ternak sapi", "mesin perontok padi", "bibit mangrove", "kebun bibit desa",
            "perpustakaan keliling", "layanan adminduk", "data keluarga berisiko",
            "obat cacing", "makanan tambahan", "vaksin rabies", "alat pemadam kebakaran",
            "papan nama jalan", "rambu lalu lintas", "kios UMKM", "gerobak usaha",
            "tangki air", "talud penahan tanah", "saluran tersier")
_TARGETS = ("balita", "ibu hamil", "lansia", "nelayan", "petani kopi", "pelajar SMP",
            "penyandang disabilitas", "pedagang pasar", "kader posyandu", "guru honorer",
            "peternak", "pelaku UMKM", "remaja putri", "calon pengantin", "perangkat desa",
            "petani sawit", "pengemudi ojek", "buruh pabrik", "santri", "mahasiswa",
            "keluarga miskin", "warga transmigran", "anak yatim", "pekerja migran",
            "masyarakat adat")
_VENUES = ("balai desa", "pendopo kabupaten", "aula kantor camat", "alun-alun", "gedung DPRD",
           "lapangan upacara", "halaman puskesmas", "sekolah dasar negeri", "pelabuhan perikanan",
           "pasar induk", "rumah dinas", "gedung serbaguna", "masjid agung", "gereja",
           "gedung olahraga", "taman kota", "kantor lurah", "dermaga", "bandara", "hotel",
           "kampus", "stadion", "rumah sakit daerah", "terminal", "balai latihan kerja")
_SAY = ("mengatakan", "menjelaskan", "menegaskan", "menyampaikan", "mengungkapkan",
        "menambahkan", "mengingatkan", "menuturkan", "memaparkan", "menyebutkan", "berpesan",
        "mengimbau")
_REASONS = ("musim kemarau yang panjang", "curah hujan tinggi", "harga bahan pokok naik",
            "jumlah penduduk terus bertambah", "akses jalan masih sulit",
            "banyak warga belum memiliki dokumen", "angka stunting masih tinggi",
            "hasil panen menurun", "jaringan internet belum merata",
            "anggaran tahun lalu belum terserap", "banjir rob merendam permukiman",
            "fasilitas lama rusak berat", "permintaan pasar meningkat",
            "kunjungan wisatawan melonjak", "kasus demam berdarah meningkat",
            "sekolah kekurangan ruang kelas", "lahan pertanian menyusut",
            "tingkat pengangguran muda tinggi", "kebakaran lahan terjadi berulang",
            "pasokan listrik sering padam")
_GOALS = ("pelayanan lebih cepat", "warga tidak perlu antre lama", "hasil panen meningkat",
          "anak-anak tumbuh sehat", "pendapatan keluarga bertambah", "lingkungan tetap bersih",
          "bantuan tepat sasaran", "angka kemiskinan turun", "usaha kecil naik kelas",
          "desa lebih mandiri", "jalan aman dilalui", "nelayan melaut lebih jauh",
          "harga tetap terjangkau", "kualitas air terjaga", "wisata desa semakin ramai",
          "kendala cepat ditangani", "data kependudukan lebih akurat", "sekolah lebih nyaman")
_ORGS = ("Dinas Sosial", "Dinas Pertanian", "Dinas Perikanan", "Dinas Pekerjaan Umum",
         "Dinas Kesehatan", "Dinas Pendidikan", "Badan Penanggulangan Bencana Daerah",
         "Dinas Lingkungan Hidup", "Dinas Koperasi", "Dinas Perhubungan", "Badan Pusat Statistik",
         "Dinas Kependudukan", "Dinas Pariwisata", "Dinas Perdagangan", "Bappeda", "Baznas",
         "PKK", "Karang Taruna", "Kodim", "Polres")
_MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                "September", "Oktober", "November", "Desember")
_FRAMES = (
    "{official} {person} {say} [{activity} {object}|kegiatan {activity} {object}|program "
    "{activity} {object}] bagi {target} di {village} [menjadi perhatian utama|jadi prioritas|"
    "harus dikawal bersama|tidak boleh ditunda] [tahun ini|pada {month}|sampai akhir tahun].",
    "{activity_c} {object} di {venue} {village}, {region}, [berlangsung|digelar|dimulai|"
    "dilaksanakan] pada {day} ({date}).",
    "[Sebanyak|Tidak kurang dari|Sedikitnya|Total] {n} {target} dari {m} [desa|kelurahan|dusun|"
    "kampung] [tercatat|terdaftar|ditetapkan|diusulkan] sebagai [penerima|peserta|sasaran] "
    "[tahap|gelombang|termin] {stage}.",
    "{org} [mencatat|melaporkan|menemukan|mendata] [kebutuhan|permintaan|kekurangan] {object} "
    "[naik|meningkat|bertambah|melonjak] [karena|akibat|seiring] {reason}.",
    "[Menurut|Kata|Dijelaskan] {person}, {reason} [membuat|menyebabkan|memaksa] {target} di "
    "{village} [membutuhkan|memerlukan|mencari] {object}.",
    "[Nilai kegiatan|Anggaran program|Dana yang disiapkan|Total biaya] [mencapai|sebesar|"
    "berjumlah] Rp{rp} miliar [yang dibagi untuk|bagi|dan menjangkau] {m} kecamatan.",
    "“Kami ingin {goal},” {say2} {person} [saat meninjau|ketika mengunjungi|di sela kunjungan ke|"
    "usai memeriksa] {venue} {village}.",
    "{org} [bersama|menggandeng|berkolaborasi dengan|didukung] {org2} [akan menggelar|"
    "merencanakan|menyiapkan|segera memulai] {activity} {object} [lanjutan|berikutnya|"
    "susulan|tahap dua] pada {month}.",
    "Di {village}, {target} [menyambut|mendukung|mengapresiasi|antusias mengikuti] {activity} "
    "[ini|tersebut|itu] karena [selama ini|sebelumnya|bertahun-tahun] {reason}.",
    "[Realisasi|Capaian|Progres|Kemajuan] {activity} {object} [sudah|telah|kini] {pct} persen "
    "[dan ditargetkan tuntas|dan diharapkan selesai|dengan target rampung] {month} [mendatang|"
    "nanti|tahun ini].",
    "[Warga|Penduduk|Salah seorang warga|Tokoh masyarakat] {village} [bernama|yakni|,] "
    "{person2} [mengaku senang|merasa terbantu|bersyukur|berterima kasih] karena [kini|sekarang|"
    "akhirnya] {goal}.",
    "Camat {camat} [memastikan|menjamin|meminta agar] [pendataan|pendaftaran|verifikasi|"
    "penyaluran] {target} [dilakukan dari rumah ke rumah|dikerjakan secara terbuka|diawasi "
    "ketat|selesai tepat waktu].",
    "[Ia juga meminta|Dia juga menginstruksikan|Ia menugaskan|Ia mendorong] {org2} [memantau|"
    "mengawasi|mengecek|merawat] {object} agar {goal}.",
    "[Tahun lalu|Pada 2025|Sebelumnya|Tahun sebelumnya] [program serupa|kegiatan yang sama|"
    "layanan ini|bantuan sejenis] [menjangkau|melayani|menyasar|membantu] {n2} {target2} di "
    "{village2}.",
    "{official} {person} [menyerahkan|membagikan|memberikan|menyalurkan] {object2} [secara "
    "simbolis|langsung|secara bertahap] kepada [perwakilan|sejumlah|para] {target2}.",
    "[Rapat persiapan|Pertemuan teknis|Koordinasi awal|Gelar rencana] [dipimpin|dibuka|"
    "dihadiri] {camat} di {venue2} [dengan menghadirkan|bersama|serta melibatkan] {org}.",
    "Selain {object}, {target} [juga menerima|turut mendapat|memperoleh pula] {object2} "
    "[dari|yang disiapkan|lewat] {org2}.",
    "Kepala {org} {person2} [menyebut|memperkirakan|melaporkan|mengklaim] {pct2} persen "
    "{target2} [sudah terlayani|telah menerima manfaat|sudah terdata|tercakup].",
    "[Kendala utama|Hambatan terbesar|Persoalan pokok|Tantangan] [di lapangan|saat pelaksanaan|"
    "di desa] adalah {reason2}, [sehingga jadwal sempat mundur|maka pelaksanaan tertunda|"
    "hingga kegiatan molor] {m2} hari.",
    "Pemerintah {region} [menyiapkan|menurunkan|mengerahkan|menugaskan] {n2} [petugas|"
    "relawan|tenaga pendamping|personel] untuk [mendampingi|melayani|membantu] {target}.",
    "{activity_c} [tahap berikutnya|selanjutnya|gelombang kedua|lanjutan] [difokuskan ke|"
    "diarahkan ke|menyasar|akan digelar di] {village2} dan {village3}.",
    "{person2} [berharap|meminta|mengusulkan agar] {activity} {object2} [dapat diperluas|"
    "juga dibawa|ikut menjangkau] [ke desa tetangga|hingga pelosok|ke kecamatan lain].",
    "[Pengawasan|Pemantauan|Evaluasi|Pengecekan] [dilakukan|digelar|dijalankan] {org} "
    "[setiap pekan|tiap bulan|secara berkala|dua kali sebulan] agar {goal2}.",
    "[Peserta|Sebagian warga|Rombongan|Perwakilan] dari {village3} [menempuh perjalanan|"
    "berjalan kaki|naik perahu|menumpang truk] {m2} kilometer [menuju|ke|untuk sampai di] "
    "{venue}.",
    "{say_c} {person}, [warga|masyarakat|penerima] [diminta|diimbau|diharapkan] [melapor ke|"
    "mendatangi|menghubungi] {org} [bila|jika|apabila] [menemukan|melihat|mengalami] "
    "[penyimpangan|kendala|pungutan liar].",
    "Data {target} [dipadankan|dicocokkan|disinkronkan] dengan [data kependudukan|DTKS|"
    "catatan desa] [agar|supaya] {goal2}.",
    "{day} [pagi|siang|sore] [itu|tersebut], {person2} [terlihat|tampak] [memeriksa|mengecek|"
    "mencatat] {object2} [satu per satu|bersama petugas|di {venue2}].",
    "[Kegiatan|Acara|Agenda] [ditutup|diakhiri|dilanjutkan] dengan [doa bersama|peninjauan "
    "lokasi|dialog warga|penanaman pohon] di {village}.",
)


@dataclass(frozen=True, slots=True)
class SynthSource:
    id: str
    name: str
    kind: str
    region: str | None


def make_sources(n: int, seed: int = 7) -> list[SynthSource]:
    """N sources: mostly regencies/cities and provinces, some national bodies."""
    rnd = random.Random(seed)
    regs = [r for r in regions.all_regions().values() if r.level == 2]
    provs = [r for r in regions.all_regions().values() if r.level == 1]
    out = []
    for i in range(n):
        r = rnd.random()
        if r < 0.12:
            kind = KINDS_NATIONAL[i % len(KINDS_NATIONAL)]
            out.append(SynthSource(f"{kind}-{i:04d}", f"{kind.title()} Contoh {i}", kind, None))
        elif r < 0.25:
            prov = provs[i % len(provs)]
            out.append(SynthSource(f"pemprov-{i:04d}", f"Pemerintah {prov.name} {i}", "pemprov",
                                   prov.code))
        else:
            reg = regs[(i * 7) % len(regs)]
            kind = KINDS_LOCAL[i % len(KINDS_LOCAL)]
            if kind == "pemprov":
                kind = "pemkab"
            out.append(SynthSource(f"{kind}-{i:04d}", f"Humas {reg.name} {i}", kind, reg.code))
    return out


def write_registry(root: Path, sources: list[SynthSource], feed_url: str | None = None) -> Path:
    """Registry YAML files; ``feed_url`` may contain ``{i}`` (the source's index)."""
    root.mkdir(parents=True, exist_ok=True)
    for i, s in enumerate(sources):
        folder = root / (s.region.split(".")[0] if s.region else "nasional")
        folder.mkdir(exist_ok=True)
        url = (feed_url or "https://{id}.go.id/feed/").format(i=i, id=s.id)
        region = f'region: "{s.region}"\n' if s.region else ""
        (folder / f"{s.id}.yml").write_text(
            f"id: {s.id}\nname: {s.name}\nkind: {s.kind}\n{region}"
            f"homepage: https://{s.id}.go.id\nfeeds:\n  - {url}\n", encoding="utf-8")
    return root


@dataclass(frozen=True, slots=True)
class SynthItem:
    n: int
    source: SynthSource
    title: str
    paragraphs: tuple[str, ...]
    summary: str
    published: datetime
    category: str
    tags: tuple[str, ...]
    photos: int = 0
    """Photos in the body, the first also the lead image (as most humas reports have)."""

    @property
    def id(self) -> str:
        return hashlib.sha1(f"{self.source.id}\x00{self.n}".encode()).hexdigest()[:16]

    @property
    def link(self) -> str:
        return f"https://{self.source.id}.go.id/berita/{self.n}"

    def photo(self, k: int) -> str:
        return f"https://{self.source.id}.go.id/foto/{self.n}-{k}.jpg"

    @property
    def html(self) -> str:
        parts = []
        for k, p in enumerate(self.paragraphs):
            parts.append(f"<p>{html.escape(p, quote=False)}</p>")
            if k < self.photos:
                parts.append(f'<figure><img src="{self.photo(k)}" alt="Foto kegiatan {k + 1}" '
                             f'width="1200" height="800"></figure>')
        return "".join(parts)


def _region_name(src: SynthSource) -> str:
    if not src.region:
        return "seluruh Indonesia"
    r = regions.get(src.region)
    return r.name if r else src.region


def make_item(n: int, sources: list[SynthSource], *, start: datetime, span: timedelta,
              total: int, words: int = 400, source: SynthSource | None = None,
              varied: bool = False) -> SynthItem:
    """Item ``n`` of ``total``, dated evenly across ``span`` after ``start`` (n=0 oldest).

    ``source`` pins the reporting office (a feed's own items); by default it is
    drawn from ``sources``. ``varied`` builds the body from the large frame
    and phrase pools below instead of the twelve shared templates, so that two
    unrelated items share few word pairs (as real releases do); the default
    keeps the corpus other benchmarks were measured on.
    """
    rnd = random.Random(n * 7919 + 13)
    drawn = sources[rnd.randrange(len(sources))]
    src = source or drawn
    region = _region_name(src)
    fields = dict(
        official=rnd.choice(_OFFICIALS), name=rnd.choice(_NAMES), name2=rnd.choice(_NAMES),
        program=rnd.choice(_PROGRAMS), place=rnd.choice(_PLACES), region=region,
        day=rnd.choice(_DAYS), n=f"{rnd.randrange(50, 9000):,}".replace(",", "."),
        m=rnd.randrange(2, 40), rp=f"{rnd.uniform(0.2, 90):.1f}".replace(".", ","),
        pct=rnd.randrange(20, 99),
    )
    paragraphs: list[str] = []
    count = 0
    if varied:
        fields.update(_varied_fields(rnd))
        frames = _frames(rnd)
    while count < words:
        if varied:
            para = " ".join(_varied_sentence(rnd, fields, next(frames))
                            for _ in range(rnd.randrange(2, 5)))
        else:
            para = " ".join(rnd.choice(_SENTENCES).format(**fields)
                            for _ in range(rnd.randrange(2, 5)))
        paragraphs.append(para)
        count += len(para.split())
    if varied:
        title = (f"{fields['activity_c']} {fields['object']} bagi {fields['target']} "
                 f"di {fields['village']}, {region}")
    else:
        title = (f"{fields['official']} {fields['name'].split()[0]} Tinjau "
                 f"{fields['program'][0].upper()}{fields['program'][1:]} di {region}")
    published = start + span * (n / max(total, 1))
    published = published.replace(microsecond=0)
    tags = tuple(dict.fromkeys(rnd.choice(TAGS) for _ in range(rnd.randrange(1, 5))))
    return SynthItem(n, src, title, tuple(paragraphs), paragraphs[0][:180], published,
                     rnd.choice(CATEGORIES), tags)


def _person(rnd: random.Random) -> str:
    return f"{rnd.choice(_FIRST)} {rnd.choice(_LAST)}"


def _village(rnd: random.Random) -> str:
    return rnd.choice(_VILLAGE_HEAD) + rnd.choice(_VILLAGE_TAIL)


def _varied_fields(rnd: random.Random) -> dict[str, object]:
    """The facts of one varied report: fixed for the report, drawn from large pools."""
    activity = rnd.choice(_ACTIVITIES)
    return dict(
        person=_person(rnd), person2=_person(rnd), camat=_person(rnd), activity=activity,
        activity_c=activity[0].upper() + activity[1:], object=rnd.choice(_OBJECTS),
        object2=rnd.choice(_OBJECTS), target=rnd.choice(_TARGETS), target2=rnd.choice(_TARGETS),
        village=_village(rnd), village2=_village(rnd), village3=_village(rnd),
        venue=rnd.choice(_VENUES), venue2=rnd.choice(_VENUES), org=rnd.choice(_ORGS),
        org2=rnd.choice(_ORGS), reason=rnd.choice(_REASONS), reason2=rnd.choice(_REASONS),
        goal=rnd.choice(_GOALS), goal2=rnd.choice(_GOALS), month=rnd.choice(_MONTH_NAMES),
        date=f"{rnd.randrange(1, 29)}/{rnd.randrange(1, 13)}", stage=rnd.randrange(1, 5),
        n2=f"{rnd.randrange(20, 5000):,}".replace(",", "."), m2=rnd.randrange(2, 60),
        pct2=rnd.randrange(10, 99),
    )


_CHOICE = re.compile(r"\[([^\[\]]*)\]")


def _varied_sentence(rnd: random.Random, fields: dict[str, object], frame: str) -> str:
    """One sentence of ``frame``: each ``[a|b|c]`` picks one wording, ``{slot}`` a fact."""
    text = _CHOICE.sub(lambda m: rnd.choice(m.group(1).split("|")), frame)
    say = rnd.choice(_SAY)
    return text.format(say=say, say2=rnd.choice(_SAY), say_c=say[0].upper() + say[1:],
                       **fields).replace(" ,", ",")


def _frames(rnd: random.Random) -> Iterator[str]:
    """Frames in a random order without repeats (a report does not say one thing twice)."""
    while True:
        order = list(_FRAMES)
        rnd.shuffle(order)
        yield from order


def items(count: int, sources: list[SynthSource], *, offset: int = 0, total: int | None = None,
          end: datetime | None = None, months: int = 60, photos: int = 0) -> Iterator[SynthItem]:
    """Items ``offset``..``offset+count`` of a corpus of ``total`` spread over ``months``."""
    total = total or (offset + count)
    end = end or datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    span = timedelta(days=30.4 * months)
    for n in range(offset, offset + count):
        item = make_item(n, sources, start=end - span, span=span, total=total)
        yield dataclasses.replace(item, photos=photos) if photos else item


def to_records(it: SynthItem) -> tuple[Item, RawEntry]:
    """The archive's records for one synthetic item (already clean: as normalize would)."""
    body = it.html
    item = Item(id=it.id, source_id=it.source.id, key=it.link, link=it.link, title=it.title,
                content_html=body, summary=it.summary, published=it.published,
                tags=it.tags, category=it.category, image=it.photo(0) if it.photos else None)
    raw = RawEntry(guid=it.link, link=it.link, title=it.title, content_html=body,
                   summary_html=it.summary, categories=(it.category, *it.tags),
                   published_raw=it.published.isoformat())
    return item, raw


def fill_archive(db: Path, stream: Iterator[SynthItem], *, batch: int = 2000,
                 now: datetime | None = None) -> int:
    """Write items straight into the archive through ``Archive.store_items``."""
    from warta.archive.store import Archive

    stored = 0
    with Archive(db) as archive:
        chunk: list[tuple[Item, RawEntry]] = []
        for it in stream:
            chunk.append(to_records(it))
            if len(chunk) >= batch:
                archive.store_items(chunk, now=now or it.published)
                stored += len(chunk)
                chunk = []
        if chunk:
            archive.store_items(chunk, now=now or chunk[-1][0].published)
            stored += len(chunk)
    return stored


def _md_meta(value: str) -> str:
    return value.replace("\n", " ")


def write_markdown(content: Path, stream: Iterator[SynthItem]) -> int:
    """The same items as Pelican Markdown articles (one file each)."""
    count = 0
    for it in stream:
        folder = content / it.source.id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{it.id}.md").write_text(
            f"Title: {_md_meta(it.title)}\nDate: {it.published:%Y-%m-%d %H:%M:%S%z}\n"
            f"Slug: {it.id}\nSource: {it.source.id}\nCategory: {it.category}\n"
            f"Tags: {', '.join(it.tags)}\nSummary: {_md_meta(it.summary)}\n\n"
            + "\n\n".join(it.paragraphs) + "\n", encoding="utf-8")
        count += 1
    return count


def write_hugo_content(content: Path, stream: Iterator[SynthItem]) -> int:
    """The same items as Hugo Markdown pages with YAML front matter."""
    import json

    count = 0
    post = content / "berita"
    post.mkdir(parents=True, exist_ok=True)
    for it in stream:
        front = {"title": it.title, "date": it.published.isoformat(), "slug": it.id,
                 "categories": [it.category], "tags": list(it.tags), "summary": it.summary,
                 "sumber": it.source.id}
        (post / f"{it.id}.md").write_text(
            json.dumps(front, ensure_ascii=False) + "\n\n" + "\n\n".join(it.paragraphs) + "\n",
            encoding="utf-8")
        count += 1
    return count


def feed_xml(source_index: int, entries: list[SynthItem]) -> bytes:
    """An RSS 2.0 document with the given items (for a fetch from 127.0.0.1)."""
    out = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
           f"<title>Sumber {source_index}</title><link>https://sumber{source_index}.go.id/</link>"]
    for it in entries:
        out.append(
            f"<item><title>{html.escape(it.title)}</title><link>{it.link}</link>"
            f"<guid>{it.link}</guid><category>{html.escape(it.category)}</category>"
            + "".join(f"<category>{html.escape(t)}</category>" for t in it.tags)
            + f"<pubDate>{it.published:%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
            f"<description><![CDATA[{it.html}]]></description></item>")
    out.append("</channel></rss>")
    return "".join(out).encode()
