"""Role cases: every route checks the role it needs, and no answer shows any part of a key."""
import json
import time

from fuzzlib.envelope import BASE



def roles_and_key_exposure(client, keys, v):
    """Every route checks the role it needs, and no answer shows any part of a key (issue 15, hole 5)."""
    uploader, reviewer = keys["uploader"], keys["reviewer"]
    # The asset must pass the media step to reach the human queue: a sample the local stack serves on its
    # own allow-listed origin (the fuzz machine may have no internet; example.com would end DOWNLOAD_FAILED).
    good_url = f"http://{client.host}:{client.port}/samples/roles.jpg"

    def upload():
        answer = client.request("POST", BASE + "/kyyVideo2/asset/upload",
                                body=json.dumps({"assetType": "Image", "url": good_url, "name": "roles"}), key=uploader)
        return answer.json()["data"]["assetId"] if answer.status == 200 else None

    def expect_403(case, method, path, body, kind, key):
        answer = client.request(method, BASE + path, body=body, key=key)
        problem = v.envelope_problem(answer, kind)
        if not problem and answer.status != 403:
            problem = f"expected 403 (40300): {answer}"
        v.record(f"role {method} {case}", problem)

    asset_id = upload()
    if asset_id is None:
        v.record("role setup", "could not create an asset")
        return
    expect_403("/kyyVideo2/asset/upload reviewer-key", "POST", "/kyyVideo2/asset/upload",
               json.dumps({"assetType": "Image", "url": good_url}), int, reviewer)
    expect_403("/asset/sd2Manxue/assetUpload reviewer-key", "POST", "/asset/sd2Manxue/assetUpload",
               json.dumps({"imageUrls": [good_url]}), str, reviewer)
    expect_403("/kyyVideo2/asset/uploadUrl reviewer-key", "POST", "/kyyVideo2/asset/uploadUrl",
               json.dumps({"assetType": "Image", "contentType": "image/png"}), int, reviewer)
    expect_403("/review/pending uploader-key", "GET", "/review/pending", None, int, uploader)
    expect_403("/review/{assetId} uploader-key", "POST", f"/review/{asset_id}", '{"decision": "approve"}', int, uploader)
    expect_403("/kyyVideo2/asset/{assetId} reviewer-key", "PATCH", f"/kyyVideo2/asset/{asset_id}",
               '{"name": "renamed by a reviewer"}', int, reviewer)
    victim = upload()
    if victim:
        expect_403("/kyyVideo2/asset/{assetId} reviewer-key", "DELETE", f"/kyyVideo2/asset/{victim}", None, str, reviewer)

    # A person's decision: neither its answer nor the asset's history may show a part of the reviewer key.
    fragments = {reviewer[i:i + 6] for i in range(4, len(reviewer) - 5)}
    deadline, queued = time.monotonic() + 60, False
    while time.monotonic() < deadline and not queued:
        pending = client.request("GET", BASE + "/review/pending?limit=100", key=reviewer)
        queued = pending.status == 200 and any(i["assetId"] == asset_id for i in pending.json()["data"]["items"])
        if not queued:
            time.sleep(1)
    if not queued:
        v.record("key-exposure setup", f"asset {asset_id} never reached the human review queue")
        return
    decided = client.request("POST", BASE + f"/review/{asset_id}", body='{"decision": "approve"}', key=reviewer)
    problem = v.envelope_problem(decided, int)
    if not problem and decided.status == 200:
        shown = sorted(f for f in fragments if f in decided.body.decode("utf-8", "replace"))
        problem = f"the decision's answer shows part of the reviewer key: {decided}" if shown else None
    v.record("key-exposure POST /review/{assetId} answer", problem)
    history = None
    while time.monotonic() < deadline + 60:
        history = client.request("GET", BASE + f"/kyyVideo2/asset/{asset_id}/history", key=uploader)
        if history.status == 200 and any(e["to"] == "Active" for e in history.json()["data"]["events"]):
            break
        time.sleep(1)
    problem = v.envelope_problem(history, int)
    if not problem:
        events = history.json()["data"]["events"]
        if not any(e["to"] == "Active" for e in events):
            problem = f"the approval was not applied within two minutes: {history}"
        else:
            text = history.body.decode("utf-8", "replace")
            shown = sorted(f for f in fragments if f in text)
            if shown:
                actors = [e["actor"] for e in events]
                problem = f"the history shows part of the reviewer key (actors {actors})"
    v.record("key-exposure GET /kyyVideo2/asset/{assetId}/history actor", problem)
