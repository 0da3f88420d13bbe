"""The preview server: serves the built pages, rebuilds on save, tells open pages to reload."""

from __future__ import annotations

import threading
import time
import urllib.request

from guidegen.commands.serve import Preview, make_server, watch


def _get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode("utf-8")


def test_preview_serves_and_rebuilds_on_save(tmp_project, tmp_path):
    root = tmp_project()
    preview = Preview(root, tmp_path / "preview")
    assert preview.rebuild()
    server = make_server(preview, 0)
    port = server.server_port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    threading.Thread(target=watch, args=(preview, stop), daemon=True).start()
    try:
        page = _get(port, "/zh-Hans/leave-list/index.html")
        assert "退出名单" in page and "/__version" in page
        version = _get(port, "/__version")
        time.sleep(0.5)  # let the watcher start

        po = root / "content/locales/zh-Hans/guides/leave-list.po"
        po.write_text(po.read_text().replace('msgstr "退出名单"', 'msgstr "离开名单"'))
        deadline = time.monotonic() + 20
        while _get(port, "/__version") == version and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _get(port, "/__version") != version
        assert "离开名单" in _get(port, "/zh-Hans/leave-list/index.html")
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def test_failed_rebuild_keeps_serving_previous_pages(tmp_project, tmp_path):
    root = tmp_project()
    preview = Preview(root, tmp_path / "preview")
    assert preview.rebuild()
    (root / "content/guides/leave-list.yaml").write_text("id: [broken\n")
    assert not preview.rebuild()
    assert "YAML syntax error" in preview.last_error
    assert (tmp_path / "preview/site/en/leave-list/index.html").is_file()
