// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Umbrella header: everything rawpkt offers.
#pragma once

#include <rawpkt/build.hpp>
#include <rawpkt/bytes.hpp>
#include <rawpkt/checksum.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/arp.hpp>
#include <rawpkt/packet/ethernet.hpp>
#include <rawpkt/packet/geneve.hpp>
#include <rawpkt/packet/gre.hpp>
#include <rawpkt/packet/gtpu.hpp>
#include <rawpkt/packet/icmpv4.hpp>
#include <rawpkt/packet/icmpv6.hpp>
#include <rawpkt/packet/ipv4.hpp>
#include <rawpkt/packet/ipv6.hpp>
#include <rawpkt/packet/ipv6_ext.hpp>
#include <rawpkt/packet/llc.hpp>
#include <rawpkt/packet/mpls.hpp>
#include <rawpkt/packet/null_loopback.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/ppp.hpp>
#include <rawpkt/packet/pppoe.hpp>
#include <rawpkt/packet/sll.hpp>
#include <rawpkt/packet/sll2.hpp>
#include <rawpkt/packet/tcp.hpp>
#include <rawpkt/packet/teredo.hpp>
#include <rawpkt/packet/udp.hpp>
#include <rawpkt/packet/vlan.hpp>
#include <rawpkt/packet/vxlan.hpp>
#include <rawpkt/version.hpp>
