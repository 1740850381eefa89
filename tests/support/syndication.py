"""Corpora of repeated text: one release republished by many offices, one body in every
item of every feed, a summary-only feed. Written for these tests (not from real sites)."""

from __future__ import annotations

from datetime import datetime, timedelta

RELEASE_TITLE = "Pemerintah Luncurkan Layanan Sertifikat Tanah Elektronik di Seluruh Provinsi"
RELEASE = [
    "Kementerian Agraria dan Tata Ruang meluncurkan layanan sertifikat tanah elektronik yang mulai "
    "berlaku serentak di 38 provinsi pada Senin (3/3/2025). Peluncuran dipimpin Menteri Agraria "
    "Hendarto Wibisono di Auditorium Graha Pertanahan, Jakarta, dan diikuti kepala kantor "
    "pertanahan secara daring.",
    "Menurut Hendarto, sertifikat elektronik mengurangi risiko pemalsuan dan sengketa karena setiap "
    "dokumen tercatat dalam satu basis data nasional yang dapat diperiksa pemiliknya kapan saja "
    "melalui aplikasi Sentuh Tanahku.",
    "Pada tahap pertama, layanan menyasar 1.250.000 bidang tanah milik warga yang telah terdaftar. "
    "Pemilik sertifikat lama tidak wajib menukar dokumennya, tetapi dapat mengajukan alih media ke "
    "kantor pertanahan terdekat tanpa dipungut biaya sampai akhir Desember.",
    "Direktur Jenderal Penetapan Hak Ratna Kumalasari menambahkan bahwa petugas loket telah dilatih "
    "selama dua pekan. Warga diminta membawa kartu tanda penduduk, sertifikat asli dan bukti "
    "pembayaran pajak bumi dan bangunan tahun berjalan.",
    "Pemerintah daerah diminta membantu sosialisasi hingga tingkat kelurahan agar warga memahami "
    "manfaat layanan baru ini dan tidak tergiur tawaran calo yang menjanjikan pengurusan kilat.",
]
"""A national release of ~250 words, told with names, numbers and a date."""

TEMPLATE = [
    "Dinas Kependudukan dan Pencatatan Sipil membuka layanan jemput bola bagi warga yang belum "
    "memiliki kartu tanda penduduk elektronik, kartu keluarga terbaru maupun akta kelahiran anak.",
    "Petugas membawa perangkat perekaman lengkap, sehingga warga cukup datang ke balai desa dengan "
    "membawa fotokopi kartu keluarga dan surat pengantar dari rukun tetangga setempat.",
    "Layanan ini gratis dan tidak dipungut biaya apa pun. Warga yang menemukan pungutan diminta "
    "melapor melalui kanal pengaduan resmi pemerintah daerah atau datang langsung ke kantor dinas.",
    "Jadwal berikutnya akan diumumkan melalui laman dan akun media sosial resmi, sehingga warga "
    "diharapkan terus memantau informasi terbaru dan mengajak tetangga yang belum terdata.",
]
"""One ~100-word body that every item of every feed carries in the identical corpus."""
TEMPLATE_TITLE = "Pengumuman Jadwal Pelayanan Administrasi Kependudukan Keliling di"

TAGLINE = ("Portal berita resmi Pemerintah Kabupaten Sukamaju: melayani dengan hati, membangun "
           "negeri. Baca selengkapnya di laman kami.")
"""What a summary-only feed puts in every item's description."""

_HEADS = ("Suka", "Mekar", "Sido", "Tanjung", "Karang", "Sumber", "Harja", "Cinta", "Mulya", "Banyu",
          "Giri", "Rejo", "Jati", "Wana", "Sari")
_TAILS = ("maju", "jaya", "mulyo", "asri", "harjo", "makmur", "sari", "rahayu", "agung", "indah",
          "wangi", "luhur", "tani", "bakti", "mukti")


def place_name(n: int) -> str:
    """The ``n``-th of 225 distinct village names."""
    return _HEADS[n % len(_HEADS)] + _TAILS[(n // len(_HEADS)) % len(_TAILS)]


def office(n: int) -> tuple[str, str]:
    """``(source id, dateline)`` of the ``n``-th regency office (distinct for every ``n``)."""
    name = place_name(n + 97)
    return f"pemkab-{name.lower()}{n // 225 or ''}", name.upper()


def row(item_id: str, source_id: str, title: str, paragraphs: list[str], at: datetime,
        summary: str | None = None) -> dict[str, object]:
    """A row for :func:`tests.support.story_eval.store`."""
    return {"id": item_id, "source_id": source_id, "title": title,
            "content_html": "".join(f"<p>{p}</p>" for p in paragraphs), "published": at.isoformat(),
            "summary": summary}


def release_copies(count: int, start: datetime, *, first: int = 0,
                   spread: timedelta = timedelta(hours=20)) -> list[dict[str, object]]:
    """The release as published by the ministry, then republished by ``count`` regencies
    within ``spread``, each under its own dateline, every third with a sentence of its own."""
    out = [row("rilis-kementerian", "kementerian-atr", RELEASE_TITLE, RELEASE, start)]
    for n in range(first, first + count):
        source_id, dateline = office(n)
        paragraphs = [f"{dateline} – {RELEASE[0]}", *RELEASE[1:]]
        if n % 3 == 0:
            paragraphs.append(f"Bupati {place_name(n + 97)} menyambut baik peluncuran layanan ini.")
        at = start + timedelta(minutes=10) + spread * ((n - first) / max(count, 1))
        out.append(row(f"{n:04d}-salinan", source_id, RELEASE_TITLE, paragraphs, at))
    return out[1:] if first else out


def identical_bodies(sources: int, per_source: int, start: datetime) -> list[dict[str, object]]:
    """Every item of every source carries :data:`TEMPLATE`; titles differ in the village only
    (the j-th item of each source names the same village: an announcement every office
    posts alike)."""
    out = []
    for s in range(sources):
        source_id, _ = office(s)
        for j in range(per_source):
            at = start + timedelta(hours=3 * j, minutes=s)
            out.append(row(f"{source_id}-{j}", source_id, f"{TEMPLATE_TITLE} Desa {place_name(j)}",
                           TEMPLATE, at))
    return out


def summary_only(count: int, start: datetime, source_id: str = "pemkab-sukamaju"
                 ) -> list[dict[str, object]]:
    """A summary-only feed: distinct titles, no body, one description for all."""
    topics = ("Bupati Resmikan Jembatan", "Vaksinasi Anak Sekolah", "Festival Kuliner Rakyat",
              "Pelatihan Kader Posyandu", "Lomba Desa Wisata", "Penyaluran Bantuan Pangan",
              "Rapat Paripurna Anggaran", "Pembinaan Atlet Pelajar", "Operasi Pasar Murah",
              "Gotong Royong Bersih Sungai")
    return [{"id": f"ringkas-{n}", "source_id": source_id,
             "title": f"{topics[n % len(topics)]} di Desa {place_name(n)}",
             "content_html": "", "summary": TAGLINE,
             "published": (start + timedelta(hours=2 * n)).isoformat()} for n in range(count)]
