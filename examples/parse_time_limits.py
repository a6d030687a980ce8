"""Read the time-limit wording of a few procedure records and print it back in both languages."""

import tthc

WORDINGS = [
    "05 ngày làm việc",
    "03 (ba) ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
    "Ngay trong ngày làm việc; trường hợp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày "
    "làm việc tiếp theo",
    "04 giờ làm việc",
    "01 tháng",
]

if __name__ == "__main__":
    for text in WORDINGS:
        limit = tthc.TimeLimit.parse(text)
        print(f"{limit!s:<40} | {limit.label_en}")
