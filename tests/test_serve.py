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


def test_only_localhost_is_served_and_bad_paths_get_400(tmp_project, tmp_path):
    import http.client

    root = tmp_project()
    preview = Preview(root, tmp_path / "preview")
    assert preview.rebuild()
    server = make_server(preview, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for host, status in (
            ("evil.example", 421),
            (f"127.0.0.1:{server.server_port}", 200),
            (f"localhost:{server.server_port}", 200),
        ):
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            connection.request("GET", "/en/index.html", headers={"Host": host})
            assert connection.getresponse().status == status, host
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", "/%00")
        response = connection.getresponse()
        assert response.status in (400, 404) and b"Traceback" not in response.read()
    finally:
        server.shutdown()
        server.server_close()


def test_failed_build_shows_its_messages_in_the_page_and_the_watcher_goes_on(tmp_project, tmp_path):
    root = tmp_project()
    preview = Preview(root, tmp_path / "preview")
    assert preview.rebuild()
    guide = root / "content/guides/leave-list.yaml"
    good = guide.read_text()
    guide.write_text("id: [broken\n")
    server = make_server(preview, 0)
    port = server.server_port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    threading.Thread(target=watch, args=(preview, stop), daemon=True).start()
    try:
        assert not preview.rebuild()
        page = _get(port, "/en/leave-list/index.html")
        assert 'role="alert"' in page and "YAML syntax error" in page
        assert "content/guides/leave-list.yaml:" in page
        time.sleep(0.5)
        guide.write_text(good.replace("Leaving the list", "Leaving the list again"))
        deadline = time.monotonic() + 20
        while (
            "list again" not in _get(port, "/en/leave-list/index.html")
            and time.monotonic() < deadline
        ):
            time.sleep(0.2)
        page = _get(port, "/en/leave-list/index.html")
        assert "Leaving the list again" in page and 'role="alert"' not in page
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
