"""PDFs with fillable letters do not pile up memory in a long-lived worker process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Renders a Chinese form field eight times after a warm-up and prints how far the resident memory
# grew. Each PDF loads the CJK font (about 20 MB) for the field; WeasyPrint alone never releases it.
SCRIPT = textwrap.dedent(
    """
    import gc, sys
    from pathlib import Path
    from guidegen.pdf import make_fetcher, render_pdf

    HTML = '''<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>信</title>
    <style>body, textarea { font-family: "Noto Sans CJK SC"; }</style></head>
    <body><h1>申请书</h1><p>申请人：<textarea title="姓名">张三</textarea></p></body></html>'''

    def resident_mb():
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmRSS:")[1].split()[0]) / 1024

    folder = Path(sys.argv[1])
    fetcher = make_fetcher([folder])
    render = lambda: render_pdf(HTML, folder, fetcher, "memory-test", forms=True)
    render(); render(); gc.collect()
    start = resident_mb()
    for _ in range(8):
        data = render()
    gc.collect()
    import io, pikepdf
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/AcroForm" in pdf.Root
    print(resident_mb() - start)
    """
)


def test_form_field_fonts_are_released_after_each_pdf(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    grown = float(result.stdout.split()[-1])
    # Without the release, eight renders keep eight copies of the font: 150 MB and more.
    assert grown < 60, f"resident memory grew by {grown:.0f} MB over eight PDFs"
