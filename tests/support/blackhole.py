"""A TCP proxy on loopback that forwards to a real server until told to stall.

In ``blackhole`` mode it accepts connections and never forwards a byte either way, like a
database or Redis that accepts but never answers; connections already open stall too.
"""

from __future__ import annotations

import select
import socket
import threading


class BlackholeProxy:
    def __init__(self, upstream_port: int, *, blackhole: bool = False) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.stalled = threading.Event()
        if blackhole:
            self.stalled.set()
        self._closing = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def blackhole(self) -> None:
        self.stalled.set()

    def forward(self) -> None:
        self.stalled.clear()

    def _keep(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)

    def _accept_loop(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            self._keep(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        if self.stalled.is_set():
            return  # held open, never read, never answered
        try:
            upstream = socket.create_connection(self.upstream, timeout=2)
        except OSError:
            client.close()
            return
        self._keep(upstream)
        pair = {client: upstream, upstream: client}
        while not self._closing.is_set():
            if self.stalled.is_set():
                self._closing.wait(0.2)
                continue
            try:
                readable, _, _ = select.select(list(pair), [], [], 0.2)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    pair[sock].sendall(data)
            except OSError:
                return

    def close(self) -> None:
        self._closing.set()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                try:
                    sock.close()
                except OSError:
                    pass
        self._thread.join(timeout=5)

    def __enter__(self) -> "BlackholeProxy":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()
