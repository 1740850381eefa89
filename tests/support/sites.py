# ruff: noqa: E501  (HTML page templates read better unbroken)
"""Four humas websites without a (usable) feed, served on 127.0.0.1 for tests and benchmarks.

Every text here was written for these tests. The sites use four page
templates seen on Indonesian government sites:

* ``wp``      — WordPress with Yoast SEO (JSON-LD ``@graph``, Open Graph), a REST
  API with paging headers, an RSS feed and a Yoast sitemap index. Bali (WITA).
* ``joomla``  — a Joomla-like site: microdata ``<time datetime>``, a blog listing,
  and ``index.php?format=feed&type=rss`` answering with an HTML page. Jawa Tengah (WIB).
* ``custom``  — a home-grown CMS: no metadata at all, only Indonesian date text
  ("Senin, 2 Desember 2024 | 10:15 WITA"), a listing page and a plain sitemap.
  robots.txt forbids one article and asks for a Crawl-delay. Sulawesi Selatan (WITA).
* ``og``      — Open Graph tags only, a sitemap index with a news sitemap first, a
  ``/rss`` blocked with 403. Papua (WIT).

Each :class:`Article` carries the truth (title, date, body paragraphs, lead
image) that extraction is measured against, and the boilerplate strings
(menus, footers, share buttons, sidebars) that must not end up in a body.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.support.server import FeedServer, Route

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}

TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Pemerintah {place} Salurkan Benih Padi untuk {n} Kelompok Tani", (
        "Pemerintah {place} menyalurkan bantuan benih padi unggul kepada {n} kelompok tani "
        "menjelang musim tanam pertama tahun ini.",
        "Kepala Dinas Pertanian mengatakan benih yang dibagikan tahan terhadap genangan dan "
        "serangan wereng sehingga diharapkan mampu menjaga produktivitas sawah petani.",
        "Penyaluran dilakukan secara bertahap melalui balai penyuluhan pertanian di setiap "
        "kecamatan agar petani tidak perlu menempuh perjalanan jauh.",
        "Petani penerima diminta segera melakukan persemaian dan melaporkan perkembangan "
        "tanaman kepada penyuluh lapangan setiap dua pekan.",
    )),
    ("Jembatan Penghubung Dua Desa di {place} Resmi Dibuka", (
        "Jembatan sepanjang {n} meter yang menghubungkan dua desa di wilayah {place} resmi "
        "dibuka untuk umum pada pagi hari ini.",
        "Selama bertahun-tahun warga harus memutar sejauh belasan kilometer untuk menuju pasar "
        "dan sekolah karena tidak ada penyeberangan yang aman.",
        "Pembangunan jembatan dibiayai anggaran daerah dan dikerjakan dalam waktu tujuh bulan "
        "dengan pengawasan dari dinas pekerjaan umum.",
        "Warga diminta ikut menjaga jembatan dengan tidak melintaskan kendaraan bermuatan "
        "melebihi batas yang tertera pada rambu.",
    )),
    ("Vaksinasi Campak Digelar di {n} Sekolah Dasar {place}", (
        "Dinas Kesehatan {place} menggelar vaksinasi campak dan rubela di {n} sekolah dasar "
        "sebagai bagian dari bulan imunisasi anak sekolah.",
        "Petugas puskesmas mendatangi sekolah sesuai jadwal dan memeriksa kondisi kesehatan "
        "setiap anak sebelum penyuntikan dilakukan.",
        "Orang tua diimbau memastikan anak sarapan terlebih dahulu dan membawa buku kesehatan "
        "ibu dan anak pada hari pelaksanaan.",
        "Anak yang berhalangan hadir dapat menerima vaksin di puskesmas terdekat tanpa dipungut "
        "biaya hingga akhir bulan.",
    )),
    ("{n} Pelaku UMKM {place} Ikuti Pelatihan Pemasaran Digital", (
        "Sebanyak {n} pelaku usaha mikro, kecil dan menengah di {place} mengikuti pelatihan "
        "pemasaran digital selama tiga hari di gedung serbaguna.",
        "Peserta belajar memotret produk, menulis deskripsi yang menarik dan mengelola toko "
        "daring di berbagai lokapasar.",
        "Kepala Dinas Koperasi berharap pelatihan ini membuat produk lokal seperti keripik, "
        "kain tenun dan kopi dikenal lebih luas.",
        "Setelah pelatihan, peserta akan didampingi selama tiga bulan oleh fasilitator untuk "
        "memastikan toko daring mereka benar-benar berjalan.",
    )),
    ("Layanan Adminduk Keliling Kini Jangkau Desa Terpencil {place}", (
        "Dinas Kependudukan dan Pencatatan Sipil {place} memperluas layanan administrasi "
        "kependudukan keliling hingga {n} desa terpencil.",
        "Warga dapat mengurus kartu tanda penduduk elektronik, kartu keluarga dan akta "
        "kelahiran langsung di balai desa.",
        "Petugas membawa perangkat perekaman dan pencetakan sehingga sebagian dokumen dapat "
        "diterima pada hari yang sama.",
        "Jadwal kunjungan diumumkan melalui kantor kecamatan dan akun media sosial resmi "
        "pemerintah daerah.",
    )),
    ("Gerakan Tanam {n} Pohon di Daerah Aliran Sungai {place}", (
        "Ratusan pelajar, relawan dan aparatur sipil negara menanam {n} bibit pohon di daerah "
        "aliran sungai di {place}.",
        "Kegiatan ini bertujuan menahan erosi tebing sungai yang kerap longsor setiap musim "
        "hujan dan mengancam permukiman warga.",
        "Bibit yang ditanam terdiri atas beringin, bambu dan tanaman buah yang akarnya kuat "
        "menahan tanah.",
        "Pemerintah desa setempat bertanggung jawab merawat bibit hingga tumbuh besar dengan "
        "melibatkan karang taruna.",
    )),
    ("Rapat Koordinasi Percepatan Penurunan Stunting di {place}", (
        "Tim percepatan penurunan stunting {place} menggelar rapat koordinasi bersama {n} "
        "kepala puskesmas dan camat.",
        "Dalam rapat tersebut dipaparkan data balita berisiko yang diperoleh dari penimbangan "
        "serentak di posyandu.",
        "Setiap kecamatan diminta menyusun rencana aksi yang memuat pemberian makanan tambahan "
        "dan pendampingan ibu hamil.",
        "Hasil pelaksanaan rencana aksi akan dievaluasi setiap triwulan agar intervensi tepat "
        "sasaran.",
    )),
    ("Festival Budaya {place} Dihadiri {n} Pengunjung", (
        "Festival budaya tahunan {place} ditutup dengan pawai seni yang dihadiri sekitar {n} "
        "pengunjung dari berbagai daerah.",
        "Selama lima hari festival menampilkan tari tradisional, pameran kerajinan dan lomba "
        "masakan khas daerah.",
        "Pemerintah daerah mencatat perputaran uang di sekitar lokasi festival meningkat tajam "
        "karena ramainya pedagang kecil.",
        "Panitia berencana menambah panggung di desa wisata pada penyelenggaraan tahun depan.",
    )),
    ("Perbaikan Jalan Ruas {place} Sepanjang {n} Kilometer Dimulai", (
        "Pemerintah memulai perbaikan jalan ruas {place} sepanjang {n} kilometer yang rusak "
        "akibat banjir awal tahun.",
        "Pengerjaan meliputi pelebaran badan jalan, pembuatan saluran air dan pengaspalan ulang "
        "di titik yang paling parah.",
        "Pengendara diimbau berhati-hati karena sistem buka tutup diberlakukan di beberapa "
        "lokasi selama pekerjaan berlangsung.",
        "Perbaikan ditargetkan rampung sebelum arus mudik akhir tahun agar perjalanan warga "
        "kembali lancar.",
    )),
)

BOILERPLATE: dict[str, tuple[str, ...]] = {
    "wp": ("Beranda Profil Daerah", "Bagikan ini", "Hak Cipta Diskominfos Badung",
           "Tulisan Terkait", "Tinggalkan Balasan"),
    "joomla": ("Menu Utama Layanan Publik", "Berita Terpopuler Pekan Ini",
               "Copyright Pemkab Kendal", "Cetak Surel"),
    "custom": ("Tautan Instansi Vertikal", "Bagikan ke WhatsApp", "Berita Terkini Lainnya",
               "Kantor Bupati Gowa Jalan Mesjid Raya"),
    "og": ("Navigasi Portal Kota", "Sebarkan lewat Facebook", "Baca juga berita lain",
           "Dikelola oleh Dinas Kominfo Kota Jayapura"),
}


@dataclass(frozen=True)
class Article:
    """One fixture article and the truth extraction is measured against."""

    site: str
    index: int
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    zone: str
    image_path: str
    tags: tuple[str, ...]
    path: str
    wp_id: int = 0

    def stamp(self) -> str:
        """Machine-readable date as the CMS writes it: some omit the offset, some use UTC."""
        if self.site == "og" and self.index % 3 == 2:
            return self.published.replace(tzinfo=None).isoformat()  # local, no offset
        if self.site == "joomla" and self.index % 2 == 1:
            return self.published.astimezone(UTC).isoformat()  # UTC, as Joomla stores it
        return self.published.isoformat()

    def date_text(self) -> str:
        """Three ways custom CMSs print dates; the third names no zone (the source's applies)."""
        d = self.published
        if self.index % 3 == 0:
            return f"{DAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year} | {d:%H:%M} {self.zone}"
        if self.index % 3 == 1:
            return f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}, pukul {d:%H.%M} {self.zone}"
        return f"{DAYS[d.weekday()]}, {d:%d/%m/%Y %H:%M}"


@dataclass
class Site:
    name: str
    server: FeedServer
    articles: list[Article] = field(default_factory=list)

    def url(self, path: str = "/") -> str:
        return self.server.url(path)

    def image_url(self, art: Article) -> str:
        return self.server.url(art.image_path)


PLACES = {
    "wp": ("Badung", "Kuta Selatan", "Mengwi", "Abiansemal", "Petang", "Kuta Utara",
           "Jimbaran", "Nusa Dua", "Canggu"),
    "joomla": ("Kendal", "Weleri", "Kaliwungu", "Boja", "Sukorejo", "Cepiring", "Patebon",
               "Pegandon", "Singorojo"),
    "custom": ("Gowa", "Sungguminasa", "Bontonompo", "Tinggimoncong", "Pallangga", "Bajeng",
               "Parangloe", "Somba Opu", "Barombong"),
    "og": ("Jayapura", "Abepura", "Heram", "Muara Tami", "Entrop", "Hamadi", "Skyline",
           "Waena", "Koya"),
}


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(p for p in out.split("-") if p)


def make_articles(site: str, count: int = 9) -> list[Article]:
    zone = {"wp": "WITA", "joomla": "WIB", "custom": "WITA", "og": "WIT"}[site]
    tz = timezone(timedelta(hours=ZONES[zone]))
    out = []
    for i in range(count):
        title_t, paras_t = TOPICS[i % len(TOPICS)]
        place = PLACES[site][i % len(PLACES[site])]
        n = 12 + 7 * i + len(site)
        title = title_t.format(place=place, n=n)
        published = datetime(2024, 12, 2, 10, 15, tzinfo=tz) - timedelta(days=i * 2, minutes=37 * i)
        slug = _slug(title)
        path = {
            "wp": f"/{published:%Y/%m/%d}/{slug}/",
            "joomla": f"/index.php/berita/{100 + i}-{slug}",
            "custom": f"/berita/{500 + i}/{slug}.html",
            "og": f"/news/{slug}",
        }[site]
        image = {
            "wp": f"/wp-content/uploads/2024/12/{slug[:30]}.jpg",
            "joomla": f"/images/berita/{slug[:30]}.jpg",
            "custom": f"/upload/foto/{slug[:30]}.jpg",
            "og": f"/assets/img/{slug[:30]}.jpg",
        }[site]
        out.append(Article(
            site=site, index=i, slug=slug, title=title,
            paragraphs=tuple(p.format(place=place, n=n) for p in paras_t),
            published=published, zone=zone, image_path=image,
            tags=(place, "Pemerintahan"), path=path, wp_id=1000 + i,
        ))
    return out


# -- page templates -------------------------------------------------------------------------

def _p(paras: tuple[str, ...]) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in paras)


def wp_page(site: Site, a: Article) -> str:
    url = site.url(a.path)
    img = site.image_url(a)
    iso = a.published.isoformat()
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "Article", "@id": f"{url}#article", "isPartOf": {"@id": url},
         "author": {"@id": f"{site.url('/')}#/schema/person/admin"}, "headline": a.title,
         "datePublished": iso, "dateModified": iso, "mainEntityOfPage": {"@id": url},
         "image": {"@id": f"{url}#primaryimage"}, "thumbnailUrl": img,
         "keywords": list(a.tags), "articleSection": ["Berita"], "inLanguage": "id"},
        {"@type": "WebPage", "@id": url, "url": url, "name": f"{a.title} - Diskominfos Badung",
         "datePublished": iso},
        {"@type": "ImageObject", "@id": f"{url}#primaryimage", "url": img, "contentUrl": img,
         "width": 1200, "height": 800},
        {"@type": "Person", "@id": f"{site.url('/')}#/schema/person/admin",
         "name": "Tim Humas Badung"},
    ]}
    others = "".join(f'<li><a href="{site.url(o.path)}">{html.escape(o.title)}</a></li>'
                     for o in site.articles if o is not a)[:2000]
    return f"""<!DOCTYPE html>
<html lang="id-ID"><head><meta charset="UTF-8">
<title>{html.escape(a.title)} - Diskominfos Badung</title>
<meta property="og:locale" content="id_ID"><meta property="og:type" content="article">
<meta property="og:title" content="{html.escape(a.title)} - Diskominfos Badung">
<meta property="og:url" content="{url}"><meta property="og:site_name" content="Diskominfos Badung">
<meta property="article:published_time" content="{iso}">
<meta property="og:image" content="{img}">
<script type="application/ld+json" class="yoast-schema-graph">{json.dumps(graph)}</script>
<link rel="https://api.w.org/" href="{site.url('/wp-json/')}">
<link rel="alternate" type="application/rss+xml" title="Diskominfos Badung &raquo; Feed" href="{site.url('/feed/')}">
</head><body class="post-template-default single single-post">
<header id="masthead"><nav class="main-navigation"><ul><li><a href="/">Beranda Profil Daerah</a></li>
<li><a href="/layanan/">Layanan</a></li></ul></nav></header>
<div id="content"><main id="main"><article class="post type-post">
<header class="entry-header"><h1 class="entry-title">{html.escape(a.title)}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="{iso}">{a.published.day} {MONTHS[a.published.month - 1]} {a.published.year}</time></span>
<span class="byline">oleh Tim Humas Badung</span></div></header>
<div class="entry-content">
<figure class="wp-block-image size-large"><img src="{a.image_path}" alt="Kegiatan" width="1024" height="683"></figure>
{_p(a.paragraphs)}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Bagikan ini:</h3>
<ul><li><a class="share-facebook" href="#">Facebook</a></li><li><a class="share-twitter" href="#">X</a></li></ul></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3>Tulisan Terkait</h3><ul>{others}</ul></div>
</div></article>
<div id="comments" class="comments-area"><h3 id="reply-title">Tinggalkan Balasan</h3>
<form><textarea name="comment"></textarea></form></div></main>
<aside id="secondary" class="widget-area"><section class="widget"><h2>Arsip</h2><ul><li>Desember 2024</li></ul></section></aside></div>
<footer id="colophon"><div class="site-info">Hak Cipta Diskominfos Badung &copy; 2024. Jalan Raya Sempidi, Mengwi.</div></footer>
</body></html>"""


def joomla_page(site: Site, a: Article) -> str:
    iso = a.stamp()
    d = a.published
    return f"""<!DOCTYPE html>
<html lang="id-id" dir="ltr"><head><meta charset="utf-8">
<meta name="generator" content="Joomla! - Open Source Content Management">
<title>{html.escape(a.title)}</title>
<link href="/templates/protostar/css/template.css" rel="stylesheet"></head>
<body class="site com_content view-article">
<div class="container"><header class="header"><a class="brand" href="/">Pemerintah Kabupaten Kendal</a></header>
<nav class="navigation" role="navigation"><ul class="nav menu nav-pills mod-list">
<li class="item-101"><a href="/">Menu Utama Layanan Publik</a></li><li class="item-102"><a href="/index.php/berita">Berita</a></li></ul></nav>
<div class="row-fluid"><main id="content" class="span9">
<div class="item-page" itemscope itemtype="https://schema.org/Article">
<meta itemprop="inLanguage" content="id-ID">
<div class="page-header"><h2 itemprop="headline">{html.escape(a.title)}</h2></div>
<div class="btn-group pull-right"><a class="btn dropdown-toggle" href="#">Cetak Surel</a></div>
<dl class="article-info muted"><dt class="article-info-term">Rincian</dt>
<dd class="createdby" itemprop="author"><span itemprop="name">Bagian Prokopim</span></dd>
<dd class="published"><time datetime="{iso}" itemprop="datePublished">Diterbitkan: {d.day:02d} {MONTHS[d.month - 1]} {d.year} {d:%H:%M}</time></dd>
<dd class="hits"><meta itemprop="interactionCount" content="UserPageVisits:311">Dilihat: 311</dd></dl>
<div itemprop="articleBody">
<p><img src="/{a.image_path.lstrip('/')}" alt="foto kegiatan" width="800" height="533"></p>
{_p(a.paragraphs)}
</div>
<ul class="pager pagenav"><li class="previous"><a href="#">Sebelumnya</a></li><li class="next"><a href="#">Selanjutnya</a></li></ul>
</div></main>
<div id="aside" class="span3"><div class="moduletable"><h3>Berita Terpopuler Pekan Ini</h3>
<ul class="mostread mod-list"><li><a href="#">Pengumuman seleksi perangkat desa</a></li></ul></div></div></div>
<footer class="footer"><p>Copyright Pemkab Kendal &copy; 2024, Jalan Soekarno-Hatta Kendal</p></footer>
</div></body></html>"""


def custom_page(site: Site, a: Article) -> str:
    d = a.published
    sidebar = "".join(
        f'<li><a href="{o.path}">{html.escape(o.title)}</a><span class="tgl">{o.date_text()}</span></li>'
        for o in site.articles[:4] if o is not a)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Portal Resmi Kabupaten Gowa</title></head>
<body><div id="atas"><img src="/gambar/logo.png"><div class="menu-atas"><a href="/">Beranda</a> |
<a href="/profil">Profil</a> | <a href="/instansi">Tautan Instansi Vertikal</a></div></div>
<div id="tengah"><div class="kiri"><div class="konten-berita">
<h1 class="judul">{html.escape(a.title)}</h1>
<div class="info">Ditulis oleh Humas Setda &nbsp; <span class="tanggal">{a.date_text()}</span> &nbsp; Dibaca 127 kali</div>
<div class="foto"><img src="{a.image_path}" width="600"><br><small>Dokumentasi Humas</small></div>
<div class="isi">{_p(a.paragraphs)}
<div class="bagikan">Bagikan ke WhatsApp | Bagikan ke Facebook</div></div>
</div></div>
<div class="kanan"><h3>Berita Terkini Lainnya</h3><ul>{sidebar}</ul></div></div>
<div id="bawah">Kantor Bupati Gowa Jalan Mesjid Raya No. 30 Sungguminasa &copy; {d.year}</div>
</body></html>"""


def og_page(site: Site, a: Article) -> str:
    url = site.url(a.path)
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{html.escape(a.title)} | Portal Kota Jayapura</title>
<meta property="og:type" content="article"><meta property="og:site_name" content="Portal Kota Jayapura">
<meta property="og:title" content="{html.escape(a.title)}">
<meta property="og:url" content="{url}">
<meta property="og:description" content="{html.escape(a.paragraphs[0])}">
<meta property="og:image" content="{site.image_url(a)}">
<meta property="article:published_time" content="{a.stamp()}">
<meta property="article:section" content="Pemerintahan">
</head><body>
<div class="topbar"><ul class="nav-links"><li>Navigasi Portal Kota</li><li><a href="/news">Berita</a></li></ul></div>
<section class="news-detail"><div class="wrap">
<h1 class="news-title">{html.escape(a.title)}</h1>
<div class="post-body">
<img class="cover" src="{a.image_path}" alt="">
{_p(a.paragraphs)}
</div>
<ul class="share-buttons"><li>Sebarkan lewat Facebook</li><li>Sebarkan lewat X</li></ul>
<div class="related-news"><h4>Baca juga berita lain</h4><a href="/news">Indeks berita</a></div>
</div></section>
<footer class="site-footer"><p>Dikelola oleh Dinas Kominfo Kota Jayapura. Semua hak dilindungi.</p></footer>
</body></html>"""


PAGE = {"wp": wp_page, "joomla": joomla_page, "custom": custom_page, "og": og_page}


# -- WordPress REST API -----------------------------------------------------------------------

def wp_post(site: Site, a: Article) -> dict[str, object]:
    utc = a.published.astimezone(UTC)
    local = a.published.replace(tzinfo=None)
    link = site.url(a.path)
    return {
        "id": a.wp_id, "date": local.isoformat(), "date_gmt": utc.replace(tzinfo=None).isoformat(),
        "guid": {"rendered": site.url(f"/?p={a.wp_id}")},
        "modified": local.isoformat(), "modified_gmt": utc.replace(tzinfo=None).isoformat(),
        "slug": a.slug, "status": "publish", "type": "post", "link": link,
        "title": {"rendered": html.escape(a.title)},
        "content": {"rendered": f'<figure class="wp-block-image"><img src="{site.image_url(a)}"></figure>'
                    + _p(a.paragraphs), "protected": False},
        "excerpt": {"rendered": f"<p>{html.escape(a.paragraphs[0])} [&hellip;]</p>\n",
                    "protected": False},
        "author": 2, "featured_media": a.wp_id + 5000, "categories": [3], "tags": [10 + a.index],
        "_embedded": {
            "author": [{"id": 2, "name": "Tim Humas Badung", "slug": "humas"}],
            "wp:featuredmedia": [{"id": a.wp_id + 5000, "source_url": site.image_url(a),
                                  "mime_type": "image/jpeg", "alt_text": "Kegiatan",
                                  "media_details": {"width": 1200, "height": 800}}],
            "wp:term": [[{"id": 3, "name": "Berita", "taxonomy": "category"}],
                        [{"id": 10 + a.index, "name": a.tags[0], "taxonomy": "post_tag"}]],
        },
    }


def wp_api_handler(site: Site, *, enabled: bool = True):
    def handle(req: BaseHTTPRequestHandler) -> Route:
        if not enabled:
            return Route(status=401, content_type="application/json; charset=UTF-8", body=json.dumps(
                {"code": "rest_disabled", "message": "REST API dimatikan.", "data": {"status": 401}}))
        q = parse_qs(urlsplit(req.path).query)
        per = int(q.get("per_page", ["10"])[0])
        page = int(q.get("page", ["1"])[0])
        posts = sorted(site.articles, key=lambda a: a.published, reverse=True)
        pages = max(1, -(-len(posts) // per))
        if page > pages:
            return Route(status=400, content_type="application/json", body=json.dumps(
                {"code": "rest_post_invalid_page_number", "message": "Nomor halaman tidak valid."}))
        chunk = posts[(page - 1) * per: page * per]
        return Route(content_type="application/json; charset=UTF-8",
                     headers={"X-WP-Total": str(len(posts)), "X-WP-TotalPages": str(pages),
                              "Link": f'<{site.url("/wp-json/wp/v2/posts")}?page={page + 1}>; rel="next"'},
                     body=json.dumps([wp_post(site, a) for a in chunk]))
    return handle


# -- feeds, sitemaps, listings --------------------------------------------------------------

def rss_for(site: Site) -> str:
    items = "".join(
        f"<item><title>{html.escape(a.title)}</title><link>{site.url(a.path)}</link>"
        f"<guid isPermaLink=\"false\">{site.url(f'/?p={a.wp_id}')}</guid>"
        f"<pubDate>{a.published.strftime('%a, %d %b %Y %H:%M:%S %z')}</pubDate>"
        f"<description><![CDATA[{a.paragraphs[0]}]]></description></item>"
        for a in site.articles)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Diskominfos Badung</title><link>{site.url('/')}</link>{items}</channel></rss>")


def urlset(site: Site, articles: list[Article], *, news: bool = False) -> str:
    rows = []
    for a in articles:
        extra = ""
        if news:
            extra = (f"<news:news><news:publication><news:name>{site.name}</news:name>"
                     f"<news:language>id</news:language></news:publication>"
                     f"<news:publication_date>{a.published.isoformat()}</news:publication_date>"
                     f"<news:title>{html.escape(a.title)}</news:title></news:news>")
        rows.append(f"<url><loc>{site.url(a.path)}</loc>"
                    f"<lastmod>{a.published.isoformat()}</lastmod>{extra}</url>")
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>{"".join(rows)}</urlset>')


def sitemap_index(site: Site, children: list[tuple[str, str]]) -> str:
    rows = "".join(f"<sitemap><loc>{site.url(p)}</loc><lastmod>{m}</lastmod></sitemap>"
                   for p, m in children)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>')


def listing(site: Site, kind: str) -> str:
    if kind == "joomla":
        items = "".join(f'<div class="blog-item"><h2 class="item-title" itemprop="name">'
                        f'<a href="{a.path}">{html.escape(a.title)}</a></h2></div>'
                        for a in site.articles)
        return (f'<html><head><meta name="generator" content="Joomla! - Open Source Content Management">'
                f'<title>Berita - Pemkab Kendal</title></head><body><ul class="nav menu"><li>'
                f'<a href="/">Menu Utama Layanan Publik</a></li></ul><div class="blog">{items}</div></body></html>')
    items = "".join(f'<div class="daftar"><h2 class="judul"><a href="{a.path}">{html.escape(a.title)}'
                    f'</a></h2><span class="tanggal">{a.date_text()}</span></div>'
                    for a in site.articles)
    return (f"<html><head><title>Berita - Portal Resmi Kabupaten Gowa</title></head><body>"
            f'<div class="menu-atas"><a href="/">Beranda</a></div>{items}'
            f'<div class="halaman"><a href="/berita/?hal=2">Berikutnya</a></div></body></html>')


def homepage(site: Site, kind: str) -> str:
    head = {
        "wp": (f'<link rel="https://api.w.org/" href="{site.url("/wp-json/")}">'
               f'<link rel="alternate" type="application/rss+xml" title="Feed" href="{site.url("/feed/")}">'
               f'<link rel="alternate" type="application/rss+xml" title="Komentar" href="{site.url("/comments/feed/")}">'
               f'<link rel="stylesheet" href="/wp-content/themes/humas/style.css">'
               f'<meta property="og:site_name" content="Diskominfos Badung">'),
        "joomla": '<meta name="generator" content="Joomla! - Open Source Content Management">',
        "custom": "",
        "og": '<meta property="og:site_name" content="Portal Kota Jayapura">',
    }[kind]
    title = {"wp": "Diskominfos Badung", "joomla": "Beranda - Pemkab Kendal",
             "custom": "Portal Resmi Kabupaten Gowa", "og": "Portal Kota Jayapura"}[kind]
    nav = {"joomla": '<ul class="nav menu"><li><a href="/index.php/berita">Berita Daerah</a></li></ul>',
           "custom": '<div class="menu-atas"><a href="/berita/">Berita</a> | <a href="/profil">Profil</a></div>',
           }.get(kind, "")
    return f"<html><head><title>{title}</title>{head}</head><body>{nav}<h1>{title}</h1></body></html>"


HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"


def build_site(kind: str, server: FeedServer, *, count: int = 9, wp_api: bool = True) -> Site:
    """Register every route of one fixture site on ``server`` (one site per server/host)."""
    site = Site(kind, server, make_articles(kind, count))
    for a in site.articles:
        server.add(a.path, body=PAGE[kind](site, a), content_type=HTML,
                   etag=f'"{kind}-{a.index}-v1"')
    server.add("/", body=homepage(site, kind), content_type=HTML)
    newest = max(a.published for a in site.articles).isoformat()
    if kind == "wp":
        server.add("/wp-json/wp/v2/posts", Route(handler=wp_api_handler(site, enabled=wp_api)))
        server.add("/feed/", body=rss_for(site), content_type="application/rss+xml; charset=UTF-8")
        server.add("/robots.txt", body="User-agent: *\nDisallow: /wp-admin/\n"
                   f"Sitemap: {site.url('/sitemap_index.xml')}\n", content_type="text/plain")
        server.add("/sitemap_index.xml", body=sitemap_index(site, [("/post-sitemap.xml", newest)]),
                   content_type=XML)
        server.add("/post-sitemap.xml", body=urlset(site, site.articles), content_type=XML)
    elif kind == "joomla":
        server.add("/index.php/berita", body=listing(site, "joomla"), content_type=HTML)
        # Joomla's feed view switched off: a "soft 200" HTML page instead of RSS.
        server.add("/index.php", body=homepage(site, kind), content_type=HTML)
    elif kind == "custom":
        secret = site.articles[-1]
        server.add("/robots.txt", body=(
            "User-agent: *\nDisallow: /admin/\n"
            f"Disallow: {secret.path}\nCrawl-delay: 0.05\n"
            f"Sitemap: {site.url('/sitemap.xml')}\n"), content_type="text/plain")
        server.add("/berita/", body=listing(site, "custom"), content_type=HTML)
        server.add("/sitemap.xml", body=urlset(site, site.articles), content_type=XML)
    elif kind == "og":
        server.add("/robots.txt", body=f"User-agent: *\nAllow: /\nSitemap: {site.url('/sitemap-index.xml')}\n",
                   content_type="text/plain")
        server.add("/sitemap-index.xml", body=sitemap_index(site, [
            ("/sitemap-pages.xml", "2024-01-10T08:00:00+09:00"),
            ("/sitemap-news.xml", newest)]), content_type=XML)
        server.add("/sitemap-news.xml", body=urlset(site, site.articles, news=True), content_type=XML)
        server.add("/sitemap-pages.xml", body=urlset(site, []), content_type=XML)
        server.add("/rss", status=403, body="<html><body>Access denied</body></html>", content_type=HTML)
    return site


SITE_REGIONS = {"wp": "51.03", "joomla": "33.24", "custom": "73.06", "og": "91.71"}
"""Badung (Bali, WITA), Kendal (Jawa Tengah, WIB), Gowa (Sulsel, WITA), Kota Jayapura (Papua, WIT)."""
