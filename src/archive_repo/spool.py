"""Writing an incoming file once: straight into a temporary file beside the
blob storage (so that it becomes a blob by a rename), hashed with SHA-256 and
counted on the way, held to a size limit.  Multipart uploads, edXML
attachments (base64-decoded as they stream) and unzipped attachments all
spool through :class:`Spool`."""
import hashlib
import os
import tempfile


class Spool:
    """``write(bytes)`` … ``close()`` → ``(path, sha256, size)``;
    ``over_limit(size)`` is called (and must raise) once the size passes
    ``limit``; ``discard()`` removes the file."""

    def __init__(self, tmpdir=None, prefix="spool-", suffix=".bin", limit=None,
                 over_limit=None):
        fd, self.path = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=tmpdir)
        self.out = os.fdopen(fd, "wb")
        self.digest, self.size = hashlib.sha256(), 0
        self.limit, self.over_limit = limit, over_limit

    def write(self, data):
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            self.discard()
            self.over_limit(self.size)
        self.digest.update(data)
        self.out.write(data)

    def close(self):
        self.out.close()
        return self.path, self.digest.hexdigest(), self.size

    def discard(self):
        if not self.out.closed:
            self.out.close()
        if os.path.exists(self.path):
            os.unlink(self.path)
