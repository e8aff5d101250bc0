"""Real servers on loopback for the reminder tests: an SMTP server (aiosmtpd) and an HTTP
server standing in for a 企业微信 or 钉钉 group robot."""

import email
import email.policy
import json
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def certificate(directory):
    """A self-signed certificate for 127.0.0.1 (openssl), as (certificate file, key file)."""
    cert, key = directory / "robot.pem", directory / "robot.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


class Mailbox:
    """What the SMTP server received: each message parsed, with its envelope recipients."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address):
        return [message for recipients, message in self.messages if address in recipients]


class SmtpServer:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.mailbox = Mailbox()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


class Robot:
    """A group-robot webhook: records each JSON body; answers errcode 0, or what `answer` says,
    or lets `reply(handler)` answer instead (see the answers below)."""

    def __init__(self, tls=None):
        self.posts = []
        self.gets = []
        self.answer = {"errcode": 0, "errmsg": "ok"}
        self.reply = None
        self.written = 0  # bytes of the body the last reply managed to write
        self.done = threading.Event()  # set when the last reply is over
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                robot.posts.append(
                    (self.path, self.headers["Content-Type"], json.loads(self.rfile.read(length)))
                )
                if robot.reply:
                    robot.reply(robot, self)
                    robot.done.set()
                    return
                body = json.dumps(robot.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                robot.gets.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        if tls:  # (certificate file, key file): the robot answers over HTTPS
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.url = f"https://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def redirect(location):
    """A 302 to `location`."""

    def reply(robot, handler):
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return reply


def trickle(every, length=10):
    """A 200 whose JSON comes one byte every `every` seconds; `length` bytes of it, then the
    connection ends (the answer unfinished)."""

    def reply(robot, handler):
        body = json.dumps({"errcode": 0, "errmsg": "ok" + " " * 200}).encode()
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            for byte in body[:length]:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                robot.written += 1
                time.sleep(every)
        except OSError:
            pass  # the sender hung up

    return reply


def endless(declare=None):
    """A 200 that goes on sending until the other end hangs up (100 MB at most), with a
    Content-Length of `declare` bytes, or none (the end of the body is the end of the
    connection)."""

    def reply(robot, handler):
        handler.send_response(200)
        if declare:
            handler.send_header("Content-Length", str(declare))
        handler.end_headers()
        chunk = b"x" * 65536
        try:
            while robot.written < 100 * 2**20:
                handler.wfile.write(chunk)
                robot.written += len(chunk)
        except OSError:
            pass

    return reply


def slow(seconds):
    """The usual answer, after `seconds`."""

    def reply(robot, handler):
        time.sleep(seconds)
        body = json.dumps(robot.answer).encode()
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return reply
