#!/usr/bin/env python3
"""Writes Sources/ShebaoCore/Resources/calendar/holidays.json: the dates on which the State
Council's yearly holiday notice (国务院办公厅关于部分节假日安排的通知) departs from Monday–Friday.

Each entry: date, working (true for a weekend day made a working day, 调休上班; false for a day
off), basis (the notice). Holidays falling on a weekend are listed too, so the list reads like
the notice. Run it and commit the JSON; add a year when its notice is published (usually in
November of the year before)."""
import datetime
import json
import pathlib


def days(start, end):
    first = datetime.date.fromisoformat(start)
    last = datetime.date.fromisoformat(end)
    while first <= last:
        yield first.isoformat()
        first += datetime.timedelta(days=1)


NOTICES = {
    2024: {
        "basis": "国务院办公厅关于2024年部分节假日安排的通知",
        "off": [("2024-01-01", "2024-01-01"), ("2024-02-10", "2024-02-17"), ("2024-04-04", "2024-04-06"),
                ("2024-05-01", "2024-05-05"), ("2024-06-10", "2024-06-10"), ("2024-09-15", "2024-09-17"),
                ("2024-10-01", "2024-10-07")],
        "work": ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
                 "2024-09-29", "2024-10-12"],
    },
    2025: {
        "basis": "国务院办公厅关于2025年部分节假日安排的通知",
        "off": [("2025-01-01", "2025-01-01"), ("2025-01-28", "2025-02-04"), ("2025-04-04", "2025-04-06"),
                ("2025-05-01", "2025-05-05"), ("2025-05-31", "2025-06-02"), ("2025-10-01", "2025-10-08")],
        "work": ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    },
    2026: {
        "basis": "国务院办公厅关于2026年部分节假日安排的通知",
        "off": [("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"),
                ("2026-05-01", "2026-05-05"), ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
                ("2026-10-01", "2026-10-07")],
        "work": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
    },
}


def main():
    entries = []
    for year, notice in sorted(NOTICES.items()):
        for start, end in notice["off"]:
            entries += [{"date": day, "working": False, "basis": notice["basis"]} for day in days(start, end)]
        entries += [{"date": day, "working": True, "basis": notice["basis"]} for day in notice["work"]]
    entries.sort(key=lambda entry: entry["date"])
    out = pathlib.Path(__file__).resolve().parent.parent / "Sources/ShebaoCore/Resources/calendar/holidays.json"
    out.write_text(json.dumps(entries, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(entries)} dates written to {out}")


if __name__ == "__main__":
    main()
