#!/usr/bin/python3
"""A participant built on aiortc (Debian's python3-aiortc), driven by the
SFU interop test over stdin/stdout, one JSON object per line.

  aiortc_peer.py publish    prints {"offer": sdp}; reads {"answer": sdp};
                            sends a synthetic tone and moving video
  aiortc_peer.py subscribe  reads {"offer": sdp}; prints {"answer": sdp};
                            prints {"decoded": {"audio": n, "video": n}}
                            when at least 25 frames of each kind decoded

Also prints {"state": ...} on connection state changes. Exits when stdin
closes.
"""
import asyncio
import fractions
import json
import math
import sys

import numpy
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack
from av import AudioFrame, VideoFrame


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Tone(AudioStreamTrack):
    """440 Hz at 48 kHz, 20 ms frames (what an Opus encoder expects)."""

    def __init__(self):
        super().__init__()
        self.n = 0

    async def recv(self):
        await asyncio.sleep(0.02)
        samples = 960
        t = (numpy.arange(samples) + self.n) / 48000.0
        pcm = (numpy.sin(2 * math.pi * 440 * t) * 8000).astype(numpy.int16)
        frame = AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = 48000
        frame.pts = self.n
        frame.time_base = fractions.Fraction(1, 48000)
        self.n += samples
        return frame


class Moving(VideoStreamTrack):
    """320x240 frames with a moving bar."""

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        img = numpy.zeros((240, 320, 3), numpy.uint8)
        x = (pts // 3000) % 320
        img[:, max(0, x - 10):x + 10, :] = 255
        frame = VideoFrame.from_ndarray(img, format="bgr24")
        frame.pts = pts
        frame.time_base = time_base
        return frame


async def read_line():
    loop = asyncio.get_running_loop()
    line = await loop.run_in_executor(None, sys.stdin.readline)
    return json.loads(line) if line.strip() else None


async def main(role):
    pc = RTCPeerConnection()

    @pc.on("connectionstatechange")
    async def on_state():
        emit({"state": pc.connectionState})

    decoded = {"audio": 0, "video": 0}
    reported = False

    async def consume(track):
        nonlocal reported
        while True:
            try:
                await track.recv()
            except Exception as e:
                emit({"ended": track.kind, "error": repr(e)})
                return
            decoded[track.kind] += 1
            if not reported and decoded["audio"] >= 25 and decoded["video"] >= 25:
                reported = True
                emit({"decoded": dict(decoded)})

    @pc.on("track")
    def on_track(track):
        emit({"track": track.kind})
        asyncio.ensure_future(consume(track))

    async def progress():
        while True:
            await asyncio.sleep(2)
            emit({"progress": dict(decoded)})

    if role == "subscribe":
        asyncio.ensure_future(progress())

    if role == "publish":
        pc.addTrack(Tone())
        pc.addTrack(Moving())
        await pc.setLocalDescription(await pc.createOffer())
        emit({"offer": pc.localDescription.sdp})
        msg = await read_line()
        await pc.setRemoteDescription(RTCSessionDescription(sdp=msg["answer"], type="answer"))
    else:
        msg = await read_line()
        await pc.setRemoteDescription(RTCSessionDescription(sdp=msg["offer"], type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        emit({"answer": pc.localDescription.sdp})

    while await read_line() is not None:
        pass
    await pc.close()


if __name__ == "__main__":
    import logging
    import os
    if os.environ.get("AIORTC_PEER_DEBUG"):
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
    asyncio.run(main(sys.argv[1]))
