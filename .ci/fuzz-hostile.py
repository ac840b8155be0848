#!/usr/bin/env python3
"""Hostile inputs that generators miss, sent raw (a socket, not an HTTP library that would tidy
them up) to a running local stack. Every case must answer a 4xx with the documented envelope, or
succeed; never a 5xx, never a changed value, never an injected header.

    .ci/fuzz-hostile.py --api http://127.0.0.1:3000 --key alk_... --reviewer-key alk_... \
        --spec openapi.yaml --failures out.txt

Prints one line per case (PASS/FAIL id: what happened) and writes the ids of failing cases to
--failures; .ci/fuzz compares them with .ci/fuzz-known-failures.txt. Standard library only.
"""
import argparse
import json
import sys
import time

sys.dont_write_bytecode = True  # nothing written into the checkout when fuzzlib is imported

from fuzzlib.envelope import BASE, Verdicts, code_type, error_statuses  # noqa: E402
from fuzzlib.rawhttp import Client  # noqa: E402
from fuzzlib.roles import roles_and_key_exposure  # noqa: E402

ASSET = "asset-20260330142158-q75m8"
GOOD_URL = "https://example.com/fuzz.jpg"


def json_routes():
    """Every route that takes a JSON body, with a valid body of its own (for the key that may use it)."""
    return [
        ("POST", BASE + "/kyyVideo2/asset/upload", {"assetType": "Image", "url": GOOD_URL}, "uploader"),
        ("POST", BASE + "/kyyVideo2/asset/uploadUrl", {"assetType": "Image", "contentType": "image/png"}, "uploader"),
        ("POST", BASE + "/kyyVideo2/asset/resolve", {"referenceImages": [GOOD_URL]}, "uploader"),
        ("PATCH", BASE + f"/kyyVideo2/asset/{ASSET}", {"name": "x"}, "uploader"),
        ("POST", BASE + "/asset/sd2Manxue/assetUpload", {"imageUrls": [GOOD_URL]}, "uploader"),
        ("POST", BASE + "/asset/sd2Manxue/assetStatus", {"assetIds": [ASSET]}, "uploader"),
        ("POST", BASE + f"/review/{ASSET}", {"decision": "approve"}, "reviewer"),
    ]


def short(path):
    return path[len(BASE):] if path.startswith(BASE) else path


def run(client, keys, v):
    # --- bodies: deep nesting, huge numbers, duplicate keys, sizes, not-objects, bad UTF-8
    deep_array = "[" * 10000 + "]" * 10000
    deep_object = '{"a":' * 10000 + "1" + "}" * 10000
    for method, path, valid, role in json_routes():
        key, kind, name = keys[role], code_type(method, path), f"{method} {short(path)}"
        first = next(iter(valid))
        bodies = {
            "deep-array-10000": deep_array,
            "deep-object-10000": deep_object,
            "deep-array-in-field": json.dumps(valid)[:-1] + ', "extra": ' + deep_array + "}",
            "number-1e400-in-field": json.dumps({**valid, first: None})[:-1].replace("null", "1e400") + "}",
            "integer-2^70-in-field": json.dumps({**valid, first: 2 ** 70}),
            "number-2000-digits": json.dumps(valid)[:-1] + ', "n": ' + "9" * 2000 + "}",
            "number-1e400-body": "1e400",
            "duplicate-keys": json.dumps(valid)[:-1] + ", " + json.dumps(valid)[1:],
            "duplicate-key-invalid-last": json.dumps(valid)[:-1] + f', "{first}": {{"x": 1}}}}',
            "body-65536-bytes": pad_to(valid, 65536),
            "body-65537-bytes": pad_to(valid, 65537),
            "body-1MB": pad_to(valid, 1024 * 1024),
            "body-null": "null",
            "body-array": "[]",
            "body-string": '"x"',
            "body-whitespace": "   \n\t ",
            "body-invalid-utf8": b'{"a":"\xff\xfe"}',
            "body-nul-byte": b'{"a":"\x00"}',
            "body-bom": b"\xef\xbb\xbf" + json.dumps(valid).encode(),
            "body-trailing-garbage": json.dumps(valid) + "}}}",
        }
        for case, body in bodies.items():
            answer = client.request(method, path, body=body, key=key)
            problem = v.envelope_problem(answer, kind)
            if not problem and case == "body-65537-bytes" and answer.status != 413:
                problem = f"a body over 64 KB was not refused with 413: {answer}"
            if not problem and case == "body-1MB" and answer.status != 413:
                problem = f"a 1 MB body was not refused with 413: {answer}"
            v.record(f"body {name} {case}", problem)

    # --- lone surrogates: refused, or kept exactly (never stored as '?')
    upload_key = keys["uploader"]
    for case, field_json, field, expected in [
        ("name", '"name": "a\\ud800b"', "name", "a\ud800b"),
        ("name-low", '"name": "\\udfff"', "name", "\udfff"),
        ("url-path", '"url": "https://example.com/\\ud800.jpg"', "url", "https://example.com/\ud800.jpg"),
    ]:
        body = '{"assetType": "Image", ' + (f'"url": "{GOOD_URL}", ' if field != "url" else "") + field_json + "}"
        answer = client.request("POST", BASE + "/kyyVideo2/asset/upload", body=body, key=upload_key)
        problem = v.envelope_problem(answer, int)
        if not problem and answer.status == 200:
            problem = stored_value_problem(client, upload_key, answer.json()["data"]["assetId"], field, expected)
        v.record(f"surrogate POST /kyyVideo2/asset/upload {case}", problem)
    answer = client.request("POST", BASE + "/asset/sd2Manxue/assetUpload",
                            body='{"imageUrls": ["https://example.com/\\ud800.jpg"]}', key=upload_key)
    problem = v.envelope_problem(answer, str)
    if not problem and answer.status == 200:
        data = answer.json()["data"]
        echoed = [i["originalUrl"] for i in data["items"]] + [i["originalUrl"] for i in data["failedItems"]]
        if echoed != ["https://example.com/\ud800.jpg"]:
            problem = f"originalUrl changed to {echoed!r}"
        elif data["items"]:
            problem = stored_value_problem(client, upload_key, data["items"][0]["assetId"], "url",
                                           "https://example.com/\ud800.jpg")
    v.record("surrogate POST /asset/sd2Manxue/assetUpload url", problem)
    created = client.request("POST", BASE + "/kyyVideo2/asset/upload",
                             body=json.dumps({"assetType": "Image", "url": GOOD_URL}), key=upload_key)
    if created.status == 200:
        asset_id = created.json()["data"]["assetId"]
        answer = client.request("PATCH", BASE + f"/kyyVideo2/asset/{asset_id}", body='{"name": "\\ud800"}', key=upload_key)
        problem = v.envelope_problem(answer, int)
        if not problem and answer.status == 200:
            problem = stored_value_problem(client, upload_key, asset_id, "name", "\ud800")
        v.record("surrogate PATCH /kyyVideo2/asset/{assetId} name", problem)
    else:
        v.record("surrogate PATCH /kyyVideo2/asset/{assetId} name", f"could not create an asset: {created}")
    for case, method, path, body, kind, role in [
        ("assetIds", "POST", "/asset/sd2Manxue/assetStatus", '{"assetIds": ["\\ud800"]}', str, "uploader"),
        ("resolve", "POST", "/kyyVideo2/asset/resolve", '{"referenceImages": ["asset://\\ud800", "\\udc00"]}', int, "uploader"),
        ("reason", "POST", f"/review/{ASSET}", '{"decision": "reject", "reason": "\\ud800"}', int, "reviewer"),
        ("namePrefix-query", "GET", "/kyyVideo2/assets?namePrefix=%ED%A0%80", None, int, "uploader"),
        ("asset-id-path", "GET", "/kyyVideo2/asset/%ED%A0%80", None, int, "uploader"),
    ]:
        answer = client.request(method, BASE + path, body=body, key=keys[role])
        v.record(f"surrogate {method} {path.split('?')[0]} {case}", v.envelope_problem(answer, kind))

    # --- header injection and odd header values on the upload routes' Idempotency-Key and on Authorization
    for route, kind, valid in [("/kyyVideo2/asset/upload", int, {"assetType": "Image", "url": GOOD_URL}),
                               ("/asset/sd2Manxue/assetUpload", str, {"imageUrls": [GOOD_URL]})]:
        body = json.dumps(valid)
        cases = {
            # Well-formed HTTP: the value must be refused (40015) or used as a key, and echo nothing.
            "percent-encoded-crlf": {"Idempotency-Key": "k%0d%0aX-Injected:%201"},
            "non-ascii": {"Idempotency-Key": "clé".encode("utf-8").decode("iso-8859-1")},
            "tab-inside": {"Idempotency-Key": "a\tb"},
            "256-chars": {"Idempotency-Key": "k" * 256},
            "8KB": {"Idempotency-Key": "k" * 8192},
        }
        for case, headers in cases.items():
            answer = client.request("POST", BASE + route, body=body, key=upload_key, headers=headers)
            problem = v.envelope_problem(answer, kind) or injected(answer)
            v.record(f"header POST {route} Idempotency-Key {case}", problem)
        # Malformed HTTP: CR or LF inside a value. A front door may refuse the message itself (any 4xx,
        # or closing the connection); it must never answer 5xx or act on a smuggled header.
        for case, raw in {
            "bare-lf": b"Idempotency-Key: k1\nX-Injected: 1",
            "bare-cr": b"Idempotency-Key: k2\rX-Injected: 1",
            "nul": b"Idempotency-Key: k3\x00X",
            "obs-fold": b"Idempotency-Key: k4\r\n X-Injected: 1",
        }.items():
            answer = client.request("POST", BASE + route, body=body, key=upload_key, raw_header_lines=[raw])
            v.last = answer
            if answer.error and "closed" in answer.error:
                problem = None
            elif answer.status is not None and 400 <= answer.status < 500:
                problem = injected(answer)
            else:
                problem = v.envelope_problem(answer, kind) or injected(answer)
            v.record(f"header POST {route} Idempotency-Key {case}", problem)
    for case, value in {"garbage-10KB": "Bearer " + "x" * 10240, "basic": "Basic dXNlcjpwYXNz",
                        "bearer-empty": "Bearer ", "key-with-tab": "Bearer \t" + upload_key + "\t"}.items():
        answer = client.request("GET", BASE + "/kyyVideo2/assets", headers={"Authorization": value})
        v.record(f"header GET /kyyVideo2/assets Authorization {case}", v.envelope_problem(answer, int))
    answer = client.request("GET", BASE + "/kyyVideo2/assets")
    v.record("header GET /kyyVideo2/assets no-Authorization",
             v.envelope_problem(answer, int, allow_gateway=(401,)) or (None if answer.status == 401 else f"not 401: {answer}"))

    # --- path traversal and odd ids, on every route with an asset id
    ids = {
        "dotdot": "..",
        "dotdot-slash-encoded": "..%2F..%2Fassets",
        "dotdot-percent-encoded": "%2e%2e%2f%2e%2e%2fassets",
        "double-encoded": "%252e%252e%252f",
        "encoded-slash-in-id": ASSET + "%2Fhistory",
        "nul-encoded": ASSET + "%00",
        "backslash": "..%5C..%5Cassets",
        "long-10000": "a" * 10000,
        "long-valid-prefix": ASSET + "x" * 5000,
    }
    for method, template, kind, role in [("GET", "/kyyVideo2/asset/{id}", int, "uploader"),
                                         ("DELETE", "/kyyVideo2/asset/{id}", str, "uploader"),
                                         ("PATCH", "/kyyVideo2/asset/{id}", int, "uploader"),
                                         ("GET", "/kyyVideo2/asset/{id}/history", int, "uploader"),
                                         ("POST", "/review/{id}", int, "reviewer")]:
        body = {"PATCH": '{"name": "x"}', "POST": '{"decision": "approve"}'}.get(method)
        for case, value in ids.items():
            answer = client.request(method, BASE + template.replace("{id}", value), body=body, key=keys[role])
            v.record(f"path {method} {template} {case}", v.envelope_problem(answer, kind))
    for case, path in {"raw-dotdot-segment": "/kyyVideo2/asset/../assets",
                       "raw-dotdot-out-of-base": "/../kyyReactApiServer/kyyVideo2/assets",
                       "dot-segment": "/kyyVideo2/./assets"}.items():
        answer = client.request("GET", BASE + path, key=upload_key)
        v.record(f"path GET {case}", v.envelope_problem(answer, None))

    # --- query parameters: out-of-range instants, huge numbers, bad tokens
    for case, query in {
        "createdAfter-year-300000000": "createdAfter=%2B300000000-01-01T00:00:00Z",
        "createdBefore-year-300000000": "createdBefore=%2B300000000-01-01T00:00:00Z",
        "createdAfter-year-minus-999999999": "createdAfter=-999999999-01-01T00:00:00Z",
        "createdAfter-max-offset": "createdAfter=2026-01-01T00:00:00%2B18:00",
        "createdAfter-after-before-extremes": "createdAfter=-999999999-01-01T00:00:00Z&createdBefore=%2B999999999-12-31T23:59:59Z",
        "limit-2^70": f"limit={2 ** 70}",
        "limit-1e400": "limit=1e400",
        "limit-negative": "limit=-1",
        "nextToken-garbage": "nextToken=" + "A" * 5000,
        "nextToken-binary": "nextToken=%00%ff%fe",
        "status-repeated": "status=Active&status=Failed",
        "namePrefix-257": "namePrefix=" + "a" * 257,
        "unknown-parameter": "foo=bar",
    }.items():
        answer = client.request("GET", BASE + "/kyyVideo2/assets?" + query, key=upload_key)
        v.record(f"query GET /kyyVideo2/assets {case}", v.envelope_problem(answer, int))
    for case, query in {"limit-2^70": f"limit={2 ** 70}", "nextToken-garbage": "nextToken=" + "A" * 5000,
                        "nextToken-binary": "nextToken=%00%ff"}.items():
        answer = client.request("GET", BASE + "/review/pending?" + query, key=keys["reviewer"])
        v.record(f"query GET /review/pending {case}", v.envelope_problem(answer, int))

    # --- request-level rules the generators rarely reach
    for case, method, path, body, kind, expect in [
        ("sd2-every-url-refused", "POST", "/asset/sd2Manxue/assetUpload", {"imageUrls": ["ftp://example.com/a.jpg"]}, str, None),
        ("sd2-over-MaxBatchUrls", "POST", "/asset/sd2Manxue/assetUpload", {"imageUrls": [GOOD_URL] * 21}, str, 400),
        ("sd2-empty-lists", "POST", "/asset/sd2Manxue/assetUpload", {"imageUrls": [], "videoUrls": []}, str, 400),
        ("status-101-ids", "POST", "/asset/sd2Manxue/assetStatus", {"assetIds": [ASSET] * 101}, str, 400),
        ("resolve-51-references", "POST", "/kyyVideo2/asset/resolve", {"referenceImages": [GOOD_URL] * 51}, int, 400),
        ("upload-url-credentials", "POST", "/kyyVideo2/asset/upload", {"assetType": "Image", "url": "https://u:p@example.com/a.jpg"}, int, 400),
        ("upload-url-2049", "POST", "/kyyVideo2/asset/upload", {"assetType": "Image", "url": "https://example.com/" + "a" * 2029}, int, 400),
        ("upload-name-257", "POST", "/kyyVideo2/asset/upload", {"assetType": "Image", "url": GOOD_URL, "name": "n" * 257}, int, 400),
        ("upload-name-256-astral", "POST", "/kyyVideo2/asset/upload", {"assetType": "Image", "url": GOOD_URL, "name": "\U0001F600" * 256}, int, 200),
        ("upload-url-ipv6-zone", "POST", "/kyyVideo2/asset/upload", {"assetType": "Image", "url": "http://[fe80::1%25eth0]/a.jpg"}, int, None),
        ("uploadUrl-contentType-params", "POST", "/kyyVideo2/asset/uploadUrl", {"assetType": "Image", "contentType": "image/png; charset=x"}, int, 400),
    ]:
        answer = client.request(method, BASE + path, body=json.dumps(body), key=upload_key)
        problem = v.envelope_problem(answer, kind)
        if not problem and expect and answer.status != expect:
            problem = f"expected {expect}: {answer}"
        v.record(f"rule {method} {path} {case}", problem)

    # --- unmatched routes: the documented 40401 envelope (404), never API Gateway's bare answer
    for case, method, path in [
        ("unknown-path", "GET", BASE + "/nope"),
        ("root", "GET", "/"),
        ("outside-base", "GET", "/kyyVideo2/assets"),
        ("wrong-method", "PUT", BASE + "/kyyVideo2/assets"),
        ("wrong-method-on-upload", "DELETE", BASE + "/kyyVideo2/asset/upload/x"),
        ("trailing-slash", "GET", BASE + "/kyyVideo2/assets/"),
        ("case", "GET", BASE + "/KYYVIDEO2/assets"),
    ]:
        answer = client.request(method, path, key=upload_key)
        problem = v.envelope_problem(answer, None)
        if not problem and answer.status != 404:
            problem = f"expected 404 (40401): {answer}"
        v.record(f"route {case} {method} {path}", problem)


def pad_to(valid, size):
    """A JSON object of exactly `size` bytes: the valid body plus an unknown padding field."""
    base = json.dumps({**valid, "padding": ""})
    return base[:-2] + "x" * (size - len(base)) + '"}'


def injected(answer):
    if answer.header("X-Injected"):
        return f"the answer carries an injected header: {answer.header('X-Injected')}"
    return None


def stored_value_problem(client, key, asset_id, field, expected):
    detail = client.request("GET", BASE + f"/kyyVideo2/asset/{asset_id}", key=key)
    if detail.status != 200:
        return f"detail of the accepted asset answered {detail}"
    stored = detail.json()["data"].get(field)
    if stored != expected:
        return f"accepted, but {field} is stored as {stored!r}, not {expected!r} (refuse it with a 400, or keep it)"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--reviewer-key", required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--failures", required=True)
    args = parser.parse_args()
    v = Verdicts(error_statuses(args.spec))
    started = time.monotonic()
    client, keys = Client(args.api), {"uploader": args.key, "reviewer": args.reviewer_key}
    run(client, keys, v)
    roles_and_key_exposure(client, keys, v)
    with open(args.failures, "w", encoding="utf-8") as f:
        f.writelines(case + "\n" for case in v.failed)
    print(f"fuzz-hostile: {v.count} cases, {len(v.failed)} failing, {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
