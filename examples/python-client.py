#!/usr/bin/env python3
"""Talks to a herald daemon over raw JSON-RPC 2.0, as any non-Node client would.

Usage: python3 python-client.py wss://herald.corp.example:7443 TOKEN [CA.pem]
The token rides in Sec-WebSocket-Protocol next to "herald.v1", which works with every
version of the websockets package (no custom headers needed). CA.pem is the private CA
that signed the daemon's certificate; without it the system's CAs are trusted.
"""
import asyncio
import json
import ssl
import sys

import websockets


async def main(url: str, token: str, ca_file: str | None) -> None:
    tls = ssl.create_default_context(cafile=ca_file) if url.startswith("wss://") else None
    async with websockets.connect(url, ssl=tls, subprotocols=["herald.v1", "bearer." + token]) as ws:
        calls = [
            {"jsonrpc": "2.0", "id": 1, "method": "identityStore.create",
             "params": {"name": "FromPython", "type": "Builtin", "description": "made over raw JSON-RPC"}},
            {"jsonrpc": "2.0", "id": 2, "method": "identityStore.get", "params": {"name": "FromPython"}},
            {"jsonrpc": "2.0", "id": 3, "method": "identityStore.get", "params": {"name": "Missing"}},
        ]
        for call in calls:
            await ws.send(json.dumps(call))
            reply = json.loads(await ws.recv())
            if "error" in reply:
                print(f"call {reply['id']}: error {reply['error']['code']}: {reply['error']['message']}")
            else:
                print(f"call {reply['id']}: {json.dumps(reply['result'], sort_keys=True)}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None))
