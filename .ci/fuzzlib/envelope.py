"""The documented envelope: which code type each route answers, which HTTP status each error code
has (read from openapi.yaml), and the verdict on one answer."""
import re
import sys

BASE = "/kyyReactApiServer"

# Route templates and the type of their envelope's code (openapi.yaml, README "API").
ROUTES = [
    ("POST", "/kyyVideo2/asset/upload", int),
    ("POST", "/kyyVideo2/asset/uploadUrl", int),
    ("POST", "/kyyVideo2/asset/resolve", int),
    ("GET", "/kyyVideo2/assets", int),
    ("GET", "/kyyVideo2/asset/{id}/history", int),
    ("GET", "/kyyVideo2/asset/{id}", int),
    ("PATCH", "/kyyVideo2/asset/{id}", int),
    ("DELETE", "/kyyVideo2/asset/{id}", str),
    ("POST", "/asset/sd2Manxue/assetUpload", str),
    ("POST", "/asset/sd2Manxue/assetStatus", str),
    ("GET", "/review/pending", int),
    ("POST", "/review/{id}", int),
]


def error_statuses(spec_path):
    """The HTTP status of every error code, from openapi.yaml's x-error-codes (no YAML library needed)."""
    codes = {}
    with open(spec_path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s+(\d{5}): \{status: (\d{3}),", line)
            if m:
                codes[int(m.group(1))] = int(m.group(2))
    if len(codes) < 20:
        sys.exit(f"fuzz-hostile: x-error-codes not found in {spec_path}")
    return codes


def code_type(method, path):
    """The code type of the route a path selects, or None for a path that matches no route."""
    p = path.split("?", 1)[0]
    if not p.startswith(BASE + "/"):
        return None
    rest = p[len(BASE):]
    for m, template, kind in ROUTES:
        pattern = "^" + re.escape(template).replace(re.escape("{id}"), "[^/]+") + "$"
        if m == method and re.match(pattern, rest):
            return kind
    return None


class Verdicts:
    def __init__(self, codes):
        self.codes, self.failed, self.count, self.last = codes, [], 0, None

    def record(self, case_id, problem):
        self.count += 1
        if problem:
            self.failed.append(case_id)
            print(f"FAIL {case_id}: {problem}")
        else:
            print(f"PASS {case_id}: {summary(self.last)}")
        self.last = None

    def envelope_problem(self, answer, kind, allow_gateway=()):
        """None if the answer is a success or a documented 4xx envelope of the route's code type."""
        self.last = answer
        if answer.error:
            return answer.error
        if answer.status >= 500:
            return f"server error {answer}"
        if answer.status < 200 or (300 <= answer.status < 400):
            return f"unexpected status {answer}"
        try:
            body = answer.json()
        except (UnicodeDecodeError, ValueError):
            return f"body is not JSON: {answer}"
        if answer.status in allow_gateway and isinstance(body, dict) and set(body) == {"message"}:
            return None
        if not isinstance(body, dict) or not {"code", "msg", "data"} <= set(body):
            return f"not the envelope: {answer}"
        code = body["code"]
        kinds = (int, str) if kind is None else (kind,)
        if type(code) not in kinds or isinstance(code, bool):
            return f"code {code!r} is not a {'/'.join(k.__name__ for k in kinds)}: {answer}"
        number = int(code) if str(code).isdigit() else None
        if answer.status < 300:
            return None if number == 0 else f"success with code {code!r}: {answer}"
        if number not in self.codes:
            return f"code {code!r} is not a documented error code: {answer}"
        if self.codes[number] != answer.status:
            return f"code {code!r} is documented with HTTP {self.codes[number]}, answered {answer.status}"
        if not isinstance(body["msg"], str) or not body["msg"] or body["data"] is not None:
            return f"failure without msg or with data: {answer}"
        return None


def summary(answer):
    """'400 40012' (status and envelope code), or what else came back."""
    if answer is None:
        return "checked"
    if answer.error:
        return answer.error
    try:
        body = answer.json()
        code = body.get("code", body.get("message")) if isinstance(body, dict) else None
    except (UnicodeDecodeError, ValueError):
        code = None
    return f"{answer.status} {code!r}" if code is not None else str(answer.status)
