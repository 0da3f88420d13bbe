"""guidegen serve: build into a temporary folder, serve on localhost, rebuild on save, reload."""

from __future__ import annotations

import functools
import logging
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import GuidegenError
from .build import BuildOptions, build

logger = logging.getLogger(__name__)

# Only the preview server adds this script; built pages never contain JavaScript.
RELOAD_SCRIPT = b"""<script>
(function poll(seen) {
  fetch('/__version').then(r => r.text()).then(v => {
    if (seen !== null && v !== seen) { location.reload(); return; }
    setTimeout(() => poll(v), 700);
  }).catch(() => setTimeout(() => poll(seen), 2000));
})(null);
</script>"""


@dataclass
class Preview:
    """A running preview: where it builds, and a version that changes on each rebuild."""

    project: Path
    out: Path
    formats: str = "html"
    version: int = 0
    last_error: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> bool:
        """Build into the preview folder; keep the previous pages if the build fails."""
        with self.lock:
            try:
                build(
                    BuildOptions(project=self.project, out=self.out, formats=self.formats, jobs=1)
                )
            except GuidegenError as exc:
                self.last_error = exc.format_message()
                logger.error("%s", self.last_error)
                return False
            self.last_error = ""
            self.version += 1
            return True


class _Handler(SimpleHTTPRequestHandler):
    preview: Preview

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path == "/__version":
            self._send(str(self.preview.version).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT + b"</body>")
            self._send(body, "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        logger.debug(format, *args)


def make_server(preview: Preview, port: int) -> ThreadingHTTPServer:
    """Return an HTTP server for the preview on localhost (port 0 picks a free port)."""
    handler = type("PreviewHandler", (_Handler,), {"preview": preview})
    factory = functools.partial(handler, directory=str(preview.out / "site"))
    return ThreadingHTTPServer(("127.0.0.1", port), factory)


def watch(preview: Preview, stop: threading.Event) -> None:
    """Rebuild whenever a YAML, PO, template or CSS file of the project changes."""
    from watchfiles import watch as watch_files

    folders = [
        preview.project / "content",
        preview.project / "templates",
        preview.project / "guidegen.yaml",
    ]
    folders = [str(f) for f in folders if f.exists()]
    suffixes = (".yaml", ".yml", ".po", ".html", ".css")
    for changes in watch_files(*folders, stop_event=stop, debounce=300):
        if any(path.endswith(suffixes) for _, path in changes):
            preview.rebuild()


def serve(project: Path, port: int, with_pdf: bool) -> None:
    """Build, serve on localhost and rebuild on change until interrupted."""
    with tempfile.TemporaryDirectory(prefix="guidegen-preview-") as folder:
        preview = Preview(project.resolve(), Path(folder), "all" if with_pdf else "html")
        if not preview.rebuild():
            raise GuidegenError(
                "the first build failed; fix the problems above and run serve again"
            )
        server = make_server(preview, port)
        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(preview, stop), daemon=True)
        watcher.start()
        logger.warning("serving http://127.0.0.1:%d/ (Ctrl-C to stop)", server.server_port)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            server.server_close()
