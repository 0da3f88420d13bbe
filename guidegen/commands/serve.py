"""guidegen serve: build into a temporary folder, serve on localhost, rebuild on save, reload."""

from __future__ import annotations

import functools
import html
import logging
import re
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import GuidegenError
from ..i18n import forget_catalogs
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
        """Build into the preview folder; keep the previous pages if the build fails.

        A failed build's messages are kept for the pages (see error_banner); nothing a build
        raises ends the preview, so the next save is built again.
        """
        with self.lock:
            try:
                build(
                    BuildOptions(project=self.project, out=self.out, formats=self.formats, jobs=1)
                )
            except GuidegenError as exc:
                self.last_error = exc.format_message()
            except Exception as exc:  # a bug: say so in the page and the terminal, keep serving
                self.last_error = f"guidegen: internal error: {type(exc).__name__}: {exc}"
            else:
                self.last_error = ""
            finally:
                forget_catalogs()
                self.version += 1  # open pages reload, to show the new pages or the error
            if self.last_error:
                logger.error("%s", self.last_error)
            return not self.last_error


_LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def error_banner(message: str) -> bytes:
    """Return the banner a page shows while the last build failed (escaped, no markup passes)."""
    return (
        '<div role="alert" style="border:4px solid #a10000;background:#fde7e7;padding:1rem;'
        'margin:0 0 1rem;font:1rem/1.4 monospace;white-space:pre-wrap">'
        "<strong>The last build failed; these pages are from the build before it.</strong>\n"
        + html.escape(message)
        + "</div>"
    ).encode("utf-8")


class _Handler(SimpleHTTPRequestHandler):
    preview: Preview

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if not self._local_host():
            self._send(b"only localhost may ask this preview server", "text/plain", 421)
            return
        if self.path == "/__version":
            self._send(str(self.preview.version).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if "\x00" in str(path):  # a NUL byte: no file has it, and open() would raise
            self._send(b"bad path", "text/plain", 400)
            return
        is_page = path.is_dir() or (path.suffix == ".html" and path.is_file())
        if path.is_dir():
            path = path / "index.html"
        if is_page and path.is_file():
            body = path.read_bytes()
            if self.preview.last_error:
                body = re.sub(
                    rb"(<body[^>]*>)",
                    lambda m: m.group(1) + error_banner(self.preview.last_error),
                    body,
                    count=1,
                )
            body = body.replace(b"</body>", RELOAD_SCRIPT + b"</body>")
            self._send(body, "text/html; charset=utf-8")
            return
        super().do_GET()

    def _local_host(self) -> bool:
        """Refuse requests addressed to other names (DNS rebinding): only localhost is served."""
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in _LOCAL_HOSTS

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
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
    watched = [str(f) for f in folders if f.exists()]
    suffixes = (".yaml", ".yml", ".po", ".html", ".css", ".txt")
    for changes in watch_files(*watched, stop_event=stop, debounce=300):
        if any(path.endswith(suffixes) for _, path in changes):
            preview.rebuild()  # never raises: a failed build shows in the page


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
