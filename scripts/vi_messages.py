"""Fills the Vietnamese translations into the apps' django.po files (run after makemessages).

Kept as a table so a reviewer sees every user-facing sentence in both languages in one place.
Usage: .venv/bin/python scripts/vi_messages.py src/motcua/*/locale/vi/LC_MESSAGES/django.po
"""

import re
import sys

VI = {
    # core
    "MotCua": "MotCua",
    "The request body is not valid JSON.": "Nội dung yêu cầu không phải JSON hợp lệ.",
    "Authentication credentials were not provided.": "Chưa cung cấp thông tin xác thực.",
    "Invalid or expired credentials.": "Thông tin xác thực không hợp lệ hoặc đã hết hạn.",
    "You are not allowed to do this.": "Bạn không có quyền thực hiện thao tác này.",
    "Not found.": "Không tìm thấy.",
    "This method is not allowed here.": "Phương thức này không được phép.",
    "The requested format is not available.": "Không hỗ trợ định dạng được yêu cầu.",
    "Unsupported content type.": "Kiểu nội dung không được hỗ trợ.",
    "The data sent is not valid.": "Dữ liệu gửi lên không hợp lệ.",
    "Too many requests. Please wait %(seconds)s seconds and try again.": "Quá nhiều yêu cầu. Vui lòng chờ %(seconds)s giây rồi thử lại.",
    "An unexpected error occurred. It has been logged.": "Đã xảy ra lỗi ngoài dự kiến. Lỗi đã được ghi nhận.",
    "The request is not valid.": "Yêu cầu không hợp lệ.",
    "This conflicts with the current state.": "Thao tác xung đột với trạng thái hiện tại.",
    "Vietnamese": "Tiếng Việt",
    "English": "Tiếng Anh",
    # accounts
    "Accounts": "Tài khoản",
    "Invalid token header.": "Tiêu đề mã xác thực không hợp lệ.",
    "Invalid or expired token.": "Mã xác thực không hợp lệ hoặc đã hết hạn.",
    "Administrator": "Quản trị hệ thống",
    "One-stop desk officer": "Cán bộ tiếp nhận",
    "Specialist": "Chuyên viên xử lý",
    "Leader": "Lãnh đạo",
    "Supervisor": "Giám sát",
    "Citizen": "Công dân",
    "role": "vai trò",
    "full name": "họ và tên",
    "agency": "cơ quan",
    "personal identification number": "số định danh cá nhân",
    "phone": "số điện thoại",
    "user": "người dùng",
    "users": "người dùng",
    "API token": "mã truy cập API",
    "API tokens": "mã truy cập API",
    "Unknown role. Use one of: %(roles)s.": "Vai trò không hợp lệ. Chọn một trong: %(roles)s.",
    "Unknown agency %(code)s.": "Không tồn tại cơ quan có mã %(code)s.",
    "Staff users must belong to an agency.": "Cán bộ phải thuộc một cơ quan.",
    "The password must have at least 8 characters.": "Mật khẩu phải có ít nhất 8 ký tự.",
    "The user %(username)s already exists.": "Người dùng %(username)s đã tồn tại.",
    "Another account already has this personal identification number.": "Số định danh cá nhân này đã gắn với một tài khoản khác.",
    "Wrong username or password.": "Sai tên đăng nhập hoặc mật khẩu.",
    "A personal identification number has exactly 12 digits.": "Số định danh cá nhân phải có đúng 12 chữ số.",
    "The first three digits of the personal identification number are not a province code.": "Ba chữ số đầu của số định danh cá nhân không phải mã tỉnh.",
    "The century digit of the personal identification number gives a birth year in the future.": "Chữ số thế kỷ của số định danh cá nhân cho năm sinh ở tương lai.",
    "A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch.": "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với chi nhánh.",
    # agencies
    "Agencies and administrative units": "Cơ quan và đơn vị hành chính",
    "Provincial People's Committee": "Ủy ban nhân dân tỉnh",
    "Department": "Sở, ban, ngành",
    "Commune People's Committee": "Ủy ban nhân dân xã",
    "Public Administration Service Centre": "Trung tâm Phục vụ hành chính công",
    "Ministry": "Bộ, ngành",
    "Other": "Khác",
    "electronic identifier": "mã định danh điện tử",
    "legacy code (QCVN 102:2016)": "mã cũ (QCVN 102:2016)",
    "name": "tên",
    "kind": "loại",
    "parent agency": "cơ quan cấp trên",
    "administrative unit": "đơn vị hành chính",
    "administrative units": "đơn vị hành chính",
    "valid from": "hiệu lực từ",
    "valid to": "hiệu lực đến",
    "successor after a merger": "cơ quan kế thừa sau sắp xếp",
    "agencies": "cơ quan",
    "Province / centrally-run city": "Tỉnh / thành phố trực thuộc trung ương",
    "Commune / ward / special zone": "Xã / phường / đặc khu",
    "code": "mã",
    "type": "loại hình",
    "level": "cấp",
    "province": "tỉnh",
    "Not an electronic identifier under Decision 20/2020/QĐ-TTg (e.g. H15, H15.04, H15.50.05.13).": "Không đúng định dạng mã định danh điện tử theo Quyết định 20/2020/QĐ-TTg (ví dụ H15, H15.04, H15.50.05.13).",
    "A legacy code has 13 characters, e.g. 000.00.00.H15.": "Mã cũ gồm 13 ký tự, ví dụ 000.00.00.H15.",
    "This field may not be blank.": "Trường này không được để trống.",
    "Unknown kind. Use one of: %(kinds)s.": "Loại không hợp lệ. Chọn một trong: %(kinds)s.",
    "The end of validity is before its start.": "Ngày hết hiệu lực đứng trước ngày bắt đầu hiệu lực.",
    "Unknown parent agency %(code)s.": "Không tồn tại cơ quan cấp trên có mã %(code)s.",
    "Unknown administrative unit %(code)s.": "Không tồn tại đơn vị hành chính có mã %(code)s.",
    "An agency with code %(code)s already exists.": "Cơ quan có mã %(code)s đã tồn tại.",
    # catalog
    "Time and fees": "Thời hạn và phí, lệ phí",
    "Service": "Dịch vụ",
    "Legal basis and publication": "Căn cứ pháp lý và công bố",
    "Publish the selected drafts": "Công bố các bản dự thảo đã chọn",
    "%(code)s published.": "Đã công bố %(code)s.",
    "A whole number is required.": "Yêu cầu một số nguyên.",
    "Use json or xlsx.": "Chọn json hoặc xlsx.",
    "The file cannot be read: %(reason)s": "Không đọc được tệp: %(reason)s",
    "Send the catalog as a file (JSON or XLSX).": "Gửi danh mục dưới dạng tệp (JSON hoặc XLSX).",
    "The catalog was not imported: %(count)s procedures have errors.": "Chưa nhập danh mục: %(count)s thủ tục có lỗi.",
    "Procedure catalog": "Danh mục thủ tục hành chính",
    "working days": "ngày làm việc",
    "working hours": "giờ làm việc",
    "days": "ngày",
    "Full-process online": "Trực tuyến toàn trình",
    "Partly online": "Trực tuyến một phần",
    "Not online": "Chưa trực tuyến",
    "Province": "Cấp tỉnh",
    "Commune": "Cấp xã",
    "Draft": "Dự thảo",
    "In force": "Đang hiệu lực",
    "Retired": "Hết hiệu lực",
    "national code": "mã thủ tục",
    "procedure": "thủ tục hành chính",
    "procedures": "thủ tục hành chính",
    "version": "phiên bản",
    "status": "trạng thái",
    "field": "lĩnh vực",
    "resolving agency": "cơ quan giải quyết",
    "processing time": "thời hạn giải quyết",
    "unit": "đơn vị",
    "processing time as published": "thời hạn giải quyết (theo văn bản công bố)",
    "online service": "dịch vụ công trực tuyến",
    "fee (VND)": "phí, lệ phí (đồng)",
    "fees as published": "phí, lệ phí (theo văn bản công bố)",
    "the result is a document": "kết quả là văn bản giấy",
    "result": "kết quả",
    "applicant types": "đối tượng thực hiện",
    "conditions": "yêu cầu, điều kiện",
    "legal basis": "căn cứ pháp lý",
    "publication decision": "quyết định công bố",
    "decision date": "ngày quyết định",
    "effective date": "ngày có hiệu lực",
    "date made public": "ngày công khai",
    "in force from": "hiệu lực từ",
    "in force until": "hiệu lực đến",
    "procedure version": "phiên bản thủ tục",
    "procedure versions": "phiên bản thủ tục",
    "original": "bản chính",
    "copy": "bản sao",
    "form": "hình thức",
    "number of copies": "số lượng",
    "required": "bắt buộc",
    "required document": "thành phần hồ sơ",
    "required documents": "thành phần hồ sơ",
    "process step": "bước xử lý",
    "process steps": "quy trình xử lý",
    "A national procedure code looks like 1.001193 (optionally .H15).": "Mã thủ tục có dạng 1.001193 (có thể kèm .H15).",
    "Two documents have the same code.": "Hai thành phần hồ sơ trùng mã.",
    "A procedure cannot be made public before the decision that publishes it.": "Thủ tục không thể được công khai trước ngày quyết định công bố.",
    "A procedure with code %(code)s already exists.": "Thủ tục có mã %(code)s đã tồn tại.",
    "No procedure with code %(code)s.": "Không có thủ tục mã %(code)s.",
    "Procedure %(code)s has no draft to publish.": "Thủ tục %(code)s không có bản dự thảo để công bố.",
    "The code %(code)s appears twice.": "Mã %(code)s xuất hiện hai lần.",
    # dossiers and files
    "Use true or false.": "Chọn true hoặc false.",
    "Dossiers": "Hồ sơ",
    "Online": "Trực tuyến",
    "At the counter": "Trực tiếp",
    "By post": "Qua bưu chính công ích",
    "Submitted, awaiting receipt": "Mới đăng ký",
    "Received": "Được tiếp nhận",
    "Refused at receipt": "Không được tiếp nhận",
    "Being processed": "Đang xử lý",
    "Supplement requested": "Yêu cầu bổ sung giấy tờ",
    "Awaiting payment": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "Withdrawn by the applicant": "Công dân yêu cầu rút hồ sơ",
    "Processing stopped": "Dừng xử lý",
    "Resolved, result ready": "Đã xử lý xong",
    "Result returned": "Đã trả kết quả",
    "Approved": "Giải quyết",
    "Rejected": "Không giải quyết",
    "National public service portal": "Cổng Dịch vụ công quốc gia",
    "Provincial payment gateway": "Cổng thanh toán của tỉnh",
    "dossier code": "mã hồ sơ",
    "channel": "kênh nộp",
    "current step": "bước hiện tại",
    "applicant": "người nộp hồ sơ",
    "submitted at": "thời điểm nộp",
    "received at": "thời điểm tiếp nhận",
    "due at": "hạn trả kết quả",
    "first appointment": "ngày hẹn trả ban đầu",
    "resolved at": "thời điểm giải quyết xong",
    "returned at": "thời điểm trả kết quả",
    "outcome": "kết quả giải quyết",
    "dossier": "hồ sơ",
    "dossiers": "hồ sơ",
    "Unknown file %(id)s.": "Không tìm thấy tệp %(id)s.",
    "Received at the one-stop desk": "Đã tiếp nhận tại Bộ phận một cửa",
    "This Idempotency-Key was used for a different request.": "Idempotency-Key này đã được dùng cho một yêu cầu khác.",
    "Use online, counter or post.": "Chọn online, counter hoặc post.",
    "Citizens submit online; counter and post dossiers are entered by the one-stop desk.": "Công dân nộp hồ sơ trực tuyến; hồ sơ trực tiếp và qua bưu chính do Bộ phận một cửa tiếp nhận.",
    "The one-stop desk enters counter or post dossiers.": "Bộ phận một cửa tiếp nhận hồ sơ trực tiếp hoặc qua bưu chính.",
    "Only citizens and one-stop desk officers create dossiers.": "Chỉ công dân và cán bộ tiếp nhận được tạo hồ sơ.",
    "Unknown procedure %(code)s.": "Không có thủ tục mã %(code)s.",
    "A one-stop desk receives dossiers at its own agency only.": "Cán bộ tiếp nhận chỉ tiếp nhận hồ sơ tại cơ quan của mình.",
    "Waiting to be received": "Chờ tiếp nhận",
    "This Idempotency-Key is being used by another request.": "Idempotency-Key này đang được một yêu cầu khác sử dụng.",
    "You may not %(action)s this dossier.": "Bạn không được thực hiện thao tác %(action)s với hồ sơ này.",
    "The action %(action)s is not allowed while the dossier is %(status)s. Allowed now: %(allowed)s.": "Không thể thực hiện %(action)s khi hồ sơ đang ở trạng thái %(status)s. Các thao tác được phép: %(allowed)s.",
    "Name at least one item to supplement.": "Nêu ít nhất một nội dung cần bổ sung.",
    "Attach the documents that were asked for.": "Đính kèm các giấy tờ được yêu cầu bổ sung.",
    "The amount must be positive.": "Số tiền phải lớn hơn 0.",
    "No payment is awaited.": "Hồ sơ không có khoản nào đang chờ thanh toán.",
    "The amount due is %(amount)s VND.": "Số tiền phải nộp là %(amount)s đồng.",
    "Use online or counter.": "Chọn online hoặc counter.",
    "The appointment has already been extended once.": "Hồ sơ đã được gia hạn một lần.",
    "An extension must be made before the due date.": "Chỉ được gia hạn trước ngày hẹn trả kết quả.",
    "The new date must be after the current due date.": "Ngày hẹn mới phải sau ngày hẹn hiện tại.",
    "State the reason for the delay.": "Nêu lý do chậm giải quyết.",
    "Use approved or rejected.": "Chọn approved hoặc rejected.",
    "Result returned to the one-stop desk": "Trả kết quả về Bộ phận một cửa",
    "Result ready": "Đã có kết quả",
    "Use counter, post or online.": "Chọn counter, post hoặc online.",
    "A dossier can be rated once its result is ready.": "Chỉ đánh giá được khi hồ sơ đã có kết quả.",
    "This dossier has already been rated.": "Hồ sơ này đã được đánh giá.",
    "Files": "Tệp tin",
    "file": "tệp",
    "files": "tệp",
    "The file is larger than %(mb)s MB.": "Tệp lớn hơn %(mb)s MB.",
    "The file is too large.": "Tệp quá lớn.",
    "The file is empty.": "Tệp rỗng.",
    "Only PDF, JPEG, PNG, DOCX and XLSX files are accepted.": "Chỉ nhận tệp PDF, JPEG, PNG, DOCX và XLSX.",
}

ENTRY = re.compile(r'^msgid "(.*)"\nmsgstr ""$', re.M)


def unescape(s: str) -> str:
    return s.replace('\\"', '"').replace("\\\\", "\\")


def escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def fill(path: str, extra: dict[str, str] | None = None) -> list[str]:
    table = {**VI, **(extra or {})}
    text = open(path, encoding="utf-8").read()
    missing = []

    def repl(m: re.Match[str]) -> str:
        msgid = unescape(m.group(1))
        if not msgid:
            return m.group(0)
        if msgid not in table:
            missing.append(msgid)
            return m.group(0)
        return f'msgid "{m.group(1)}"\nmsgstr "{escape(table[msgid])}"'

    text = ENTRY.sub(repl, text)
    text = text.replace("#, fuzzy\n", "", 1)
    open(path, "w", encoding="utf-8").write(text)
    return missing


if __name__ == "__main__":
    status = 0
    for po in sys.argv[1:]:
        for msgid in fill(po):
            print(f"{po}: no Vietnamese for {msgid!r}")
            status = 1
    sys.exit(status)
