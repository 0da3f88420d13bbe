"""A long-lived PDF worker does not pile up memory: not the fonts of fillable letters, not the
layouts of the PDFs it made."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from guidegen.collector import fewer_collections
from guidegen.commands.build import BuildOptions
from guidegen.commands.build_stages import heavy_jobs
from guidegen.formats.base import Rendered
from guidegen.formats.pdf import PdfJob, pack
from guidegen.workers import render_all

from .conftest import FIXTURES

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


@dataclass
class MeasuredJob(PdfJob):
    """A PDF job that reports the worker's resident memory once its PDF is made."""

    def run(self) -> Rendered:
        rendered = super().run()
        status = Path("/proc/self/status").read_text()
        return Rendered(rendered.data, [status.split("VmRSS:")[1].split()[0]])


def test_a_pdf_worker_forked_from_a_build_does_not_pile_up_layouts(tmp_path):
    # A build collects cycles rarely; a WeasyPrint layout is all cycles. Forked with the build's
    # settings, a worker kept every layout: 20 MB and more per PDF here, 2.4 GB over the 80 PDFs of 10 guides.
    paragraphs = "".join(
        f"<p>Paragraph {n}: <strong>words</strong> and more words.</p>" for n in range(1200)
    )
    head = '<head><meta charset="utf-8"><title>t</title></head>'
    html = f'<!DOCTYPE html><html lang="en">{head}<body>{paragraphs}</body></html>'
    jobs = [
        MeasuredJob(
            f"en/g/g{n}.pdf", "g", "en", "pdf", pack(html), tmp_path, [tmp_path], identifier="t"
        )
        for n in range(8)
    ]
    resident: list[int] = []

    def collect(job, rendered, error):
        assert error is None, error
        resident.append(int(rendered.warnings[0]) // 1024)

    with fewer_collections():
        render_all(jobs, 1, collect)
    grown = resident[-1] - resident[1]
    assert grown < 40, f"the worker grew by {grown} MB over {len(jobs) - 2} PDFs: {resident}"


def test_pdf_jobs_wait_for_the_pdf_stage_with_their_html_packed(tmp_path):
    # A build holds every PDF job until the PDF stage: at 1,000 documents 2,000 jobs, which held
    # 150 MB of HTML in the build process (412 MB at -j 1 before any PDF was made; 269 packed).
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "tiny", root)
    options = BuildOptions(project=root, out=tmp_path / "out", formats=("pdf", "large-pdf"), jobs=1)
    jobs = heavy_jobs(options)
    assert len(jobs) == 4
    for job, _ in jobs:
        html = job.html.encode("utf-8")
        assert job.html.startswith("<!DOCTYPE html>") and "</html>" in job.html
        assert len(job.packed_html) < len(html) / 2, job.path
        assert not [
            name
            for name, value in vars(job).items()
            if isinstance(value, str) and len(value) > 1000
        ], "the job holds its HTML unpacked"
        assert pickle.loads(pickle.dumps(job)).html == job.html
