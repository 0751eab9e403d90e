"""A proxy that makes a local Jupyter server feel remote: every WebSocket message waits.

    python -m tests.latency_proxy --upstream http://127.0.0.1:8888 --port 9999 --delay 0.1

Between the browser and the server, each WebSocket message (the kernel's messages: every pen
move the pad receives, every drawing command and reading it sends back) is held ``--delay``
seconds in each direction, in order, as on a network with that one-way latency (Binder,
Colab and JupyterHub kernels run far from the learner). HTTP requests (the page, its
scripts, the REST API) pass through at once: they are not what a learner waits for while
drawing. The browser test (``tests/test_browser.py``) starts it with ``latency_proxy``.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from tornado import httpclient, web, websocket
from tornado.httputil import HTTPHeaders

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "upgrade", "content-length", "host"}


class DelayedPipe:
    """Deliver messages ``delay`` seconds after they were handed in, in order."""

    def __init__(self, send, delay: float) -> None:
        self.send, self.delay = send, delay
        self.queue: asyncio.Queue = asyncio.Queue()
        self.task = asyncio.ensure_future(self._run())

    def put(self, message) -> None:
        self.queue.put_nowait((time.monotonic() + self.delay, message))

    async def _run(self) -> None:
        while True:
            due, message = await self.queue.get()
            if message is None:
                return
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            try:
                await self.send(message)
            except (websocket.WebSocketClosedError, websocket.StreamClosedError):
                return


def upstream_headers(handler: web.RequestHandler, keep=lambda name: True) -> HTTPHeaders:
    """Return the browser's headers for the server, as if the page came from the server."""
    proxy = f"{handler.request.protocol}://{handler.request.host}"
    headers = HTTPHeaders()
    for name, value in handler.request.headers.get_all():
        if name.lower() in HOP_BY_HOP or name.lower().startswith("sec-websocket"):
            continue
        if keep(name):
            headers.add(name, value.replace(proxy, handler.upstream))  # Origin, Referer
    return headers


class HttpForward(web.RequestHandler):
    """Forward a request to the server at once, and its answer back."""

    upstream: str

    async def get(self, *_):
        headers = upstream_headers(self)
        body = self.request.body if self.request.method in ("POST", "PUT", "PATCH") else None
        request = httpclient.HTTPRequest(
            self.upstream + self.request.uri, method=self.request.method, headers=headers,
            body=body, follow_redirects=False, decompress_response=False,
            allow_nonstandard_methods=True, request_timeout=300,
        )  # fmt: skip
        response = await httpclient.AsyncHTTPClient().fetch(request, raise_error=False)
        self.set_status(response.code, response.reason)
        self._headers = HTTPHeaders()
        for name, value in response.headers.get_all():
            if name.lower() not in HOP_BY_HOP:
                self.add_header(name, value)
        if response.body:
            self.write(response.body)

    post = put = patch = delete = head = get

    def check_xsrf_cookie(self) -> None:
        """The server checks it."""


class WebSocketForward(websocket.WebSocketHandler):
    """Forward a WebSocket's messages both ways, each held ``delay`` seconds."""

    upstream: str
    delay: float

    def select_subprotocol(self, subprotocols):
        return subprotocols[0] if subprotocols else None

    def check_origin(self, origin: str) -> bool:
        return True  # the server checks the origin it is shown

    async def open(self, *_):
        url = self.upstream.replace("http", "ws", 1) + self.request.uri
        protocols = self.request.headers.get("Sec-WebSocket-Protocol")
        self.server = await websocket.websocket_connect(
            httpclient.HTTPRequest(url, headers=upstream_headers(self)),
            subprotocols=[p.strip() for p in protocols.split(",")] if protocols else None,
        )
        self.to_server = DelayedPipe(self._to_server, self.delay)
        self.to_browser = DelayedPipe(self._to_browser, self.delay)
        self.reader = asyncio.ensure_future(self._read_server())

    async def _to_server(self, message) -> None:
        await self.server.write_message(message, binary=isinstance(message, bytes))

    async def _to_browser(self, message) -> None:
        await self.write_message(message, binary=isinstance(message, bytes))

    async def _read_server(self) -> None:
        while (message := await self.server.read_message()) is not None:
            self.to_browser.put(message)
        self.to_browser.put(None)
        self.close()

    def on_message(self, message):
        self.to_server.put(message)

    def on_close(self):
        if hasattr(self, "to_server"):
            self.to_server.put(None)
            self.server.close()


WEBSOCKETS = r"(/api/kernels/[^/]+/channels|/api/events/subscribe|/terminals/websocket/.*)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="the server, e.g. http://127.0.0.1:8888")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds, each way")
    args = parser.parse_args()
    upstream = args.upstream.rstrip("/")
    HttpForward.upstream = WebSocketForward.upstream = upstream
    WebSocketForward.delay = args.delay

    async def serve() -> None:
        routes = [(WEBSOCKETS, WebSocketForward), (r"/.*", HttpForward)]
        web.Application(routes).listen(args.port, address="127.0.0.1")
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
