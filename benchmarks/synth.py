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

import hashlib
import html
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warta import regions
from warta.records import Item, RawEntry

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

    @property
    def id(self) -> str:
        return hashlib.sha1(f"{self.source.id}\x00{self.n}".encode()).hexdigest()[:16]

    @property
    def link(self) -> str:
        return f"https://{self.source.id}.go.id/berita/{self.n}"

    @property
    def html(self) -> str:
        return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in self.paragraphs)


def _region_name(src: SynthSource) -> str:
    if not src.region:
        return "seluruh Indonesia"
    r = regions.get(src.region)
    return r.name if r else src.region


def make_item(n: int, sources: list[SynthSource], *, start: datetime, span: timedelta,
              total: int, words: int = 400) -> SynthItem:
    """Item ``n`` of ``total``, dated evenly across ``span`` after ``start`` (n=0 oldest)."""
    rnd = random.Random(n * 7919 + 13)
    src = sources[rnd.randrange(len(sources))]
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
    while count < words:
        para = " ".join(rnd.choice(_SENTENCES).format(**fields) for _ in range(rnd.randrange(2, 5)))
        paragraphs.append(para)
        count += len(para.split())
    title = (f"{fields['official']} {fields['name'].split()[0]} Tinjau "
             f"{fields['program'][0].upper()}{fields['program'][1:]} di {region}")
    published = start + span * (n / max(total, 1))
    published = published.replace(microsecond=0)
    tags = tuple(dict.fromkeys(rnd.choice(TAGS) for _ in range(rnd.randrange(1, 5))))
    return SynthItem(n, src, title, tuple(paragraphs), paragraphs[0][:180], published,
                     rnd.choice(CATEGORIES), tags)


def items(count: int, sources: list[SynthSource], *, offset: int = 0, total: int | None = None,
          end: datetime | None = None, months: int = 60) -> Iterator[SynthItem]:
    """Items ``offset``..``offset+count`` of a corpus of ``total`` spread over ``months``."""
    total = total or (offset + count)
    end = end or datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    span = timedelta(days=30.4 * months)
    for n in range(offset, offset + count):
        yield make_item(n, sources, start=end - span, span=span, total=total)


def to_records(it: SynthItem) -> tuple[Item, RawEntry]:
    """The archive's records for one synthetic item (already clean: as normalize would)."""
    body = it.html
    item = Item(id=it.id, source_id=it.source.id, key=it.link, link=it.link, title=it.title,
                content_html=body, summary=it.summary, published=it.published,
                tags=it.tags, category=it.category)
    raw = RawEntry(guid=it.link, link=it.link, title=it.title, content_html=body,
                   summary_html=it.summary, categories=(it.category, *it.tags),
                   published_raw=it.published.isoformat())
    return item, raw


def fill_archive(db: Path, stream: Iterator[SynthItem], *, batch: int = 2000,
                 now: datetime | None = None) -> int:
    """Write items straight into the archive through ``Archive.store_items``."""
    from warta.archive import Archive

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
