"""Every sentence an operator or humas reads, in Bahasa Indonesia, kept together.

Error *classes* (``timeout``, ``http`` …) are stable English identifiers for
machines (sources.json, logs); the messages are for people.
"""

from __future__ import annotations

HTTP_REASONS: dict[int, str] = {
    400: "permintaan ditolak server (400)",
    401: "feed meminta kata sandi (401)",
    403: "diblokir 403: server atau firewall (WAF) menolak akses",
    404: "alamat feed tidak ditemukan (404); mungkin feed sudah dipindah",
    410: "feed sudah dihapus permanen oleh pemiliknya (410)",
    429: "server meminta kami memperlambat permintaan (429)",
    500: "server sumber sedang bermasalah (500)",
    502: "server sumber tidak dapat dihubungi lewat gateway (502)",
    503: "server sumber sedang tidak tersedia (503)",
    504: "server sumber terlalu lama menjawab (504)",
}

ERROR_MESSAGES: dict[str, str] = {
    "timeout": "server tidak menjawab dalam batas waktu",
    "connection": "tidak dapat terhubung ke server",
    "tls": "sertifikat HTTPS situs tidak sah atau tidak lengkap",
    "too_large": "ukuran feed melebihi batas {detail} bita",
    "redirects": "terlalu banyak pengalihan (redirect) — lebih dari {detail} kali atau berputar",
    "encoding": "isi terkompresi rusak dan tidak dapat dibuka",
    "file": "berkas feed tidak dapat dibaca: {detail}",
    "not_a_feed": "alamat ini mengembalikan halaman HTML, bukan feed RSS/Atom",
    "invalid_feed": "feed tidak dapat dibaca sebagai RSS, Atom, RDF atau JSON Feed: {detail}",
    "internal": "kesalahan internal saat memproses feed: {detail}",
}


def fetch_error_message(error_class: str, status: int | None, detail: str = "") -> str:
    """Plain-Indonesian reason for a failed fetch, for health pages and logs."""
    if error_class == "http" and status is not None:
        if status in HTTP_REASONS:
            return HTTP_REASONS[status]
        if status >= 500:
            return f"server sumber sedang bermasalah ({status})"
        return f"server menolak permintaan ({status})"
    template = ERROR_MESSAGES.get(error_class, "gagal mengambil feed: {detail}")
    return template.format(detail=detail).strip()


STATUS_LABELS: dict[str, str] = {
    "ok": "Berjalan baik",
    "not_modified": "Tidak ada perubahan",
    "error": "Gagal",
    "stale": "Tidak ada berita baru",
    "never": "Belum pernah diambil",
    "deferred": "Ditunda (sedang gagal, dicoba lagi nanti)",
}

SUMMARY_HEADERS = ("Sumber", "Status", "Baru", "Diperbarui", "Keterangan")


# -- reader hub (issue 4): labels the public reads on the site ----------------------

KIND_LABELS: dict[str, str] = {
    "kementerian": "Kementerian",
    "lembaga": "Lembaga",
    "pemprov": "Pemerintah provinsi",
    "pemkab": "Pemerintah kabupaten",
    "pemkot": "Pemerintah kota",
    "dprd": "DPRD",
    "yudikatif": "Lembaga yudikatif",
    "instansi-vertikal": "Instansi vertikal",
    "tni-polri": "TNI/Polri",
    "bumn": "BUMN",
    "bumd": "BUMD",
    "lainnya": "Instansi lainnya",
}
"""Singular label of each registry ``kind``."""

KIND_GROUP_LABELS: dict[str, str] = {
    "pemprov": "Pemerintah provinsi",
    "pemkab-pemkot": "Pemerintah kabupaten/kota",
    "kementerian-lembaga": "Kementerian dan lembaga",
    "bumn-bumd": "BUMN dan BUMD",
}
"""Home-page blocks: one per group of institution kinds."""

CREDIT_LABELS: dict[str, str] = {
    "penulis": "Penulis",
    "reporter": "Reporter",
    "editor": "Editor",
    "foto": "Foto",
    "video": "Video",
    "grafis": "Grafis",
    "sumber": "Sumber",
}
"""Credits line on an article (``article.warta.credits`` keys); unknown keys are capitalized."""

NATIONAL_LABEL = "Nasional"
HOAX_CATEGORY = "klarifikasi-hoaks"
HOAX_LABEL = "Klarifikasi hoaks"
FEED_TITLE_ALL = "semua berita"


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", kind or "")


def credit_label(key: str) -> str:
    return CREDIT_LABELS.get(key.lower(), key[:1].upper() + key[1:])


# -- search, widgets, open data (issue 9) -----------------------------------------------

SEARCH_STRINGS: dict[str, str] = {
    # The first group follows Pagefind UI's own Indonesian translation (translations/id.json).
    "placeholder": "Cari",
    "load_more": "Muat lebih banyak hasil",
    "search_label": "Telusuri semua berita",
    "filters_label": "Filter",
    "zero_results": "[SEARCH_TERM] tidak ditemukan",
    "many_results": "Ditemukan [COUNT] hasil untuk [SEARCH_TERM]",
    "searching": "Mencari [SEARCH_TERM]...",
    "results_label": "Hasil pencarian",
    "error_search": "Pencarian gagal",
    "input_hint": "Hasil akan muncul saat Anda mengetik",
    # Ours.
    "all": "Semua",
    "filtered": "filter yang dipilih",
    "sort_label": "Urutkan",
    "sort_relevance": "Paling relevan",
    "sort_newest": "Terbaru",
    "sort_oldest": "Terlama",
    "unavailable": "Pencarian belum tersedia: indeks pencarian belum dibuat untuk situs ini.",
    "no_script": "Pencarian memerlukan JavaScript. Telusuri berita lewat halaman Wilayah, Sumber, "
                 "Kategori atau Arsip.",
}
"""Strings of the search page (``/cari/``), handed to ``theme/static/js/cari.js``."""

SEARCH_FILTERS: tuple[tuple[str, str], ...] = (
    ("wilayah", "Provinsi"),
    ("sumber", "Sumber"),
    ("jenis", "Jenis instansi"),
    ("kategori", "Kategori"),
)
"""Pagefind filter keys (``data-pagefind-filter``) and their labels on the search page."""

SEARCH_NAV_LABEL = "Cari"
WIDGET_MORE = "Berita lainnya di {site}"
WIDGET_EMPTY = "Belum ada berita."
WIDGET_KIND_LABELS: dict[str, str] = {"sumber": "Sumber", "wilayah": "Wilayah", "kategori": "Kategori"}
ARCHIVE_TITLE = "{site} — arsip berita {month}"
