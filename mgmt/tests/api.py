"""A small HTTP client for aetherd's API (http.client: the path is sent
exactly as given, so traversal attempts reach the daemon unnormalised)."""
import http.client
import json
import os
import secrets


class Api:
    def __init__(self, host, port, token, timeout=20):
        self.host, self.port, self.token, self.timeout = host, port, token, timeout

    def raw(self, method, path, body=None, headers=None, token=True):
        h = dict(headers or {})
        if token is True:
            h["Authorization"] = "Bearer " + self.token
        elif token:
            h["Authorization"] = "Bearer " + token
        c = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
            return r.status, data, dict(r.getheaders())
        finally:
            c.close()

    def call(self, method, path, obj=None, **kw):
        body, headers = None, kw.pop("headers", {})
        if obj is not None:
            body = obj if isinstance(obj, (bytes, str)) else json.dumps(obj)
            headers.setdefault("Content-Type", "application/json")
        status, data, _ = self.raw(method, path, body, headers, **kw)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, data

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, obj=None, **kw):
        return self.call("POST", path, obj, **kw)

    def multipart(self, path, fields, files):
        """fields: {name: str}; files: {name: (filename, bytes)}."""
        b = "----aether" + secrets.token_hex(8)
        parts = []
        for k, v in fields.items():
            parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                          % (b, k, v)).encode())
        for k, (fn, data) in files.items():
            parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                          "Content-Type: application/octet-stream\r\n\r\n" % (b, k, fn)).encode()
                         + data + b"\r\n")
        body = b"".join(parts) + ("--%s--\r\n" % b).encode()
        status, data, _ = self.raw("POST", path, body,
                                   {"Content-Type": "multipart/form-data; boundary=" + b})
        try:
            return status, json.loads(data)
        except ValueError:
            return status, data


def new_token():
    return secrets.token_urlsafe(24)


def write_token(path, token):
    with open(path, "w") as f:
        f.write(token + "\n")
    os.chmod(path, 0o600)
