"""The papers as HTML (the page view) and as PDF (WeasyPrint), from the templates the pages share.

Same inputs, same bytes: WeasyPrint writes no creation date unless the HTML asks for one, the QR code is an
SVG drawn from the code alone, and the fonts are the machine's (DejaVu, installed with the system libraries).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import qrcode
import qrcode.image.svg

from adapters.publication.documents.modeles import DocumentVue
from adapters.publication.rendu import rendre

GABARITS = {"releve": "_releve.html", "attestation": "_attestation.html", "certificat": "_certificat.html",
            "pv": "_pv.html"}  # fmt: skip


@dataclass(frozen=True)
class Impression:
    """What makes a paper verifiable: its code, the hash of its content, where to check it, the QR code."""

    code: str
    empreinte: str
    url_verification: str
    qr: str  # data: URI of an SVG


def qr_svg(texte: str) -> str:
    """A QR code of the verification address, as a data URI (no file, no raster: the same bytes every time)."""
    image = qrcode.make(texte, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    tampon = io.BytesIO()
    image.save(tampon)
    return "data:image/svg+xml;base64," + base64.b64encode(tampon.getvalue()).decode("ascii")


def impression(code: str, empreinte: str, base_verification: str) -> Impression:
    url = f"{base_verification.rstrip('/')}/verifier/{code}"
    return Impression(code=code, empreinte=empreinte, url_verification=url, qr=qr_svg(url))


def html(vue: DocumentVue, imp: Impression) -> str:
    return rendre("document.html", vue=vue, impression=imp, partiel=GABARITS[vue.nature])


def pdf(vue: DocumentVue, imp: Impression) -> bytes:
    """The PDF of a paper; imported lazily: WeasyPrint loads Pango, which the pages never need."""
    from weasyprint import HTML

    sortie: bytes = HTML(string=html(vue, imp)).write_pdf()
    return sortie
