#!/usr/bin/env python3
"""Imports workbooks written by openpyxl (shared strings, real number cells) through the CLI:
IDs typed as text import; an ID in a number cell is refused with its row and column.

usage: check_xlsx_import.py SHEBAO_BINARY DATABASE_URL
"""
import subprocess
import sys
import tempfile

from openpyxl import Workbook


def check_character(body):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def resident_id(day, sequence):
    body = f"3310041985{(day % 12) + 1:02d}{(day % 28) + 1:02d}{sequence:03d}"
    return body + check_character(body)


def workbook(rows, numeric_row=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "人员名单"
    sheet.append(["公民身份号码", "姓名", "户口性质", "户籍地区划代码", "联系电话"])
    for index, (identifier, name) in enumerate(rows):
        cell = int(identifier[:17]) * 10 if index == numeric_row else identifier
        sheet.append([cell, name, "农业", "331004103201", "13800001111"])
    path = tempfile.mktemp(suffix=".xlsx")
    book.save(path)
    return path


def run(binary, database, path):
    return subprocess.run([binary, "import", "persons", path, "--user", "xinqiao", "--database", database],
                          capture_output=True, text=True, env={"SHEBAO_LANG": "en", "PATH": "/usr/bin:/bin"})


def main():
    binary, database = sys.argv[1], sys.argv[2]
    rows = [(resident_id(day, 700 + day), f"孙{'一二三四五'[day % 5]}") for day in range(40)]

    refused = run(binary, database, workbook(rows, numeric_row=6))
    if refused.returncode == 0 or "人员名单!A8" not in refused.stderr or "digits may already be lost" not in refused.stderr:
        sys.exit(f"a numeric ID cell was not refused at row 8:\n{refused.stdout}{refused.stderr}")
    print("openpyxl workbook with a numeric ID cell: refused at 人员名单!A8")

    accepted = run(binary, database, workbook(rows))
    if accepted.returncode != 0:
        sys.exit(f"a clean openpyxl workbook was refused:\n{accepted.stdout}{accepted.stderr}")
    print(f"openpyxl workbook with text IDs: {accepted.stdout.strip()}")


if __name__ == "__main__":
    main()
