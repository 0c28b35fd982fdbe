"""A test PKI shaped like Vietnam's Government specialised-signature PKI.

    root  "TEST Co quan chung thuc so chuyen dung Chinh phu (RootCA)"
     └─ sub-CA "TEST Co quan chung thuc so Chinh phu"
         ├─ personal      CN=Nguyễn Văn An,            UID=CCCD:…
         ├─ organisation  CN=Sở Thông tin và Truyền thông,
         │                O=Ủy ban nhân dân tỉnh Lào Cai, UID=MNS:…
         ├─ finance       CN=Sở Tài chính tỉnh Lào Cai, O=(the province),
         │                UID=MST:… (another agency's seal)
         ├─ expired       (valid 2015–2017)
         ├─ revoked       (listed in the sub-CA's CRL)
         ├─ no_signing    (key usage keyEncipherment only)
         └─ tsa           (time stamping: ``pki.timestamper(moment)``)
    commercial root "TEST Commercial Root CA" ├─ commercial (the same department,
                                              │               as bought from a public CA)
                                              └─ rogue_tsa (a TSA nobody here trusts)

Signers for pyHanko: ``pki.signer("personal")`` (any Party attribute name).

Certificates carry what pyHanko's validator needs to use an offline CRL: a
CRL distribution point, authority/subject key identifiers, and the CRL has a
CRL number.  Keys are RSA-2048; everything is written as PEM/DER files in a
folder (``trust_roots_dir`` holds only the Government root, ``crl_dir`` the
CRL) exactly as an operator would lay them out.
"""
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

UTC = dt.timezone.utc
UID = x509.ObjectIdentifier("0.9.2342.19200300.100.1.1")
LONG_AGO = dt.datetime(2015, 1, 1, tzinfo=UTC)
ORGANISATION_MNS = "1234567"        # the "organisation" party's UID=MNS:…
FINANCE = "Sở Tài chính tỉnh Lào Cai"
FINANCE_MST = "5300111222"
FAR_AWAY = dt.datetime(2045, 1, 1, tzinfo=UTC)
CRL_URL = "http://crl.test.invalid/sub-ca.crl"


def _name(cn, o=None, uid=None):
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if o:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, o))
    if uid:
        attrs.append(x509.NameAttribute(UID, uid))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Party:
    name: str
    key: object
    cert: x509.Certificate
    chain: list = field(default_factory=list)     # issuing CAs, nearest first

    def pem(self):
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _cert(subject, key, issuer, issuer_key, serial, ca=False, not_before=LONG_AGO,
          not_after=FAR_AWAY, usage="sign", crl=True):
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(key.public_key()).serial_number(serial)
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                              critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   issuer_key.public_key()), critical=False))
    sign = usage in ("sign", "timestamp")
    builder = builder.add_extension(x509.KeyUsage(
        digital_signature=sign and not ca, content_commitment=sign and not ca,
        key_encipherment=usage == "encrypt", data_encipherment=False, key_agreement=False,
        key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False),
        critical=True)
    if usage == "timestamp":       # RFC 3161: the only extended usage, critical
        builder = builder.add_extension(x509.ExtendedKeyUsage(
            [x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    if crl and not ca:
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(CRL_URL)], relative_name=None,
            reasons=None, crl_issuer=None)]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass
class PKI:
    folder: Path
    root: Party
    sub_ca: Party
    personal: Party
    organisation: Party
    expired: Party
    revoked: Party
    no_signing: Party
    commercial_root: Party
    commercial: Party
    crl: x509.CertificateRevocationList
    tsa: Party = None
    rogue_tsa: Party = None         # a time-stamping unit under the commercial root
    finance: Party = None           # another organisation: Sở Tài chính's seal

    @property
    def trust_roots_dir(self):
        return str(self.folder / "trust-roots")

    @property
    def crl_dir(self):
        return str(self.folder / "crls")

    def signer(self, who):
        """A pyHanko signer for ``who`` (a Party attribute name: "personal",
        "organisation", "expired", "revoked", "no_signing", "commercial")."""
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore
        certs, key = self._asn1(getattr(self, who))
        return signers.SimpleSigner(signing_cert=certs[0], signing_key=key,
                                    cert_registry=SimpleCertificateStore.from_certs(certs[1:]))

    def _asn1(self, party):
        from asn1crypto import keys as asn1_keys, x509 as asn1_x509
        der_key = party.key.private_bytes(serialization.Encoding.DER,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption())
        certs = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
                 for c in [party.cert] + party.chain]
        return certs, asn1_keys.PrivateKeyInfo.load(der_key)

    def timestamper(self, at, who="tsa"):
        """A pyHanko time stamper for the test TSA (under the Government
        sub-CA) whose tokens say ``at`` (an aware datetime); ``who="rogue_tsa"``
        for one under the commercial root, whose tokens prove nothing here."""
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
        certs, key = self._asn1(getattr(self, who))
        return DummyTimeStamper(tsa_cert=certs[0], tsa_key=key, certs_to_embed=certs[1:],
                                fixed_dt=at)


def build_pki(folder):
    """Make the whole test PKI under ``folder`` and write the operator's
    folders (``trust_roots_dir``, ``crl_dir``); returns a :class:`PKI`."""
    folder = Path(folder)
    root_key, sub_key, com_key = _key(), _key(), _key()
    root_name = _name("TEST Co quan chung thuc so chuyen dung Chinh phu (RootCA)",
                      "Ban Co yeu Chinh phu (TEST)")
    root = Party("root", root_key, _cert(root_name, root_key, root_name, root_key, 1, ca=True))
    sub_name = _name("TEST Co quan chung thuc so Chinh phu", "Ban Co yeu Chinh phu (TEST)")
    sub = Party("sub_ca", sub_key, _cert(sub_name, sub_key, root_name, root_key, 2, ca=True),
                [root.cert])

    def leaf(label, subject, serial, **kw):
        key = _key()
        return Party(label, key, _cert(subject, key, sub_name, sub_key, serial, **kw),
                     [sub.cert, root.cert])

    lao_cai = "Ủy ban nhân dân tỉnh Lào Cai"
    personal = leaf("personal", _name("Nguyễn Văn An", lao_cai, "CCCD:001080012345"), 100)
    department = "Sở Thông tin và Truyền thông"
    organisation = leaf("organisation", _name(department, lao_cai, "MNS:" + ORGANISATION_MNS),
                        101)
    expired = leaf("expired", _name("Trần Thị Bình", lao_cai, "CCCD:001090054321"), 102,
                   not_after=dt.datetime(2017, 1, 1, tzinfo=UTC))
    revoked = leaf("revoked", _name("Lê Văn Cường", lao_cai, "CMND:063012345"), 103)
    no_signing = leaf("no_signing", _name("Sở Y tế", lao_cai, "MST:5300123456"), 104,
                      usage="encrypt")
    com_name = _name("TEST Commercial Root CA", "TEST Commercial CA JSC")
    com_root = Party("commercial_root", com_key,
                     _cert(com_name, com_key, com_name, com_key, 1, ca=True))
    com_leaf_key = _key()
    commercial = Party("commercial", com_leaf_key,
                       _cert(_name(department, lao_cai, "MNS:1234567"), com_leaf_key, com_name,
                             com_key, 200, crl=False), [com_root.cert])
    tsa = leaf("tsa", _name("TEST Dich vu cap dau thoi gian", "Ban Co yeu Chinh phu (TEST)"),
               105, usage="timestamp")
    rogue_key = _key()
    rogue_tsa = Party("rogue_tsa", rogue_key,
                      _cert(_name("TEST Commercial Time Stamping", "TEST Commercial CA JSC"),
                            rogue_key, com_name, com_key, 201, usage="timestamp", crl=False),
                      [com_root.cert])
    finance = leaf("finance", _name(FINANCE, lao_cai, "MST:" + FINANCE_MST), 106)
    crl = _crl(sub, [revoked.cert.serial_number])
    pki = PKI(folder, root, sub, personal, organisation, expired, revoked, no_signing,
              com_root, commercial, crl, tsa, rogue_tsa, finance)
    _write(pki)
    return pki


def _crl(issuer, serials):
    now = dt.datetime(2016, 1, 1, tzinfo=UTC)
    builder = (x509.CertificateRevocationListBuilder().issuer_name(issuer.cert.subject)
               .last_update(now).next_update(FAR_AWAY)
               .add_extension(x509.CRLNumber(1), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   issuer.key.public_key()), critical=False)
               .add_extension(x509.IssuingDistributionPoint(
                   full_name=[x509.UniformResourceIdentifier(CRL_URL)], relative_name=None,
                   only_contains_user_certs=False, only_contains_ca_certs=False,
                   only_some_reasons=None, indirect_crl=False,
                   only_contains_attribute_certs=False), critical=True))
    for serial in serials:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial)
            .revocation_date(dt.datetime(2016, 1, 1, tzinfo=UTC)).build())
    return builder.sign(issuer.key, hashes.SHA256())


def _write(pki):
    (pki.folder / "trust-roots").mkdir(parents=True, exist_ok=True)
    (pki.folder / "crls").mkdir(parents=True, exist_ok=True)
    (pki.folder / "trust-roots" / "gov-root.pem").write_bytes(pki.root.pem())
    (pki.folder / "crls" / "sub-ca.crl").write_bytes(
        pki.crl.public_bytes(serialization.Encoding.DER))
    (pki.folder / "commercial-root.pem").write_bytes(pki.commercial_root.pem())
