"""This machine's addresses on the local network, found without sending any traffic.

On Linux the interfaces are listed (``if_nameindex``) and each one's IPv4 address
and flags are read with ``ioctl`` calls on an unconnected socket: nothing leaves the
machine. Elsewhere the host's own name is resolved (Windows and macOS answer that
from the interfaces). Loopback, link-local and down interfaces are left out; private
addresses of real interfaces (Wi-Fi, Ethernet) come before those of virtual ones
(containers, VPNs), so :func:`pick_address` usually is the Wi-Fi address.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import struct
import sys
from dataclasses import dataclass

from game.l10n import _

SIOCGIFFLAGS = 0x8913
SIOCGIFADDR = 0x8915
IFF_UP = 0x1
IFF_LOOPBACK = 0x8
VIRTUAL = ("docker", "br-", "veth", "virbr", "vmnet", "vbox", "lxc", "lxd", "tun", "tap", "wg", "zt", "tailscale",
           "utun", "cni", "flannel", "podman")


@dataclass(frozen=True, slots=True)
class Candidate:
    address: str
    interface: str   # "" when unknown

    @property
    def virtual(self) -> bool:
        return self.interface.lower().startswith(VIRTUAL)


def _linux_interfaces() -> list[Candidate]:
    import fcntl

    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode()[:15])
            try:
                flags = struct.unpack("H", fcntl.ioctl(s.fileno(), SIOCGIFFLAGS, request)[16:18])[0]
                if not flags & IFF_UP or flags & IFF_LOOPBACK:
                    continue
                address = socket.inet_ntoa(fcntl.ioctl(s.fileno(), SIOCGIFADDR, request)[20:24])
            except OSError:  # no IPv4 address on this interface
                continue
            found.append(Candidate(address, name))
    return found


def _resolved_host() -> list[Candidate]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET, socket.SOCK_STREAM)
    except OSError:
        return []
    return [Candidate(str(info[4][0]), "") for info in infos]


def candidates() -> list[Candidate]:
    """Usable IPv4 addresses of this machine, the likeliest classroom address first."""
    raw = _linux_interfaces() if sys.platform.startswith("linux") else _resolved_host()
    seen, usable = set(), []
    for c in raw:
        try:
            ip = ipaddress.IPv4Address(c.address)
        except ValueError:
            continue
        if ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast or c.address in seen:
            continue
        seen.add(c.address)
        usable.append(c)

    def rank(c: Candidate) -> tuple[int, int, int]:
        ip = ipaddress.IPv4Address(c.address)
        home = 0 if c.address.startswith("192.168.") else 1 if c.address.startswith("10.") else 2
        return (c.virtual, not ip.is_private, home)

    return sorted(usable, key=rank)


def pick_address() -> str:
    """The address to serve the class on; 127.0.0.1 (this machine only) when no network is up."""
    found = candidates()
    return found[0].address if found else "127.0.0.1"


_HOST_NAME = re.compile(r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                        r"[A-Za-z0-9])?)*\.?")


def _resolve_name(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    if not _HOST_NAME.fullmatch(text) or text.replace(".", "").isdigit():
        raise ValueError(_("{text} is neither an IP address (like 192.168.1.20) nor a host name").format(
            text=repr(text[:60])))
    try:
        infos = socket.getaddrinfo(text, None, socket.AF_UNSPEC, socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise ValueError(_("{text} is not a name this machine knows; give one of its IP addresses "
                           "(or leave --bind out)").format(text=repr(text))) from None
    found = sorted({str(info[4][0]).split("%")[0] for info in infos}, key=lambda a: (":" in a, a))
    if not found:
        raise ValueError(_("{text} has no IP address").format(text=repr(text)))
    return ipaddress.ip_address(found[0])


def resolve_bind(text: str) -> str:
    """The one address to listen on for ``--bind``: ``auto``, an IP address, or a name of this machine.

    A name (``localhost``, the machine's own name) is resolved once, here, to an IP
    address (IPv4 preferred); the server never binds to a name. Raises ValueError with a
    sentence for a person: not an address, a name that does not resolve, or an address
    that is not one (0.0.0.0 would listen on every network, a multicast address on none).
    Whether the address belongs to this machine is known only when binding (``start``).
    """
    text = text.strip()
    if text == "auto":
        return text
    try:
        ip = ipaddress.ip_address(text[1:-1] if text.startswith("[") and text.endswith("]") else text)
    except ValueError:
        ip = _resolve_name(text)
    if ip.is_unspecified:
        raise ValueError(_("{ip} means every network at once: give one address (this machine's LAN address, or "
                           "127.0.0.1 for this machine only), or leave --bind out").format(ip=ip))
    if ip.is_multicast:
        raise ValueError(_("{ip} is a multicast address, not an address of this machine").format(ip=ip))
    return str(ip)
