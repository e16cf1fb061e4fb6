"""Every PDF fetches nothing but data: URIs, whoever typed the link."""

from loa.core.pdf import pdf_from_html
from loa.core.qr import qr_data_uri


def test_a_link_in_the_html_is_never_fetched(tmp_path):
    secret = tmp_path / "bi-mat.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    fetched = []

    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            fetched.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        pdf = pdf_from_html(
            f'<p>Chào</p><img src="file://{secret}">'
            f'<img src="http://127.0.0.1:{server.server_address[1]}/anh.png">'
            f'<img src="{qr_data_uri("https://phuong.example.vn/")}">'
        )
    finally:
        server.shutdown()
        server.server_close()
    assert pdf.startswith(b"%PDF")
    assert fetched == []
