"""A small astronaut-dataset CSV the tests write themselves (made-up figures in the
dataset's format; the real file is never copied into the project).

It has what the real one has: a line break inside a quoted field, Cyrillic
native names written surname first in capitals and given name first, titles
spelled unlike the curated ones ("MA-6", "Soyuz 19/Apollo", "gemini 4"), a row
after 1975, disagreements with the curated data (Leonov's EVA on Voskhod 2,
Gemini 4's year, Gagarin's year of birth), and a row of a mission the curated
data does not have."""

from __future__ import annotations

import csv
from pathlib import Path

from spacerace.loaders.astronauts import HEADER

Row = tuple[int, str, str, int, int, str, str, float, float, float, float]
"""number, name, original_name, year of birth, year, mission title, craft flown up
in, hours, career hours, EVA hours, career EVA hours"""

ROWS: list[Row] = [
    (1, "Gagarin, Yuri", "ГАГАРИН Юрий Алексеевич", 1933, 1961, "Vostok 1", "Vostok 1",
     1.8, 1.8, 0, 0),
    (2, "Leonov, Aleksei", "ЛЕОНОВ Алексей Архипович", 1934, 1965, "Voskhod 2", "Voskhod 2",
     26.0, 170.0, 0.5, 0.5),
    (3, "Belyayev, Pavel", "Павел Иванович Беляев", 1925, 1965, "Voskhod 2", "Voskhod 2",
     26.0, 26.0, 0, 0),
    (2, "Leonov, Aleksei", "ЛЕОНОВ Алексей Архипович", 1934, 1975, "Soyuz 19/Apollo",
     "Soyuz 19", 144.0, 170.0, 0, 0.5),
    (4, "Glenn, John H., Jr.", "Glenn, John H., Jr.", 1921, 1962, "MA-6", "MA-6",
     5.0, 220.0, 0, 0),
    (4, "Glenn, John H., Jr.", "Glenn, John H., Jr.", 1921, 1998, "STS-95", "STS-95",
     215.0, 220.0, 0, 0),
    (5, "White, Edward H., II", "White, Edward H., II", 1930, 1966, "gemini 4", "gemini 4",
     97.9, 97.9, 0.35, 0.35),
    (6, "Testov, Ivan", "ТЕСТОВ Иван Иванович", 1930, 1964, "Vostok 7", "Vostok 7",
     50.0, 50.0, 0, 0),
]  # fmt: skip


def write_csv(path: Path, rows: list[Row] = ROWS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i, row in enumerate(rows, start=1):
            number, name, native, born, year, title, craft, hours, total, eva, total_eva = row
            selection = "TsPK-1\n group" if i == 2 else "TsPK-1"  # a line break inside quotes
            person = [i, number, number, name, native, "male", born, "U.S.S.R/Russia"]
            flight = [selection, 1960, 1, 1, "pilot", year, title, craft, craft, craft]
            out.writerow([*person, "military", *flight, hours, total, int(eva > 0), eva, total_eva])
    return path
