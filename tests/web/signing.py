"""Throwaway certificates and signed PDFs for the signature tests (cryptography + pyHanko)."""

from __future__ import annotations

import datetime as dt
import io

from asn1crypto import keys as asn1keys
from asn1crypto import x509 as asn1x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from dti.site.demo import tiny_pdf


def certificate(common_name: str, organisation: str, *, issuer=None, ca: bool = False):
    """(cert, key): self-signed, or issued by ``issuer`` = (cert, key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)])
    issuer_cert, issuer_key = issuer or (None, key)
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(name)
               .issuer_name(issuer_cert.subject if issuer_cert is not None else name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not ca, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=ca or issuer is None,
                                            crl_sign=ca, encipher_only=False, decipher_only=False), critical=True))
    return builder.sign(issuer_key, hashes.SHA256()), key


def pem(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def sign(data: bytes, cert, key, *, field: str = "Chuky1") -> bytes:
    signer = signers.SimpleSigner(
        signing_cert=asn1x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=None,
    )
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), signers.PdfSignatureMetadata(field_name=field),
                           signer=signer)
    return out.getvalue()


def signed_pdf(common_name="Nguyễn Văn Ánh", organisation="Sở Thông tin và Truyền thông", *, issuer=None) -> bytes:
    cert, key = certificate(common_name, organisation, issuer=issuer)
    return sign(tiny_pdf("Quyet dinh"), cert, key)


def altered_in_update(signed: bytes) -> bytes:
    """An incremental update after the signature that rotates the signed page."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page[generic.NameObject("/Rotate")] = generic.NumberObject(90)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def tampered(signed: bytes) -> bytes:
    """One byte of the signed text changed in place (same length: the byte range still parses)."""
    position = signed.index(b"(Quyet dinh)")
    return signed[:position + 1] + b"X" + signed[position + 2:]
