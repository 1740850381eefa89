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
    # Sites read through the WordPress API, sitemaps or listing pages.
    "robots": "robots.txt melarang pengambilan {detail}",
    "robots_unavailable": "robots.txt tidak dapat dibaca (server bermasalah), "
    "jadi pengambilan ditunda sampai robots.txt dapat dibaca",
    "wp_api_off": "API WordPress tidak aktif ({detail})",
    "wp_invalid": "API WordPress mengembalikan data yang tidak dikenal: {detail}",
    "invalid_sitemap": "sitemap tidak dapat dibaca: {detail}",
    "no_links": "halaman daftar berita tidak memuat tautan yang cocok dengan selektor {detail}",
    "extract_failed": "judul dan isi berita tidak ditemukan di halaman {detail}",
    "not_html": "alamat ini tidak mengembalikan halaman HTML ({detail})",
}

METHOD_LABELS: dict[str, str] = {
    "feed": "feed RSS/Atom",
    "wordpress": "API WordPress",
    "sitemap": "sitemap",
    "html": "halaman daftar berita",
}
"""How sources.json, the status page and ``invoke discover`` name each reading method."""


def wp_fallback_note(reason: str, feed_url: str) -> str:
    """Health note when the WordPress API is off and the site's feed was read instead."""
    return f"API WordPress tidak dapat dipakai ({reason}); berita diambil dari feed {feed_url}"


def pages_note(fetched: int, skipped_robots: int, failed: int, deferred: int) -> str | None:
    """Health note for sitemap/html sources: what happened to the article pages this run."""
    parts = []
    if fetched:
        parts.append(f"{fetched} halaman berita diambil")
    if skipped_robots:
        parts.append(f"{skipped_robots} dilewati karena robots.txt melarang")
    if failed:
        parts.append(f"{failed} gagal diambil atau dibaca")
    if deferred:
        parts.append(f"{deferred} menunggu giliran berikutnya (batas per jalan)")
    return "; ".join(parts) or None


def fetch_error_message(error_class: str, status: int | None, detail: str = "") -> str:
    """Plain-Indonesian reason for a failed fetch, for health pages and logs."""
    if error_class == "not_a_feed" and detail:
        return f"{detail} mengembalikan halaman HTML, bukan feed RSS/Atom"
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


# -- reader hub: labels the public reads on the site ----------------------

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
TOP_TODAY = "Sorotan hari ini"
TOP_RECENT = "Sorotan terkini"
"""The highlights' heading when today had too few stories and earlier ones fill the block."""
TOP_SINCE = "Sejak {day}"
"""Under :data:`TOP_RECENT`: the day of the oldest story shown ("Sejak Kamis, 3 Desember 2026")."""

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


# -- hourly run, verification, publishing, health dashboard -----------------
# Operators read these in the console, the CI log and var/runs.jsonl. Verification
# reasons are given in Indonesian and English (CI logs are also read by outside help).

_BIGGER_TARGETS_ID = (
    "Pilihan lain: rsync ke server sendiri (WARTA_PUBLISH_TARGET = \"rsync:user@host:/folder\") "
    "atau object storage lewat rclone (WARTA_PUBLISH_TARGET = \"rclone\", WARTA_RCLONE_REMOTE = "
    "\"remote:bucket/folder\") di belakang CDN; lihat docs/beyond-one-machine.md"
)
_BIGGER_TARGETS_EN = (
    "Alternatives: rsync to a server (WARTA_PUBLISH_TARGET = \"rsync:user@host:/path\") or "
    "object storage through rclone (WARTA_PUBLISH_TARGET = \"rclone\", WARTA_RCLONE_REMOTE = "
    "\"remote:bucket/path\") behind a CDN; see docs/beyond-one-machine.md"
)
"""The targets a site that outgrew GitHub Pages can move to (Indonesian, English)."""

VERIFY_REASONS: dict[str, tuple[str, str]] = {
    "no_output": (
        "folder hasil {output} tidak ada atau kosong",
        "output folder {output} is missing or empty",
    ),
    "pages_lost": (
        "situs baru kehilangan {lost} dari {before} halaman ({share:.0%}, batas {limit:.0%}); "
        "contoh yang hilang: {examples}",
        "the new site lost {lost} of {before} pages ({share:.0%}, limit {limit:.0%}); "
        "missing for example: {examples}",
    ),
    "home_missing": (
        "beranda (index.html) tidak ada",
        "the home page (index.html) is missing",
    ),
    "home_empty": (
        "beranda tidak menampilkan satu pun berita",
        "the home page lists no news",
    ),
    "broken_links": (
        "{count} tautan internal rusak, misalnya {examples}",
        "{count} broken internal links, e.g. {examples}",
    ),
    "site_too_big": (
        "situs ini {size_id}, melebihi batas {limit_id} untuk target {target}; tidak ada yang "
        "dikirim. " + _BIGGER_TARGETS_ID,
        "the site is {size_en}, over the {limit_en} limit of target {target}; nothing was "
        "pushed. " + _BIGGER_TARGETS_EN,
    ),
    "file_too_big": (
        "berkas {path} berukuran {size_id}, melebihi batas {limit_id} per berkas untuk target "
        "{target}; tidak ada yang dikirim. " + _BIGGER_TARGETS_ID,
        "file {path} is {size_en}, over the per-file limit of {limit_en} of target {target}; "
        "nothing was pushed. " + _BIGGER_TARGETS_EN,
    ),
}

PUBLISH_TARGET_UNKNOWN = (
    "WARTA_PUBLISH_TARGET tidak dikenal: {value!r} — pakai \"gh-pages\", \"dir:/folder\", "
    "\"rsync:user@host:/folder\" atau \"rclone\" (unknown publish target)"
)
PUBLISH_RCLONE_NO_REMOTE = (
    "target rclone tanpa tujuan: isi WARTA_RCLONE_REMOTE (mis. \"s3warta:bucket/situs\") atau "
    "pakai WARTA_PUBLISH_TARGET = \"rclone:remote:bucket/folder\" "
    "(rclone target without a remote)"
)
PUBLISH_TOOL_MISSING = "{tool} tidak terpasang (apt-get install {tool})"

HOURLY_MESSAGES: dict[str, str] = {
    "busy": "Putaran lain sedang berjalan ({holder}); putaran ini dilewati.",
    "empty_archive": (
        "Arsip kosong atau tidak ada, padahal situs terakhir yang terbit punya {pages} halaman. "
        "Penerbitan dibatalkan agar situs tidak menyusut karena arsip yang hilang. Periksa cabang "
        "data; bila memang baru mulai, jalankan lagi dengan --allow-empty. "
        "(The archive is empty or missing while the last published site had {pages} pages; "
        "refusing to publish. Use --allow-empty on a genuine first run.)"
    ),
    "restore_failed": (
        "Arsip tidak dapat dipulihkan dari cabang data: {detail}. Penerbitan dibatalkan. "
        "(Could not restore the archive from the data branch; refusing to publish.)"
    ),
    "verify_failed": (
        "Verifikasi gagal; situs lama tetap tayang. (Verification failed; the last good site "
        "stays online.)"
    ),
    "build_failed": (
        "Pembangunan situs gagal: {detail}; situs lama tetap tayang. (The build failed; the last "
        "good site stays online.)"
    ),
    "publish_failed": (
        "Penerbitan gagal: {detail}; situs lama tetap tayang. (Publishing failed; the last good "
        "site stays online.)"
    ),
    "save_failed": (
        "Arsip tidak dapat disimpan ke cabang data: {detail}. (Could not save the archive to the "
        "data branch.)"
    ),
    "published": "Situs terbit ke {target}: {pages} halaman ({seconds:.1f} dtk).",
    "not_published": "Situs dibangun dan diverifikasi tetapi tidak diterbitkan (--no-publish).",
}

HEALTH_STATUS_LABELS: dict[str, str] = {
    "ok": "ok",
    "not_modified": "tidak berubah",
    "error": "gagal",
    "never": "belum pernah diambil",
    "unverified": "belum diverifikasi",
}
"""Short status words of the /status/ dashboard (a failing source adds "sejak …")."""

# -- search, widgets, open data -----------------------------------------------

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

WIDGET_MORE = "Berita lainnya di {site}"
WIDGET_EMPTY = "Belum ada berita."
WIDGET_KIND_LABELS: dict[str, str] = {"sumber": "Sumber", "wilayah": "Wilayah", "kategori": "Kategori"}
ARCHIVE_TITLE = "{site} — arsip berita {month}"

# Cleaning: text the cleaner writes into an item a reader sees.
VIDEO_LINK = "▶ Tonton video di {site}"
EMBED_LINK = "Buka konten tersemat di situs sumber"
UNTITLED = "(tanpa judul)"

IMAGE_ERROR_MESSAGES: dict[str, str] = {
    "http": "gambar tidak dapat diambil: server menjawab {status}",
    "timeout": "server gambar tidak menjawab dalam batas waktu",
    "connection": "tidak dapat terhubung ke server gambar",
    "blocked": "alamat gambar menuju jaringan internal/privat dan diblokir demi keamanan",
    "redirects": "gambar dialihkan terlalu banyak kali (lebih dari {detail})",
    "too_large": "ukuran berkas gambar melebihi batas {detail} bita",
    "too_many_pixels": "dimensi gambar terlalu besar ({detail}); kemungkinan 'bom dekompresi'",
    "too_small": "gambar terlalu kecil ({detail}); kemungkinan ikon atau piksel pelacak",
    "not_an_image": "berkas di alamat gambar bukan gambar JPEG/PNG/GIF/WebP/AVIF",
    "corrupt": "berkas gambar rusak dan tidak dapat dibaca",
    "file": "berkas gambar lokal tidak dapat dibaca: {detail}",
    "offline": "gambar belum pernah diambil (pembangunan tanpa internet)",
    "internal": "kesalahan internal saat memproses gambar: {detail}",
}


def image_error_message(error_class: str, status: int | None = None, detail: str = "") -> str:
    """Plain-Indonesian reason an image could not be used, for source health."""
    if error_class == "http" and status == 404:
        return "gambar tidak ditemukan (404); mungkin sudah dihapus dari situs sumber"
    template = IMAGE_ERROR_MESSAGES.get(error_class, "gambar gagal diproses: {detail}")
    return template.format(detail=detail, status=status if status is not None else "").strip()

# --- Stable listing pages (plugins/warta/site/incremental.py) -------------------------------------
PAGE_LABEL_LATEST = "Terbaru"
"""First page of a category/topic listing: the newest articles."""


def page_label_range(first: int, last: int) -> str:
    """An older listing page, numbered from the oldest article so the page never changes."""
    return f"Berita ke-{first:,}–{last:,} (dihitung dari yang terlama)".replace(",", ".")





# -- `invoke check` for local articles and takedowns.yml ---------------------------
# Each rule code maps to (what is wrong, how to fix it). Codes are stable identifiers for
# tests and tools; the sentences are for humas staff editing in the GitHub web editor.

CHECK_MESSAGES: dict[str, tuple[str, str]] = {
    "encoding": ("berkas tidak tersimpan sebagai teks UTF-8",
                 "simpan ulang berkas sebagai UTF-8 (di editor GitHub cukup salin-tempel isinya "
                 "ke berkas baru)"),
    "metadata-missing": ("bagian kolom di awal berkas tidak ditemukan",
                         "mulai berkas dengan baris-baris 'Kolom: isi' (Title, Date, Source, …), "
                         "lalu satu baris kosong, lalu isi berita"),
    "field-required": ("kolom '{field}' wajib diisi tetapi tidak ada",
                       "tambahkan baris '{field}: …' di bagian kolom, contoh: {example}"),
    "field-empty": ("kolom '{field}' kosong",
                    "isi kolom '{field}' atau hapus barisnya jika kolom itu tidak wajib"),
    "field-unknown": ("kolom '{field}' tidak dikenal",
                      "{suggestion}kolom yang boleh dipakai: {allowed}"),
    "field-duplicate": ("kolom '{field}' ditulis lebih dari sekali (juga di baris {other})",
                        "hapus salah satu baris '{field}'"),
    "source-unknown": ("sumber '{value}' tidak terdaftar di registri sumber",
                       "{suggestion}tulis id sumber persis seperti di berkas sources/…/<id>.yml; "
                       "jika kantor Anda belum terdaftar, daftarkan dulu (lihat CONTRIBUTING.md)"),
    "category-unknown": ("kategori '{value}' tidak dikenal",
                         "{suggestion}pilih salah satu dari: {allowed}"),
    "date-invalid": ("tanggal '{value}' pada kolom '{field}' tidak dapat dibaca",
                     "tulis dengan format TAHUN-BULAN-TANGGAL JAM:MENIT+ZONA, "
                     "contoh: {field}: {example}"),
    "date-offset": ("tanggal '{value}' pada kolom '{field}' tidak menyebut zona waktu",
                    "tambahkan zona di akhir: +07:00 (WIB), +08:00 (WITA) atau +09:00 (WIT), "
                    "contoh: {field}: {example}"),
    "date-future": ("tanggal '{value}' pada kolom '{field}' lebih dari sehari di masa depan",
                    "periksa tahun, bulan dan zona waktu; berita dijadwalkan cukup ditandai "
                    "'Status: draft' sampai hari terbit"),
    "date-old": ("tanggal '{value}' pada kolom '{field}' terlalu lampau (sebelum 1995)",
                 "periksa tahunnya; contoh: {field}: {example}"),
    "modified-before-date": ("tanggal koreksi (Modified) '{value}' lebih awal daripada Date",
                             "Modified adalah waktu koreksi, jadi harus sesudah Date; "
                             "contoh: Modified: {example}"),
    "status-invalid": ("status '{value}' tidak dikenal",
                       "pakai 'Status: draft' (belum terbit) atau hapus baris Status agar terbit"),
    "tags-empty": ("kolom 'Tags' tidak berisi satu topik pun",
                   "tulis minimal satu topik, pisahkan dengan koma, contoh: Tags: Cilacap, jalan"),
    "image-url": ("alamat gambar tidak sah: {reason}",
                  "pakai alamat lengkap https://… atau berkas unggahan /images/…"),
    "image-path": ("gambar '{value}' harus berada di folder content/images/",
                   "unggah foto ke content/images/{folder}/ lalu tulis "
                   "Image: /images/{folder}/nama-foto.jpg"),
    "image-missing": ("berkas gambar '{value}' tidak ditemukan (dicari di {expected})",
                      "unggah fotonya ke folder itu atau perbaiki nama berkas di kolom Image "
                      "(huruf besar/kecil harus sama)"),
    "image-broken": ("berkas gambar '{value}' bukan gambar JPEG, PNG, WebP atau GIF yang utuh",
                     "simpan ulang fotonya sebagai .jpg atau .png lalu unggah lagi"),
    "image-size": ("gambar '{value}' terlalu besar ({detail})",
                   "perkecil foto menjadi paling besar {max_kb} KB dan {max_px} piksel per sisi "
                   "(misalnya dengan fitur 'ubah ukuran' di ponsel) lalu unggah lagi"),
    "image-small": ("gambar '{value}' terlalu kecil ({detail}) dan akan diganti gambar pengganti",
                    "pakai foto yang sisi terpendeknya paling sedikit {min_px} piksel"),
    "html-forbidden": ("tag <{tag}> tidak boleh dipakai dalam artikel",
                       "hapus tag <{tag}>; video atau peta cukup ditulis sebagai tautan biasa, "
                       "contoh: [Tonton videonya](https://…)"),
    "html-event": ("atribut '{attr}' pada tag <{tag}> tidak boleh dipakai (dapat menjalankan skrip)",
                   "hapus atribut '{attr}'"),
    "html-javascript": ("tautan '{value}' menjalankan skrip, bukan membuka halaman",
                        "ganti dengan alamat https://… atau hapus tautannya"),
    "body-empty": ("isi berita kosong",
                   "tulis isi berita sesudah baris kosong di bawah kolom-kolom"),
    "slug-invalid": ("nama berkas '{value}' tidak dapat dipakai sebagai alamat halaman",
                     "ganti nama berkas menjadi {suggestion}.md (huruf kecil, angka dan tanda "
                     "hubung saja)"),
    "slug-duplicate": ("nama berkas '{value}' sudah dipakai oleh {other}",
                       "nama berkas menjadi alamat halaman sehingga harus unik; ganti nama, "
                       "misalnya {value}-2.md"),
    "folder-wrong": ("berkas berada di folder yang salah untuk sumber '{source}'",
                     "pindahkan berkas ke {expected}"),
    "folder-outside": ("berkas artikel berada di luar folder provinsi",
                       "artikel harus berada di content/<kode-provinsi>/<id-sumber>/<tahun>/ "
                       "(atau content/nasional/… untuk instansi pusat); "
                       "buat dengan 'invoke new --source ID \"Judul\"'"),
    "source-duplicate-homepage": (
        "berkas sumber '{source}' memakai alamat situs {homepage}, yang sudah dipakai oleh {other}",
        "satu situs cukup didaftarkan sekali: gabungkan kedua berkas (kolom feeds boleh berisi "
        "lebih dari satu alamat) atau hapus salah satunya"),
    "source-duplicate-pemda": (
        "berkas sumber '{source}' ({kind}) adalah pemerintah daerah kedua untuk {region}; "
        "yang pertama: {other} ({other_kind})",
        "satu wilayah hanya punya satu berkas pemerintah daerah: hapus salah satunya atau "
        "perbaiki kolom region"),
    "source-folder": ("berkas sumber '{source}' berada di folder yang salah untuk wilayahnya",
                      "pindahkan berkas ke {expected} (folder provinsi menentukan siapa yang "
                      "meninjau perubahan)"),
    "placeholder": ("kolom '{field}' masih berisi teks contoh dari templat",
                    "ganti dengan isi yang sebenarnya sebelum pull request digabung"),
    "placeholder-image": ("kolom 'Image' masih memakai foto pengganti (belum ada foto berita)",
                          "unggah foto kegiatan ke content/images/{folder}/ lalu tulis "
                          "Image: /images/{folder}/nama-foto.jpg"),
    # takedowns.yml
    "takedown-yaml": ("takedowns.yml tidak dapat dibaca ({reason})",
                      "periksa indentasi: setiap entri diawali '- ' lalu kolom id/url, reason, date"),
    "takedown-entry": ("entri ke-{index} harus berupa pasangan kolom (id atau url, reason, date)",
                       "contoh:\n  - id: 3f2a9c0d1e2b4a5c\n    reason: Berita ditarik atas "
                       "permintaan sumber\n    date: 2025-06-01"),
    "takedown-target": ("entri ke-{index} harus menyebut tepat satu dari 'id' atau 'url'",
                        "tulis id berita (lihat api/v1/latest.json) atau alamat asli beritanya"),
    "takedown-field": ("entri ke-{index}: kolom '{field}' tidak dikenal",
                       "kolom yang boleh dipakai: id, url, reason, date"),
    "takedown-reason": ("entri ke-{index}: alasan penarikan (reason) wajib diisi",
                        "tulis alasan singkat, contoh: reason: Data keliru, diganti rilis baru"),
    "takedown-date": ("entri ke-{index}: tanggal '{value}' tidak sah",
                      "tulis tanggal penarikan sebagai TAHUN-BULAN-TANGGAL, contoh: date: 2025-06-01"),
    "takedown-url": ("entri ke-{index}: {reason}", "tulis alamat lengkap berita aslinya, https://…"),
    "takedown-id": ("entri ke-{index}: id '{value}' tidak sah",
                    "id berita terdiri dari 16 huruf/angka (a–f, 0–9) seperti di api/v1/latest.json, "
                    "atau 'lokal-<nama-berkas>' untuk artikel lokal"),
    "takedown-duplicate": ("entri ke-{index} menarik berita yang sama dengan entri ke-{other}",
                           "hapus salah satu entri"),
}

CHECK_OK = "✓ Semua berkas valid: {sources} sumber, {articles} artikel, {takedowns} penarikan."
CHECK_FAILED = "{count} masalah ditemukan. Perbaiki lalu jalankan lagi 'invoke check'."
CHECK_WARNINGS = "{count} peringatan (tidak menggagalkan pemeriksaan)."
FIX_LABEL = "Perbaikan"
WARNING_LABEL = "peringatan"

# -- the `invoke new` scaffold -------------------------------------------------------

SCAFFOLD_SUMMARY = "Tulis ringkasan berita di sini: satu atau dua kalimat, paling banyak 300 huruf."
SCAFFOLD_BODY = "Tulis isi berita di sini. Pisahkan setiap paragraf dengan satu baris kosong."
SCAFFOLD_GUIDE = """\
<!--
PANDUAN MENGISI (catatan ini tidak tampil di situs):
- Title: judul berita, ditulis seperti kalimat biasa.
- Date: waktu terbit, TAHUN-BULAN-TANGGAL JAM:MENIT+ZONA ({zone}: {offset}).
- Source: id kantor Anda di registri sumber. Jangan diubah.
- Category: salah satu dari {categories}.
- Tags: topik berita, dipisahkan koma (nama daerah, program, instansi).
- Summary: satu-dua kalimat yang tampil di daftar berita dan di media sosial.
- Image: foto utama. Unggah ke content/images/{folder}/ lalu tulis
  Image: /images/{folder}/nama-foto.jpg (paling besar {max_kb} KB), atau alamat https://…
- Kolom tambahan (boleh dihapus/ditambah):
    Author: nama penulis yang tampil di situs
    Penulis: nama penulis naskah;  Editor: nama penyunting
    Modified: waktu koreksi, format sama dengan Date (tampil sebagai "Diperbarui")
    Status: draft  (berita belum diterbitkan)
- Dilarang: <script>, <iframe>, <style>, <object>, <embed>. Video/peta tulis sebagai tautan.
-->
"""
SCAFFOLD_CREATED = ("✓ Artikel baru dibuat: {path}\n"
                    "  Buka berkas itu, ganti teks contoh, lalu jalankan 'invoke check'.")
SCAFFOLD_UNKNOWN_SOURCE = "Sumber '{source}' tidak ada di registri {root}. {suggestion}"

# -- registry entries found by the hub itself (discover: true) ----------------------------------

REGISTRY_MESSAGES: dict[str, str] = {
    "feeds_required": "wajib berisi minimal satu alamat feed, misalnya:\n"
    "  feeds:\n    - https://cilacapkab.go.id/feed/\n"
    "atau, jika alamat feed belum diketahui, hapus 'feeds' dan tulis 'discover: true' "
    "agar Warta mencarinya sendiri pada pengambilan pertama",
    "discover_bool": "'{value}' harus true atau false (true: Warta mencari sendiri feed situs ini)",
    "ref_type": "harus berisi teks asal alamat situs (misalnya tautan daftar resmi) atau "
    "daftar teks seperti itu, misalnya ref: https://id.wikipedia.org/wiki/Kabupaten_Cilacap",
}
"""Registry sentences for the ``discover`` and ``ref`` fields."""

DISCOVERY_MESSAGES: dict[str, str] = {
    "homepage": "beranda tidak dapat dibuka: {detail}",
    "none": "belum ditemukan feed, API WordPress, sitemap atau halaman daftar berita yang "
    "dapat dibaca di {homepage}",
    "deferred": "pencarian feed ditunda setelah {count} kali gagal; dicoba lagi nanti",
    "found": "ditemukan otomatis: {label} {url}",
}
"""What the fetch run says about a source whose reading method it looks for itself."""

COVERAGE_LABELS: dict[str, str] = {
    "ok": "ok",
    "unverified": "belum diverifikasi",
    "error": "gagal",
    "inactive": "nonaktif",
}
"""The state of each institution on a region page: does the hub read it?"""

DISCOVER_WRITE: dict[str, str] = {
    "written": "✓ {path}: {label} {url} ({items} berita){origin}",
    "from_archive": "; sudah berhasil dibaca oleh pengambilan",
    "failed": "✗ {path}: {reason}",
    "has_feeds": "sudah berisi feeds; tidak diubah",
    "unknown": "'{target}' tidak cocok dengan id atau alamat situs berkas mana pun di {root}.",
    "summary": "{written} berkas diperbarui, {failed} belum ditemukan cara membacanya. "
    "Tinjau perubahannya dengan 'git diff', jalankan 'invoke check', lalu kirim pull request.",
    "comment": "{label}: {items} berita ditemukan (invoke discover, {date})",
    "invalid": "hasil penulisan tidak valid, berkas tidak diubah: {reason}",
}
"""``invoke discover --write``: one line per registry file, then a summary."""
