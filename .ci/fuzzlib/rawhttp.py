"""A raw HTTP/1.1 client over a socket: sends bytes exactly as given (an HTTP library would refuse
or tidy up the hostile ones) and reads the answer to the end (Connection: close)."""
import json
import re
import socket
import urllib.parse


class Answer:
    def __init__(self, status, headers, body, error=None):
        self.status, self.headers, self.body, self.error = status, headers, body, error

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def __str__(self):
        if self.error:
            return self.error
        text = self.body[:300].decode("utf-8", "replace")
        return f"{self.status} {text}"


class Client:
    def __init__(self, api, timeout=30):
        parsed = urllib.parse.urlsplit(api)
        self.host, self.port, self.timeout = parsed.hostname, parsed.port, timeout

    def raw(self, data: bytes) -> Answer:
        """Sends bytes as they are and reads the answer to the end (Connection: close)."""
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as s:
                s.sendall(data)
                chunks = []
                while True:
                    try:
                        chunk = s.recv(65536)
                    except ConnectionResetError:
                        break
                    if not chunk:
                        break
                    chunks.append(chunk)
        except (OSError, socket.timeout) as e:
            return Answer(None, [], b"", error=f"connection error: {e!r}")
        data = b"".join(chunks)
        if not data:
            return Answer(None, [], b"", error="connection closed without an answer")
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("iso-8859-1").split("\r\n")
        m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
        if not m:
            return Answer(None, [], data, error=f"not an HTTP answer: {lines[0][:80]!r}")
        headers = [tuple(h.split(":", 1)) for h in lines[1:] if ":" in h]
        headers = [(k.strip(), v.strip()) for k, v in headers]
        if any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers):
            body = dechunk(body)
        return Answer(int(m.group(1)), headers, body)

    def request(self, method, path, body=None, headers=None, key=None, raw_header_lines=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: close"]
        if key is not None:
            lines.append(f"Authorization: Bearer {key}")
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        if body is not None:
            lines.append("Content-Type: application/json")
            lines.append(f"Content-Length: {len(body)}")
        head = ("\r\n".join(lines)).encode("utf-8")
        for extra in raw_header_lines:
            head += b"\r\n" + extra
        return self.raw(head + b"\r\n\r\n" + (body or b""))


def dechunk(body: bytes) -> bytes:
    out, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2:]
    return out
