"""Make the README's picture of a filled-in letter: the Chinese correction request of the objection
guide, with sample answers written on its ruled lines, rendered as a build renders the sheet.

The answers are set as text on the lines, not as form-field values: a field's value is drawn by
the viewer (see README, "Fillable letters"), and a picture should not depend on one viewer.

    .venv/bin/python scripts/filled_letter_picture.py      # writes docs/printed-letter-filled.png
"""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from pathlib import Path

import guidegen.pdf
from guidegen.commands.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
GUIDE, LETTER = "dishonest-list-objection", "correction-request"
ANSWERS = {  # made-up sample answers
    "full_name": "王小明",
    "id_number": "110101199001011234",
    "contact": "北京市朝阳区建国路1号，13800000000",
    "case_number": "（2025）京0105执1234号",
    "court": "北京市朝阳区人民法院",
    "signature": "王小明",
    "date": "2026年12月1日",
}


def fill(page: str) -> str:
    """Return the PDF's HTML with the sample answers written on the letter's ruled lines."""

    def value(match: re.Match) -> str:
        answer = ANSWERS.get(match.group(2))
        if answer is None:
            return match.group(0)
        style = "padding-inline-start: 2mm"
        return f'<span class="blank-rule" style="{style}">{html.escape(answer)}</span>'

    return re.sub(rf'<input class="blank-field[^>]*name="({LETTER})-([a-z_]+)"[^>]*>', value, page)


def main() -> None:
    render = guidegen.pdf.render_pdf
    guidegen.pdf.render_pdf = lambda page, *args, **kwargs: render(fill(page), *args, **kwargs)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "build"
        options = BuildOptions(REPO, out, ("zh-Hans",), (GUIDE,), ("pdf",), jobs=1)
        build(options)
        pdf = out / "site" / "zh-Hans" / GUIDE / f"{GUIDE}.zh-Hans.pdf"
        page = next(
            n
            for n in range(1, 100)
            if "纠正申请书"
            in subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split("\n", 2)[0]
        )
        target = REPO / "docs" / "printed-letter-filled"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "50",
                "-png",
                "-singlefile",
                "-f",
                str(page),
                "-l",
                str(page),
                str(pdf),
                str(target),
            ],
            check=True,
        )
    print(f"wrote {target}.png (page {page})")


if __name__ == "__main__":
    main()
