#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes dns_special_strings.pcap: DNS responses over UDP whose names and
TXT strings hold the bytes that text output has to treat with care (quotes,
backslash, comma, tab, newline, non-ASCII and non-printable bytes, empty
strings, dots inside a label, several character-strings in one TXT).

Usage: make_dns_special_strings.py OUT.pcap
"""
import struct
import sys


def name(*labels):
    """A name in wire form, uncompressed (RFC 1035 3.1)."""
    out = b""
    for label in labels:
        out += bytes([len(label)]) + label
    return out + b"\x00"


def rr(owner, rtype, rdata, ttl=60):
    return owner + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


def txt(*strings):
    return b"".join(bytes([len(s)]) + s for s in strings)


def message(ident, qname, qtype, answers, authority=()):
    head = struct.pack("!HHHHHH", ident, 0x8180, 1, len(answers), len(authority), 0)
    body = qname + struct.pack("!HH", qtype, 1)
    return head + body + b"".join(answers) + b"".join(authority)


def checksum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(payload, sport=53, dport=40000):
    src, dst = bytes([192, 0, 2, 53]), bytes([192, 0, 2, 1])
    udp_len = 8 + len(payload)
    pseudo = src + dst + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", sport, dport, udp_len, 0) + payload
    c = checksum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 1, 0, 64, 17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    eth = bytes.fromhex("020000000001" "020000000035" "0800")
    return eth + ip + udp


# Labels with every kind of byte that matters for text output.
ODD = [b'say"hi"', b"back\\slash", b"com,ma", b"tab\there", b"new\nline", b"sp ace",
       b"dot.in.label", b"caf\xc3\xa9", b"bad\xff\xfeutf8", b"ctl\x01\x1f\x7f", b"semi;colon",
       b"nul\x00byte", b"cut\xe2\x82x", b"overlong\xc0\xaf", b"surrogate\xed\xa0\x80", b"c1\xc2\x80\xc2\x9f",
       b"nbsp\xc2\xa0zwsp\xe2\x80\x8b", b"emoji\xf0\x9f\x98\x80", b"big\xf4\x90\x80\x80", b"esc\x1b\x07\x08\x0b\x0c\x0d"]

messages = []
# 1: TXT with several character-strings, one empty, with special bytes.
q = name(b"txt", b"example")
messages.append(message(1, q, 16, [rr(q, 16, txt(b'a "quoted" word', b"", b"back\\slash, comma", b"tab\tnew\nline",
                                             b"caf\xc3\xa9 \xe2\x82\xac", b"raw\x00\x01\x7f\x80\xff", b"'single'",
                                             b"\x01\x1b\x7f", b"\x00lead", b"cut\xe2\x82", b"\r\x0b\x0c\x07\x08"))]))
# 2: an empty TXT string on its own, then a TXT with one space.
messages.append(message(2, q, 16, [rr(q, 16, txt(b"")), rr(q, 16, txt(b" "))]))
# 3..: each odd label in a question name and in every name-valued record.
for i, label in enumerate(ODD):
    n = name(label, b"example")
    answers = [
        rr(n, 5, name(b"cname", label, b"org")),
        rr(n, 2, name(label, b"ns")),
        rr(n, 12, name(b"ptr", label)),
        rr(n, 15, struct.pack("!H", 10) + name(label, b"mx")),
        rr(n, 33, struct.pack("!HHH", 1, 2, 5060) + name(label, b"srv")),
    ]
    authority = [rr(name(b"example"), 6, name(label, b"mname") + name(b"host", label) + struct.pack("!IIIII", 1, 2, 3, 4, 5))]
    messages.append(message(3 + i, n, 255, answers, authority))
# The root as a question name and as targets.
messages.append(message(50, name(), 2, [rr(name(), 2, name()), rr(name(), 33, struct.pack("!HHH", 0, 0, 0) + name())]))
# A label of 63 bytes holding every printable ASCII punctuation byte.
punct = bytes(b for b in range(0x21, 0x7f) if not chr(b).isalnum())[:63]
messages.append(message(51, name(punct, b"example"), 1, [rr(name(punct, b"example"), 1, bytes([192, 0, 2, 9]))]))

out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
for i, m in enumerate(messages):
    f = frame(m)
    out += struct.pack("<IIII", 1700000000 + i, 0, len(f), len(f)) + f
with open(sys.argv[1], "wb") as fh:
    fh.write(out)
