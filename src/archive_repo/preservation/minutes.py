"""The minutes (biên bản) of backups and restores, as official-form PDFs
(Circular 02/2019/TT-BNV asks for one per run)."""
from .. import printing, timeutil


def _size(n):
    return "%.1f MB (%d byte)" % (n / 1048576.0, n)


def backup_minute(manifest):
    doc = printing.OfficialDocument("Biên bản", "Sao lưu dữ liệu kho lưu trữ văn bản điện tử",
                                    issuer="Kho lưu trữ văn bản điện tử")
    doc.facts([
        ("Thời điểm", timeutil.vn_datetime(manifest["at"])),
        ("Người thực hiện", manifest["who"]),
        ("Loại sao lưu", "toàn bộ" if manifest["full"] else "gia tăng"),
        ("Nơi lưu bản sao", manifest["destination"]),
        ("Thế hệ tệp (blob)", "%(generation)s: %(files)d tệp, %(copied)d tệp mới, "
                              "%(linked)d tệp không đổi (liên kết cứng)" % manifest["blobs"]),
        ("Dung lượng ghi", _size(manifest["bytes"])),
        ("Phần mềm", manifest["tool"]),
    ])
    doc.heading("Các tệp đã ghi (mã băm SHA-256)")
    rows = [(name, str(size), digest) for name, (size, digest) in sorted(manifest["files"].items())
            if not name.startswith("blobs/")]
    blob_count = sum(1 for name in manifest["files"] if name.startswith("blobs/"))
    doc.table(["Tệp", "Kích thước (byte)", "SHA-256"], rows, widths=[4, 2, 6])
    doc.paragraph("Cùng %d tệp văn bản (blob) mới; mã băm của từng tệp ghi trong tệp "
                  "runs/%s.json ở nơi lưu bản sao và trong nhật ký sao lưu của kho."
                  % (blob_count, manifest["id"]))
    doc.signatures(["NGƯỜI THỰC HIỆN", "NGƯỜI KIỂM TRA"])
    return doc.build()


def restore_minute(result):
    doc = printing.OfficialDocument("Biên bản", "Khôi phục dữ liệu kho lưu trữ văn bản điện tử",
                                    issuer="Kho lưu trữ văn bản điện tử")
    doc.facts([
        ("Thời điểm", timeutil.vn_datetime(result["at"])),
        ("Người thực hiện", result["who"]),
        ("Bản sao lưu", "%s (%s)" % (result["source"], result["run"])),
        ("Khôi phục vào", result["target"]),
        ("Số văn bản / phiên bản", "%d / %d" % (result["records"], result["versions"])),
        ("Kết quả kiểm tra", "đạt" if result["ok"] else "KHÔNG ĐẠT"),
        ("Mã luồng thay đổi mới", result["feed_id"] or ""),
    ])
    if result["problems"]:
        doc.heading("Các lỗi phát hiện")
        doc.table(["Văn bản", "Lỗi"], [(p["path"], p["problem"]) for p in result["problems"]],
                  widths=[4, 8])
    doc.signatures(["NGƯỜI THỰC HIỆN", "NGƯỜI KIỂM TRA"])
    return doc.build()
