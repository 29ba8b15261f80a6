// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Umbrella header: everything rawpkt offers.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/checksum.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/ipv4.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/version.hpp>
