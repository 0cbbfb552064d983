# Records one agent task in Praxis over HTTP: Python standard library only.
# PRAXIS_URL (default http://127.0.0.1:8080) and PRAXIS_KEY (a tenant API key) from the env.
import json, os, time, urllib.error, urllib.request, uuid

URL = os.environ.get("PRAXIS_URL", "http://127.0.0.1:8080")
KEY = os.environ["PRAXIS_KEY"]

def send(steps):
    req = urllib.request.Request(f"{URL}/v1/steps", data=json.dumps({"steps": steps}).encode(),
                                 headers={"content-type": "application/json", "authorization": f"Bearer {KEY}"})
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            return json.load(res)  # {"accepted": n, "tenantId": ...}: on Kafka, not lost
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{e.code}: {json.load(e)['message']}")  # 4xx: the reason; nothing written

session, now = str(uuid.uuid4()), int(time.time() * 1000)
base = {"agentId": "py-agent", "sessionId": session, "taskId": session}
print(json.dumps(send([
    {**base, "eventId": f"{session}-0", "seq": 0, "kind": "QUERY", "timestampMs": now, "query": "where is order A-1001?"},
    {**base, "eventId": f"{session}-1", "seq": 1, "kind": "TOOL_CALL", "timestampMs": now + 400, "toolName": "lookup_order",
     "parametersJson": json.dumps({"orderId": "A-1001"}), "resultJson": json.dumps({"status": "shipped"}), "durationMs": 120},
    {**base, "eventId": f"{session}-2", "seq": 2, "kind": "TASK_END", "timestampMs": now + 900, "taskOutcome": "SUCCEEDED"},
])))
