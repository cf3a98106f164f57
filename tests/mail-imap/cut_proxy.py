#!/usr/bin/env python3
"""A TCP proxy for tests that drops the connection in the middle of the
first UID FETCH of bodies: after the client sends "BODY.PEEK[]", only CUT bytes
of the server's reply are passed on, then both sides are closed. Later
connections pass through untouched. Prints its port, then serves until
killed.  Usage: cut_proxy.py TARGET_PORT [CUT]"""
import socket
import sys
import threading

target = int(sys.argv[1])
cut = int(sys.argv[2]) if len(sys.argv) > 2 else 200
state = {"cut_done": False}
lock = threading.Lock()


def serve(client):
    server = socket.create_connection(("127.0.0.1", target))
    fetching = threading.Event()
    closed = threading.Event()

    def close_both():
        closed.set()
        for s in (client, server):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def upstream():
        try:
            while not closed.is_set():
                data = client.recv(65536)
                if not data:
                    break
                with lock:
                    if b"BODY.PEEK[]" in data and not state["cut_done"]:
                        state["cut_done"] = True
                        fetching.set()
                server.sendall(data)
        except OSError:
            pass

    threading.Thread(target=upstream, daemon=True).start()
    passed = 0
    try:
        while True:
            data = server.recv(65536)
            if not data:
                break
            if fetching.is_set():
                room = cut - passed
                client.sendall(data[:room])
                passed += min(room, len(data))
                if passed >= cut:
                    break
            else:
                client.sendall(data)
    except OSError:
        pass
    close_both()


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(8)
print(listener.getsockname()[1], flush=True)
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
