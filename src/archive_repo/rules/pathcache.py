"""What certificate-path validation established, kept for reuse (per process).

The province's few hundred organisation certificates sign millions of
documents; validating the same chain against the same roots and CRLs again
for every one of them is most of the engine's certificate work.  An entry is
pyHanko's own outcome of path validation (``CertvalidatorOperationResult``:
the validated path, or the failure with its AdES indication and revocation
details), kept under

* the signer certificate's SHA-256 and the other certificates offered for
  path building (the PDF's DSS and the CMS's certificates),
* the trust-root set and the revocation-data set (the operator's CRLs plus
  the document's own CRLs and OCSP responses), each as a digest of their
  DER — a new root or a new CRL is a new key, so nothing decided under the
  old material is ever reused under the new,
* the revocation mode and whether revocation data may post-date the moment,
* the **validation-time window**: the open interval between the instants at
  which the verdict can change — the validity bounds of the path's
  certificates and of every other certificate offered (a CRL issuer's), the
  revocation data's ``thisUpdate``/``nextUpdate``, every revocation date they
  list — each widened by the validator's time tolerance.  A moment on such an
  instant is never served from the cache.

Entries are evicted least recently used (``archive_repo.path_cache_size``);
the cache is thread-safe and belongs to one process (each worker of a bulk
job has its own).
"""
import bisect
import hashlib
import threading
from collections import OrderedDict
from datetime import timedelta

# pyhanko_certvalidator's ValidationContext default time_tolerance
TOLERANCE = timedelta(seconds=1)
DEFAULT_SIZE = 4096


def digest_of(ders):
    """One digest for a set of DER blobs (order does not matter)."""
    h = hashlib.sha256()
    for der in sorted(ders):
        h.update(hashlib.sha256(der).digest())
    return h.hexdigest()


# -- the instants at which a verdict may change -------------------------------

def _crl_instants(crl):
    tbs = crl["tbs_cert_list"]
    found = [tbs["this_update"].native, tbs["next_update"].native]
    found.extend(entry["revocation_date"].native for entry in tbs["revoked_certificates"] or [])
    return found


def _ocsp_instants(response):
    try:
        signed = response.basic_ocsp_response
        basic = signed["tbs_response_data"]
    except (ValueError, KeyError, TypeError):   # not a successful response: no instants
        return []
    # a delegated responder's own certificate expires too
    found = [basic["produced_at"].native] + cert_instants(signed["certs"] or [])
    for single in basic["responses"]:
        found += [single["this_update"].native, single["next_update"].native]
        status = single["cert_status"]
        if status.name == "revoked":
            found.append(status.chosen["revocation_time"].native)
    return found


def revinfo_instants(crls, ocsps):
    return [t for c in crls for t in _crl_instants(c)] + \
        [t for o in ocsps for t in _ocsp_instants(o)]


def cert_instants(certs):
    return [t for c in certs for t in (c.not_valid_before, c.not_valid_after)]


def window(moment, instants, tolerance=TOLERANCE):
    """``(start, end)``: the open interval around ``moment`` with no instant
    (± tolerance) inside it, or None when ``moment`` sits on one."""
    bounds = sorted({t + d for t in instants if t is not None
                     for d in (-tolerance, timedelta(0), tolerance)})
    i = bisect.bisect_left(bounds, moment)
    if i < len(bounds) and bounds[i] == moment:
        return None
    return (bounds[i - 1] if i else None, bounds[i] if i < len(bounds) else None)


def _inside(moment, span):
    start, end = span
    return (start is None or start < moment) and (end is None or moment < end)


# -- the cache --------------------------------------------------------------------

class PathCache:
    """LRU of ``key -> [(window, result), …]``, thread-safe."""

    def __init__(self, size=DEFAULT_SIZE):
        self.size = size
        self._entries = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def lookup(self, key, moment):
        with self._lock:
            spans = self._entries.get(key)
            if spans is not None:
                self._entries.move_to_end(key)
                for span, result in spans:
                    if _inside(moment, span):
                        self.hits += 1
                        return result
            self.misses += 1
            return None

    def store(self, key, span, result):
        if span is None or self.size <= 0:
            return
        with self._lock:
            self._entries.setdefault(key, []).append((span, result))
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self):
        return len(self._entries)


_caches_lock = threading.Lock()


def cache_for(policy):
    """The process's cache for ``policy`` (its size a setting); kept in the
    policy's cache, which lives as long as the trust material it keys on."""
    with _caches_lock:
        found = policy.cache.get("paths")
        if found is None:
            found = policy.cache["paths"] = PathCache(getattr(policy, "path_cache_size",
                                                              DEFAULT_SIZE))
        return found
