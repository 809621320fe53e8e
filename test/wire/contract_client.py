#!/usr/bin/python3
"""Parley wire-contract check with an independent, non-JavaScript client.

Usage: /usr/bin/python3 test/wire/contract_client.py http://127.0.0.1:PORT

Drives the REST API with `requests` and the Socket.IO namespace /chat with python-socketio,
using only the wire names and shapes of /work/shared/API.md (sections 1-6). Every mismatch is
printed as one line "FAIL [check]: detail"; the exit code is 1 if any check failed, else 0 and
"wire contract: N checks passed" is printed.
"""

import datetime
import json
import queue
import re
import sys
import threading
import uuid

import requests
import socketio

NAMESPACE = "/chat"
TIMEOUT = 5.0  # seconds to wait for one ack or event

USER_FIELDS = ("id", "username", "kind")
ROOM_FIELDS = (
    "id", "name", "topic", "visibility", "hasPassword", "maxUsers", "ownerId",
    "createdAt", "expiresAt", "memberCount", "epoch", "lastSeq",
)
MESSAGE_FIELDS = ("id", "roomId", "seq", "userId", "username", "kind", "content", "sentAt")
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|\+00:00)$")
SERVER_EVENTS = (
    "session", "message:new", "message:deleted", "room:member-joined", "room:member-left",
    "room:typing", "user:renamed", "room:closed", "system:announcement",
    "moderation:banned", "moderation:kicked",
)


class Abort(Exception):
    """A failure after which the remaining checks cannot run meaningfully."""


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = []

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            return True
        line = f"FAIL [{name}]: {detail}" if detail else f"FAIL [{name}]"
        self.failed.append(line)
        print(line, flush=True)
        return False

    def require(self, name, condition, detail=""):
        if not self.check(name, condition, detail):
            raise Abort(name)

    def equal(self, name, actual, expected):
        return self.check(name, actual == expected, f"expected {expected!r}, got {actual!r}")


C = Checks()


def short(value, limit=400):
    text = json.dumps(value, default=str) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit] + "..."


def is_iso_utc(value):
    if not isinstance(value, str) or not ISO_UTC.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def parse_iso(value):
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


# ---------------------------------------------------------------- shape checks


def check_user(name, user, expected=None):
    if not C.check(f"{name}: is a User object", isinstance(user, dict), short(user)):
        return
    for field in USER_FIELDS:
        C.check(f"{name}: User.{field} is a non-empty string",
                isinstance(user.get(field), str) and user.get(field) != "", short(user))
    C.check(f"{name}: User.kind is guest|member|external",
            user.get("kind") in ("guest", "member", "external"), short(user))
    if expected is not None:
        for field in USER_FIELDS:
            C.equal(f"{name}: User.{field}", user.get(field), expected.get(field))


def check_room(name, room, expected=None):
    if not C.check(f"{name}: is a Room object", isinstance(room, dict), short(room)):
        return
    missing = [f for f in ROOM_FIELDS if f not in room]
    C.check(f"{name}: Room has every field of API.md section 1", not missing, f"missing {missing} in {short(room)}")
    C.check(f"{name}: Room.id is a string of >= 16 chars (>= 96 random bits)",
            isinstance(room.get("id"), str) and len(room["id"]) >= 16, short(room.get("id")))
    C.check(f"{name}: Room.name is a string", isinstance(room.get("name"), str), short(room))
    C.check(f"{name}: Room.topic is a string or null",
            room.get("topic") is None or isinstance(room.get("topic"), str), short(room))
    C.check(f"{name}: Room.visibility is public|private",
            room.get("visibility") in ("public", "private"), short(room))
    C.check(f"{name}: Room.hasPassword is a boolean", isinstance(room.get("hasPassword"), bool), short(room))
    C.check(f"{name}: Room.maxUsers is an integer", is_int(room.get("maxUsers")), short(room))
    C.check(f"{name}: Room.ownerId is a string", isinstance(room.get("ownerId"), str), short(room))
    C.check(f"{name}: Room.createdAt is ISO-8601 UTC", is_iso_utc(room.get("createdAt")), short(room))
    C.check(f"{name}: Room.expiresAt is ISO-8601 UTC", is_iso_utc(room.get("expiresAt")), short(room))
    C.check(f"{name}: Room.memberCount is an integer >= 0",
            is_int(room.get("memberCount")) and room["memberCount"] >= 0, short(room))
    C.check(f"{name}: Room.epoch is a non-empty string",
            isinstance(room.get("epoch"), str) and room["epoch"] != "", short(room))
    C.check(f"{name}: Room.lastSeq is an integer >= 0",
            is_int(room.get("lastSeq")) and room["lastSeq"] >= 0, short(room))
    leaked = [k for k in room if "password" in k.lower() and k != "hasPassword"]
    C.check(f"{name}: Room never exposes a password (hash)", not leaked, f"fields {leaked}")
    if expected:
        for field, value in expected.items():
            C.equal(f"{name}: Room.{field}", room.get(field), value)


def check_message(name, message, expected=None, client_msg_id=None):
    if not C.check(f"{name}: is a Message object", isinstance(message, dict), short(message)):
        return
    missing = [f for f in MESSAGE_FIELDS if f not in message]
    C.check(f"{name}: Message has every field of API.md section 1", not missing,
            f"missing {missing} in {short(message)}")
    for field in ("id", "roomId", "userId", "username", "content"):
        C.check(f"{name}: Message.{field} is a string", isinstance(message.get(field), str), short(message))
    C.check(f"{name}: Message.seq is an integer >= 1", is_int(message.get("seq")) and message["seq"] >= 1,
            short(message))
    C.check(f"{name}: Message.kind is user|system", message.get("kind") in ("user", "system"), short(message))
    C.check(f"{name}: Message.sentAt is ISO-8601 UTC", is_iso_utc(message.get("sentAt")), short(message))
    if client_msg_id is None:
        C.check(f"{name}: Message.clientMsgId absent when none was sent",
                message.get("clientMsgId") is None, short(message))
    else:
        C.equal(f"{name}: Message.clientMsgId", message.get("clientMsgId"), client_msg_id)
    if expected:
        for field, value in expected.items():
            C.equal(f"{name}: Message.{field}", message.get(field), value)


def check_error_body(name, res, status, code):
    C.equal(f"{name}: HTTP status", res.status_code, status)
    try:
        body = res.json()
    except ValueError:
        C.check(f"{name}: error body is JSON", False, short(res.text))
        return None
    if not C.check(f"{name}: error body is an object", isinstance(body, dict), short(body)):
        return None
    C.equal(f"{name}: error body statusCode", body.get("statusCode"), status)
    C.equal(f"{name}: error body code", body.get("code"), code)
    C.check(f"{name}: error body message is a non-empty string",
            isinstance(body.get("message"), str) and body["message"] != "", short(body))
    return body


def check_ack_error(name, ack, code, details_required=False):
    if not C.check(f"{name}: ack is an object", isinstance(ack, dict), short(ack)):
        return
    C.equal(f"{name}: ack.ok", ack.get("ok"), False)
    error = ack.get("error")
    if not C.check(f"{name}: ack.error is an object", isinstance(error, dict), short(ack)):
        return
    C.equal(f"{name}: ack.error.code", error.get("code"), code)
    C.check(f"{name}: ack.error.message is a non-empty string",
            isinstance(error.get("message"), str) and error["message"] != "", short(ack))
    if details_required:
        C.check(f"{name}: ack.error.details present", error.get("details") is not None, short(ack))


def check_ack_ok(name, ack):
    ok = isinstance(ack, dict) and ack.get("ok") is True
    C.check(f"{name}: ack is {{ok: true, ...}}", ok, short(ack))
    return ok


# ---------------------------------------------------------------- clients


class Rest:
    def __init__(self, base):
        self.api = base.rstrip("/") + "/api/v1"
        self.http = requests.Session()

    def request(self, method, path, token=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.request(method, self.api + path, headers=headers, timeout=TIMEOUT, **kwargs)


class Chat:
    """One python-socketio connection to /chat; every server event lands in a per-event queue."""

    def __init__(self, base, label):
        self.base = base
        self.label = label
        self.sio = socketio.Client(reconnection=False)
        self.queues = {event: queue.Queue() for event in SERVER_EVENTS}
        self.refusal = None
        self.accepted = False
        self.settled = threading.Event()  # set by the namespace's connect or connect_error
        for event in SERVER_EVENTS:
            self.sio.on(event, self._collector(event), namespace=NAMESPACE)
        self.sio.on("connect", self._on_connect, namespace=NAMESPACE)
        self.sio.on("connect_error", self._on_connect_error, namespace=NAMESPACE)

    def _collector(self, event):
        def handler(*args):
            self.queues[event].put(args[0] if len(args) == 1 else list(args))
        return handler

    def _on_connect(self, *_args):
        self.accepted = True
        self.settled.set()

    def _on_connect_error(self, *args):
        self.refusal = args[0] if len(args) == 1 else list(args)
        self.settled.set()

    def connect(self, token, url_suffix=""):
        """Connects and waits for `session`; returns its payload."""
        auth = {"token": token} if token is not None else None
        self.sio.connect(self.base + url_suffix, namespaces=[NAMESPACE], auth=auth,
                         transports=["websocket"], wait_timeout=TIMEOUT)
        return self.next("session")

    def try_refused(self, auth, url_suffix=""):
        """Attempts a handshake expected to be refused; returns (refusal payload, exception)."""
        exc = None
        try:
            self.sio.connect(self.base + url_suffix, namespaces=[NAMESPACE], auth=auth,
                             transports=["websocket"], wait=False)
        except socketio.exceptions.ConnectionError as error:
            exc = error
        if exc is None:
            # Whichever comes first: the refusal or an (unexpected) accepted connection.
            self.settled.wait(TIMEOUT)
        accepted = self.accepted
        self.close()
        return self.refusal, exc, accepted

    def call(self, event, data):
        try:
            return self.sio.call(event, data, namespace=NAMESPACE, timeout=TIMEOUT)
        except socketio.exceptions.TimeoutError:
            return "<no ack within %ss>" % TIMEOUT

    def next(self, event, timeout=TIMEOUT):
        try:
            return self.queues[event].get(timeout=timeout)
        except queue.Empty:
            return None

    def pending(self, event):
        items = []
        while True:
            try:
                items.append(self.queues[event].get_nowait())
            except queue.Empty:
                return items

    def close(self):
        try:
            self.sio.disconnect()
        except Exception:  # noqa: BLE001 - closing must never fail the run
            pass


# ---------------------------------------------------------------- the scenario


def guest(rest, username):
    res = rest.request("POST", "/auth/guest", json={"username": username})
    C.require(f"POST /auth/guest {username}: 201", res.status_code == 201, f"{res.status_code} {short(res.text)}")
    body = res.json()
    C.check(f"POST /auth/guest {username}: accessToken is a string",
            isinstance(body.get("accessToken"), str) and body["accessToken"] != "", short(body))
    C.equal(f"POST /auth/guest {username}: tokenType", body.get("tokenType"), "Bearer")
    C.check(f"POST /auth/guest {username}: expiresIn is a positive integer (seconds)",
            is_int(body.get("expiresIn")) and body["expiresIn"] > 0, short(body))
    check_user(f"POST /auth/guest {username}: user", body.get("user"))
    C.equal(f"POST /auth/guest {username}: user.username", (body.get("user") or {}).get("username"), username)
    C.equal(f"POST /auth/guest {username}: user.kind", (body.get("user") or {}).get("kind"), "guest")
    C.require(f"POST /auth/guest {username}: usable token and user",
              isinstance(body.get("accessToken"), str) and isinstance(body.get("user"), dict))
    return body


def refused_handshakes(base, token):
    cases = [
        ("handshake without token", None, ""),
        ("handshake with an invalid token", {"token": "not-a-jwt"}, ""),
        ("handshake with the token only in the URL query", None, f"?token={token}"),
    ]
    for name, auth, suffix in cases:
        client = Chat(base, name)
        refusal, exc, accepted = client.try_refused(auth, suffix)
        C.check(f"{name}: refused (not connected)", not accepted, "the server accepted the connection")
        C.check(f"{name}: connect_error received", refusal is not None,
                f"no connect_error; exception: {exc!r}")
        # python-socketio raises ConnectionError from connect() only when waiting; with wait=False
        # the refusal arrives as the connect_error event, whose payload is {message, data}.
        text = short(refusal) + " " + (str(exc) if exc else "")
        C.check(f"{name}: connect_error carries UNAUTHORIZED", "UNAUTHORIZED" in text, text)
        if isinstance(refusal, dict):
            C.equal(f"{name}: err.message", refusal.get("message"), "UNAUTHORIZED")
            data = refusal.get("data")
            if C.check(f"{name}: err.data is an object", isinstance(data, dict), short(refusal)):
                C.equal(f"{name}: err.data.code", data.get("code"), "UNAUTHORIZED")
                C.check(f"{name}: err.data.message is a non-empty string",
                        isinstance(data.get("message"), str) and data["message"] != "", short(data))


def refused_handshake_raises(base):
    """With the default wait=True, python-socketio's connect() raises ConnectionError."""
    client = Chat(base, "anonymous-wait")
    raised = None
    try:
        client.sio.connect(base, namespaces=[NAMESPACE], transports=["websocket"], wait_timeout=2)
    except socketio.exceptions.ConnectionError as error:
        raised = error
    C.check("handshake without token: connect() raises socketio ConnectionError", raised is not None,
            "connect() returned normally")
    C.check("handshake without token: connect_error (raised alongside) carries UNAUTHORIZED",
            "UNAUTHORIZED" in short(client.refusal) + " " + str(raised), f"{raised!r} / {short(client.refusal)}")
    client.close()


def main(base):
    rest = Rest(base)

    # ---- REST: auth
    ada = guest(rest, "ada")
    bob = guest(rest, "bob")
    res = rest.request("GET", "/auth/me", ada["accessToken"])
    C.equal("GET /auth/me: status", res.status_code, 200)
    if res.status_code == 200:
        check_user("GET /auth/me", res.json(), ada["user"])
    check_error_body("GET /auth/me without token", rest.request("GET", "/auth/me"), 401, "UNAUTHORIZED")
    bad = check_error_body("POST /auth/guest with an empty username",
                           rest.request("POST", "/auth/guest", json={"username": "   "}), 400, "VALIDATION_FAILED")
    res = rest.request("POST", "/rooms", ada["accessToken"], data="{not json",
                       headers={"Content-Type": "application/json"})
    check_error_body("POST /rooms with malformed JSON", res, 400, "VALIDATION_FAILED")
    del bad

    # ---- REST: rooms
    res = rest.request("POST", "/rooms", ada["accessToken"], json={"name": "wire room", "topic": "contract"})
    C.require("POST /rooms: 201", res.status_code == 201, f"{res.status_code} {short(res.text)}")
    room = res.json()
    check_room("POST /rooms", room, {
        "name": "wire room", "topic": "contract", "visibility": "public", "hasPassword": False,
        "maxUsers": 20, "ownerId": ada["user"]["id"], "memberCount": 0, "lastSeq": 0,
    })
    C.require("POST /rooms: usable room id and epoch",
              isinstance(room.get("id"), str) and isinstance(room.get("epoch"), str), short(room))
    if is_iso_utc(room.get("createdAt")) and is_iso_utc(room.get("expiresAt")):
        ttl = (parse_iso(room["expiresAt"]) - parse_iso(room["createdAt"])).total_seconds()
        C.check("POST /rooms: default ttlSeconds is 600 (expiresAt - createdAt)", abs(ttl - 600) < 2, f"{ttl}s")
    room_id, epoch = room["id"], room["epoch"]

    res = rest.request("GET", f"/rooms/{room_id}")
    C.equal("GET /rooms/:id: status", res.status_code, 200)
    if res.status_code == 200:
        check_room("GET /rooms/:id", res.json(), {k: room[k] for k in ROOM_FIELDS if k in room})

    check_error_body("GET /rooms/<unknown>", rest.request("GET", f"/rooms/{uuid.uuid4().hex}"), 404,
                     "ROOM_NOT_FOUND")
    check_error_body("GET /rooms/:id/messages without token",
                     rest.request("GET", f"/rooms/{room_id}/messages"), 401, "UNAUTHORIZED")

    res = rest.request("POST", "/rooms", ada["accessToken"], json={"name": "other room"})
    C.require("POST /rooms (second room): 201", res.status_code == 201, f"{res.status_code} {short(res.text)}")
    other_room_id = res.json()["id"]

    # ---- Socket.IO: refused handshakes
    refused_handshakes(base, ada["accessToken"])
    refused_handshake_raises(base)

    # ---- Socket.IO: sessions
    a = Chat(base, "ada")
    b = Chat(base, "bob")
    try:
        session = a.connect(ada["accessToken"])
        C.require("ada: session event received", session is not None)
        check_user("ada: session.user", (session or {}).get("user"), ada["user"])
        session = b.connect(bob["accessToken"])
        C.require("bob: session event received", session is not None)
        check_user("bob: session.user", (session or {}).get("user"), bob["user"])

        run_room(rest, base, a, b, ada, bob, room_id, epoch, other_room_id)
    finally:
        a.close()
        b.close()


def run_room(rest, base, a, b, ada, bob, room_id, epoch, other_room_id):
    # ---- room:join
    ack = a.call("room:join", {"roomId": room_id})
    C.require("ada room:join: ok", check_ack_ok("ada room:join", ack))
    check_room("ada room:join ack.room", ack.get("room"), {"id": room_id, "epoch": epoch, "memberCount": 1,
                                                          "lastSeq": 0, "ownerId": ada["user"]["id"]})
    members = ack.get("members")
    if C.check("ada room:join: ack.members is a list", isinstance(members, list), short(ack)):
        C.equal("ada room:join: ack.members ids", sorted(m.get("id") for m in members), [ada["user"]["id"]])
        for m in members:
            check_user("ada room:join: ack.members[]", m)
    C.equal("ada room:join: ack.messages", ack.get("messages"), [])
    C.equal("ada room:join: ack.recovered (no since)", ack.get("recovered"), False)

    ack = b.call("room:join", {"roomId": room_id})
    C.require("bob room:join: ok", check_ack_ok("bob room:join", ack))
    check_room("bob room:join ack.room", ack.get("room"), {"id": room_id, "memberCount": 2})
    members = ack.get("members")
    if C.check("bob room:join: ack.members is a list", isinstance(members, list), short(ack)):
        C.equal("bob room:join: ack.members ids", sorted(m.get("id") for m in members),
                sorted([ada["user"]["id"], bob["user"]["id"]]))
        for m in members:
            check_user("bob room:join: ack.members[]", m)
    C.equal("bob room:join: ack.recovered (no since)", ack.get("recovered"), False)
    joined = a.next("room:member-joined")
    C.check("ada receives room:member-joined for bob", isinstance(joined, dict), short(joined))
    if isinstance(joined, dict):
        C.equal("room:member-joined.roomId", joined.get("roomId"), room_id)
        check_user("room:member-joined.user", joined.get("user"), bob["user"])
        C.equal("room:member-joined.memberCount", joined.get("memberCount"), 2)

    # ---- message:send without clientMsgId
    ack = a.call("message:send", {"roomId": room_id, "content": "hello bob"})
    C.require("message:send (no clientMsgId): ok", check_ack_ok("message:send (no clientMsgId)", ack))
    m1 = ack.get("message")
    check_message("message:send (no clientMsgId) ack.message", m1, {
        "roomId": room_id, "seq": 1, "userId": ada["user"]["id"], "username": "ada", "kind": "user",
        "content": "hello bob",
    })
    C.require("message:send (no clientMsgId): usable message", isinstance(m1, dict))
    got = b.next("message:new")
    C.equal("bob receives message:new equal to the sender's ack", got, m1)
    own = a.next("message:new")
    C.equal("ada (sender) receives her own message:new", own, m1)

    # ---- message:send with clientMsgId
    cmid = "wire-" + uuid.uuid4().hex
    ack = a.call("message:send", {"roomId": room_id, "content": "with id", "clientMsgId": cmid})
    C.require("message:send (clientMsgId): ok", check_ack_ok("message:send (clientMsgId)", ack))
    m2 = ack.get("message")
    check_message("message:send (clientMsgId) ack.message", m2, {
        "roomId": room_id, "seq": 2, "userId": ada["user"]["id"], "username": "ada", "kind": "user",
        "content": "with id",
    }, client_msg_id=cmid)
    C.require("message:send (clientMsgId): usable message", isinstance(m2, dict))
    C.check("message ids are distinct", m2.get("id") != m1.get("id"), short([m1, m2]))
    C.equal("bob receives message:new (clientMsgId)", b.next("message:new"), m2)
    C.equal("ada receives her own message:new (clientMsgId)", a.next("message:new"), m2)

    # ---- retry with the same clientMsgId
    ack = a.call("message:send", {"roomId": room_id, "content": "with id", "clientMsgId": cmid})
    C.require("message:send retry: ok", check_ack_ok("message:send retry", ack))
    retry = ack.get("message") or {}
    C.equal("message:send retry returns the same id", retry.get("id"), m2.get("id"))
    C.equal("message:send retry returns the same seq", retry.get("seq"), m2.get("seq"))
    C.equal("message:send retry returns the original message", retry, m2)

    # A later message is the sync point: anything broadcast by the retry would arrive before it.
    ack = a.call("message:send", {"roomId": room_id, "content": "after retry"})
    C.require("message:send after retry: ok", check_ack_ok("message:send after retry", ack))
    m3 = ack.get("message") or {}
    C.equal("message after a retry takes the next seq", m3.get("seq"), 3)
    C.equal("retried message is not broadcast again (bob's next message:new is the next message)",
            b.next("message:new"), m3)
    C.equal("retried message is not broadcast again (ada's next message:new is the next message)",
            a.next("message:new"), m3)

    # clientMsgId scope is user + room: the same id from bob is a new message.
    ack = b.call("message:send", {"roomId": room_id, "content": "bob reuses the id", "clientMsgId": cmid})
    C.require("message:send same clientMsgId by another user: ok",
              check_ack_ok("message:send same clientMsgId by another user", ack))
    m4 = ack.get("message") or {}
    check_message("message:send same clientMsgId by another user ack.message", m4, {
        "seq": 4, "userId": bob["user"]["id"], "username": "bob", "content": "bob reuses the id",
    }, client_msg_id=cmid)
    C.check("same clientMsgId by another user is a distinct message", m4.get("id") != m2.get("id"), short(m4))
    C.equal("ada receives bob's message:new", a.next("message:new"), m4)
    C.equal("bob receives his own message:new", b.next("message:new"), m4)

    # ---- room:typing
    ack = b.call("room:typing", {"roomId": room_id, "typing": True})
    C.check("room:typing: ack is {ok: true}", isinstance(ack, dict) and ack.get("ok") is True, short(ack))
    typing = a.next("room:typing")
    if C.check("ada receives room:typing", isinstance(typing, dict), short(typing)):
        C.equal("room:typing.roomId", typing.get("roomId"), room_id)
        check_user("room:typing.user", typing.get("user"), bob["user"])
        C.equal("room:typing.typing", typing.get("typing"), True)

    # ---- user:rename
    ack = b.call("user:rename", {"username": "bobby"})
    C.require("user:rename: ok", check_ack_ok("user:rename", ack))
    check_user("user:rename ack.user", ack.get("user"), {**bob["user"], "username": "bobby"})
    renamed = a.next("user:renamed")
    if C.check("ada receives user:renamed", isinstance(renamed, dict), short(renamed)):
        check_user("user:renamed.user", renamed.get("user"), {**bob["user"], "username": "bobby"})
        C.equal("user:renamed.previousUsername", renamed.get("previousUsername"), "bob")
    own_renamed = b.next("user:renamed")
    C.check("bob (renamed user) receives user:renamed", isinstance(own_renamed, dict), short(own_renamed))

    ack = b.call("message:send", {"roomId": room_id, "content": "new name"})
    C.require("message:send after rename: ok", check_ack_ok("message:send after rename", ack))
    m5 = ack.get("message") or {}
    C.equal("message after rename carries the new username", m5.get("username"), "bobby")
    C.equal("message after rename seq", m5.get("seq"), 5)
    C.equal("ada receives message:new after rename", a.next("message:new"), m5)
    C.equal("bob receives his own message:new after rename", b.next("message:new"), m5)
    # Sync points passed: the typer never got its own room:typing, bob never got his own member-joined.
    C.equal("room:typing not sent to the typer", b.pending("room:typing"), [])
    C.equal("room:member-joined not sent to the joining user", b.pending("room:member-joined"), [])
    C.equal("user:renamed reaches ada once", a.pending("user:renamed"), [])
    C.equal("user:renamed reaches bob once", b.pending("user:renamed"), [])
    all_messages = [m1, m2, m3, m4, m5]

    # ---- room:history
    ack = a.call("room:history", {"roomId": room_id})
    C.require("room:history: ok", check_ack_ok("room:history", ack))
    C.equal("room:history: epoch", ack.get("epoch"), epoch)
    C.equal("room:history (no paging): all messages ascending", ack.get("messages"), all_messages)
    for msg in ack.get("messages") or []:
        check_message("room:history messages[]", msg, client_msg_id=msg.get("clientMsgId"))
    ack = a.call("room:history", {"roomId": room_id, "limit": 2})
    C.equal("room:history limit=2: the latest 2", [m.get("seq") for m in ack.get("messages") or []], [4, 5])
    ack = a.call("room:history", {"roomId": room_id, "before": 3, "limit": 10})
    C.equal("room:history before=3", [m.get("seq") for m in ack.get("messages") or []], [1, 2])
    ack = a.call("room:history", {"roomId": room_id, "after": 2, "limit": 2})
    C.equal("room:history after=2 limit=2", [m.get("seq") for m in ack.get("messages") or []], [3, 4])

    # ---- REST history and room state
    res = rest.request("GET", f"/rooms/{room_id}/messages", bob["accessToken"])
    C.equal("GET /rooms/:id/messages: status", res.status_code, 200)
    if res.status_code == 200:
        body = res.json()
        C.equal("GET /rooms/:id/messages: items", body.get("items"), all_messages)
        C.equal("GET /rooms/:id/messages: epoch", body.get("epoch"), epoch)
    res = rest.request("GET", f"/rooms/{room_id}/messages", bob["accessToken"], params={"after": 1, "limit": 2})
    C.equal("GET /rooms/:id/messages?after=1&limit=2",
            [m.get("seq") for m in (res.json().get("items") or [])] if res.status_code == 200 else res.status_code,
            [2, 3])
    res = rest.request("GET", f"/rooms/{room_id}")
    if C.equal("GET /rooms/:id (after chat): status", res.status_code, 200):
        C.equal("GET /rooms/:id: memberCount while 2 online", res.json().get("memberCount"), 2)
        C.equal("GET /rooms/:id: lastSeq", res.json().get("lastSeq"), 5)

    # ---- errors on the socket
    check_ack_error("message:send with a string payload", a.call("message:send", "nope"),
                    "VALIDATION_FAILED", details_required=True)
    check_ack_error("message:send with numeric content",
                    a.call("message:send", {"roomId": room_id, "content": 123}),
                    "VALIDATION_FAILED", details_required=True)
    check_ack_error("message:send with a clientMsgId of 65 chars",
                    a.call("message:send", {"roomId": room_id, "content": "x", "clientMsgId": "c" * 65}),
                    "VALIDATION_FAILED", details_required=True)
    check_ack_error("room:join without roomId", a.call("room:join", {}), "VALIDATION_FAILED", details_required=True)
    check_ack_error("room:join malformed since on an unknown room (validation first)",
                    a.call("room:join", {"roomId": "no-such-room", "since": "yesterday"}),
                    "VALIDATION_FAILED", details_required=True)
    check_ack_error("room:typing with a non-boolean typing",
                    a.call("room:typing", {"roomId": room_id, "typing": "yes"}),
                    "VALIDATION_FAILED", details_required=True)
    check_ack_error("room:join unknown room", a.call("room:join", {"roomId": uuid.uuid4().hex}), "ROOM_NOT_FOUND")
    check_ack_error("message:send to a room not joined",
                    a.call("message:send", {"roomId": other_room_id, "content": "hi"}), "NOT_A_MEMBER")
    ack = a.call("message:send", {"roomId": room_id, "content": "after refusals"})
    C.require("message:send after refusals: ok", check_ack_ok("message:send after refusals", ack))
    m6 = ack.get("message") or {}
    C.equal("refused messages take no seq", m6.get("seq"), 6)
    C.equal("bob receives message:new after refusals", b.next("message:new"), m6)
    C.equal("ada receives message:new after refusals", a.next("message:new"), m6)

    # ---- message length limits (content 1-2000 characters by default)
    check_ack_error("message:send with 2001 characters",
                    a.call("message:send", {"roomId": room_id, "content": "x" * 2001}),
                    "VALIDATION_FAILED", details_required=True)
    check_ack_error("message:send with empty content",
                    a.call("message:send", {"roomId": room_id, "content": ""}),
                    "VALIDATION_FAILED", details_required=True)
    ack = a.call("message:send", {"roomId": room_id, "content": "y" * 2000})
    C.require("message:send with 2000 characters: ok", check_ack_ok("message:send with 2000 characters", ack))
    m7 = ack.get("message") or {}
    C.equal("message:send with 2000 characters: seq (refusals took none)", m7.get("seq"), 7)
    C.equal("bob receives the 2000-character message", b.next("message:new"), m7)
    C.equal("ada receives the 2000-character message", a.next("message:new"), m7)

    # ---- one user, two sockets (tabs): one member
    a2 = Chat(base, "ada-tab-2")
    try:
        session = a2.connect(ada["accessToken"])
        C.require("ada second tab: session event received", session is not None)
        ack = a2.call("room:join", {"roomId": room_id})
        C.require("ada second tab room:join: ok", check_ack_ok("ada second tab room:join", ack))
        ids = [m.get("id") for m in ack.get("members") or []]
        C.equal("second tab: ack.members lists each user once", sorted(ids),
                sorted([ada["user"]["id"], bob["user"]["id"]]))
        C.equal("second tab: room.memberCount still 2", (ack.get("room") or {}).get("memberCount"), 2)
        ack = b.call("message:send", {"roomId": room_id, "content": "to both tabs"})
        C.require("message:send to both tabs: ok", check_ack_ok("message:send to both tabs", ack))
        m8 = ack.get("message") or {}
        C.equal("ada's first tab receives message:new", a.next("message:new"), m8)
        C.equal("ada's second tab receives message:new", a2.next("message:new"), m8)
        C.equal("bob receives his own message:new (tabs)", b.next("message:new"), m8)
        C.equal("a second tab of a member does not fire room:member-joined", b.pending("room:member-joined"), [])
    finally:
        a2.close()
    ack = a.call("message:send", {"roomId": room_id, "content": "one tab closed"})
    C.require("message:send after a tab closed: ok", check_ack_ok("message:send after a tab closed", ack))
    m9 = ack.get("message") or {}
    C.equal("bob receives message:new after ada's tab closed", b.next("message:new"), m9)
    C.equal("ada receives message:new after her tab closed", a.next("message:new"), m9)
    C.equal("closing one of two tabs does not fire room:member-left", b.pending("room:member-left"), [])
    res = rest.request("GET", f"/rooms/{room_id}/members", bob["accessToken"])
    C.equal("GET /rooms/:id/members: status", res.status_code, 200)
    if res.status_code == 200 and C.check("GET /rooms/:id/members: a User[]", isinstance(res.json(), list),
                                          short(res.json())):
        for user in res.json():
            check_user("GET /rooms/:id/members[]", user)
        C.equal("GET /rooms/:id/members: online users", sorted(u.get("id") for u in res.json()),
                sorted([ada["user"]["id"], bob["user"]["id"]]))

    # ---- listing and reading another room without joining it
    res = rest.request("GET", "/rooms", params={"limit": 100})
    if C.equal("GET /rooms: status", res.status_code, 200):
        body = res.json()
        C.check("GET /rooms: {items, nextCursor}", isinstance(body.get("items"), list) and "nextCursor" in body,
                short(body))
        C.check("GET /rooms: lists the public room", room_id in [r.get("id") for r in body.get("items") or []],
                short(body))
    ack = b.call("room:history", {"roomId": other_room_id})
    C.check("room:history of a public room not joined: ok", isinstance(ack, dict) and ack.get("ok") is True,
            short(ack))
    check_ack_error("room:history unknown room", b.call("room:history", {"roomId": uuid.uuid4().hex}),
                    "ROOM_NOT_FOUND")

    # ---- password room
    res = rest.request("POST", "/rooms", ada["accessToken"],
                       json={"name": "secret", "visibility": "private", "password": "open sesame"})
    C.require("POST /rooms (password): 201", res.status_code == 201, f"{res.status_code} {short(res.text)}")
    secret = res.json()
    check_room("POST /rooms (password)", secret, {"visibility": "private", "hasPassword": True})
    check_error_body("GET /rooms/:id/messages of a password room not joined",
                     rest.request("GET", f"/rooms/{secret['id']}/messages", bob["accessToken"]), 403, "NOT_A_MEMBER")
    check_ack_error("room:join password room without password", b.call("room:join", {"roomId": secret["id"]}),
                    "WRONG_PASSWORD")
    check_ack_error("room:join password room with a wrong password",
                    b.call("room:join", {"roomId": secret["id"], "password": "nope"}), "WRONG_PASSWORD")
    ack = b.call("room:join", {"roomId": secret["id"], "password": "open sesame"})
    C.check("room:join password room with the password: ok", isinstance(ack, dict) and ack.get("ok") is True,
            short(ack))
    ack = b.call("room:leave", {"roomId": secret["id"]})
    C.check("room:leave password room: ok", isinstance(ack, dict) and ack.get("ok") is True, short(ack))
    res = rest.request("GET", f"/rooms/{secret['id']}/messages", bob["accessToken"])
    C.equal("password room history stays readable after leaving (grant lasts)", res.status_code, 200)
    res = rest.request("GET", "/rooms", params={"limit": 100})
    if res.status_code == 200:
        C.check("GET /rooms does not list a private room",
                secret["id"] not in [r.get("id") for r in res.json().get("items") or []])

    # ---- a full room
    res = rest.request("POST", "/rooms", ada["accessToken"], json={"name": "pair", "maxUsers": 2})
    C.require("POST /rooms (maxUsers 2): 201", res.status_code == 201, f"{res.status_code} {short(res.text)}")
    pair = res.json()
    cy = guest(rest, "cy")
    c = Chat(base, "cy")
    try:
        C.require("cy: session event received", c.connect(cy["accessToken"]) is not None)
        for who, client in (("ada", a), ("bob", b)):
            ack = client.call("room:join", {"roomId": pair["id"]})
            C.check(f"{who} joins the 2-seat room", isinstance(ack, dict) and ack.get("ok") is True, short(ack))
        check_ack_error("room:join a full room", c.call("room:join", {"roomId": pair["id"]}), "ROOM_FULL")
    finally:
        c.close()
    for who, client in (("bob", b), ("ada", a)):  # bob first: ada is still there to see him leave
        ack = client.call("room:leave", {"roomId": pair["id"]})
        C.check(f"{who} leaves the 2-seat room", isinstance(ack, dict) and ack.get("ok") is True, short(ack))
    joined_pair = a.next("room:member-joined")
    C.equal("ada sees bob join the 2-seat room", (joined_pair or {}).get("roomId"), pair["id"])
    left_pair = a.next("room:member-left")
    C.equal("ada sees bob leave the 2-seat room",
            [(left_pair or {}).get("roomId"), (left_pair or {}).get("reason")], [pair["id"], "left"])

    # ---- disconnect and recovery
    last_seen = 9
    b.close()
    left = a.next("room:member-left")
    if C.check("ada receives room:member-left when bob disconnects", isinstance(left, dict), short(left)):
        C.equal("room:member-left.roomId", left.get("roomId"), room_id)
        C.equal("room:member-left.user.id", (left.get("user") or {}).get("id"), bob["user"]["id"])
        check_user("room:member-left.user", left.get("user"))
        C.equal("room:member-left.memberCount", left.get("memberCount"), 1)
        C.equal("room:member-left.reason", left.get("reason"), "disconnected")

    missed = []
    for text in ("while you were away 1", "while you were away 2"):
        ack = a.call("message:send", {"roomId": room_id, "content": text})
        C.require(f"message:send '{text}': ok", check_ack_ok(f"message:send '{text}'", ack))
        missed.append(ack["message"])
        C.equal(f"ada receives message:new '{text}'", a.next("message:new"), ack["message"])

    b2 = Chat(base, "bob-again")
    try:
        session = b2.connect(bob["accessToken"])
        C.require("bob reconnects: session event received", session is not None)
        C.equal("bob reconnects: session.user.id", ((session or {}).get("user") or {}).get("id"), bob["user"]["id"])
        ack = b2.call("room:join", {"roomId": room_id, "since": {"seq": last_seen, "epoch": epoch}})
        C.require("room:join with since: ok", check_ack_ok("room:join with since", ack))
        C.equal("room:join with since: messages are exactly the missed ones", ack.get("messages"), missed)
        C.equal("room:join with since: recovered", ack.get("recovered"), True)
        check_room("room:join with since ack.room", ack.get("room"), {"id": room_id, "memberCount": 2, "lastSeq": last_seen + 2})
        rejoined = a.next("room:member-joined")
        C.equal("ada receives room:member-joined when bob rejoins",
                ((rejoined or {}).get("user") or {}).get("id"), bob["user"]["id"])

        # Joining is idempotent; a since with a foreign epoch is not recovered.
        ack = b2.call("room:join", {"roomId": room_id, "since": {"seq": last_seen, "epoch": "another-epoch"}})
        C.require("room:join with a stale epoch: ok", check_ack_ok("room:join with a stale epoch", ack))
        C.equal("room:join with a stale epoch: recovered", ack.get("recovered"), False)
        C.equal("room:join with a stale epoch: the latest messages",
                [m.get("seq") for m in ack.get("messages") or []], list(range(1, last_seen + 3)))

        # ---- room:leave
        ack = b2.call("room:leave", {"roomId": room_id})
        C.check("room:leave: ack is {ok: true}", isinstance(ack, dict) and ack.get("ok") is True, short(ack))
        left = a.next("room:member-left")
        if C.check("ada receives room:member-left when bob leaves", isinstance(left, dict), short(left)):
            C.equal("room:member-left (leave).reason", left.get("reason"), "left")
            C.equal("room:member-left (leave).memberCount", left.get("memberCount"), 1)
        C.equal("an idempotent re-join does not announce bob twice", a.pending("room:member-joined"), [])
    finally:
        b2.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: contract_client.py <base url>", file=sys.stderr)
        sys.exit(2)
    try:
        main(sys.argv[1].rstrip("/"))
    except Abort as abort:
        print(f"aborted after failed check: {abort}", flush=True)
    except Exception as error:  # noqa: BLE001 - report, then fail
        import traceback
        traceback.print_exc()
        C.failed.append(f"unexpected error: {error!r}")
    if C.failed:
        print(f"wire contract: {len(C.failed)} of {C.passed + len(C.failed)} checks FAILED", flush=True)
        sys.exit(1)
    print(f"wire contract: {C.passed} checks passed", flush=True)
    sys.exit(0)
