#!/usr/bin/env python3
"""Print one frame of a capture file as a hex block for a test array.

usage: frame-hex.py FILE FRAME_NUMBER [OFFSET [LENGTH]]

Frames are numbered from 1 as tshark numbers them. OFFSET skips link (or
other) headers so the block starts at the layer under test. Reads pcap and
pcapng (via tshark, which every developer machine here has).
"""
import subprocess
import sys


def frame_bytes(path, number):
    """The frame's captured bytes: the first hex block tshark -x prints for
    it (later blocks are reassembled or decrypted data), cut at cap_len."""
    cap_len = int(subprocess.run(
        ["tshark", "-r", path, "-Y", f"frame.number=={number}", "-T", "fields", "-e", "frame.cap_len"],
        check=True, capture_output=True, text=True).stdout.split()[0])
    out = subprocess.run(["tshark", "-r", path, "-Y", f"frame.number=={number}", "-x"],
                         check=True, capture_output=True, text=True).stdout
    data = bytearray()
    for line in out.splitlines():
        if not line.strip():
            if data:
                break
            continue
        offset, _, rest = line.partition("  ")
        if len(offset) >= 4 and all(c in "0123456789abcdef" for c in offset):
            data += bytes.fromhex(rest[:48].strip())
        if len(data) >= cap_len:
            break
    return bytes(data[:cap_len])


def main():
    path, number = sys.argv[1], int(sys.argv[2])
    offset = int(sys.argv[3], 0) if len(sys.argv) > 3 else 0
    data = frame_bytes(path, number)[offset:]
    if len(sys.argv) > 4:
        data = data[: int(sys.argv[4], 0)]
    for i in range(0, len(data), 16):
        print("    " + " ".join(f"{b:02x}" for b in data[i:i + 16]))
    print(f"// {len(data)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
