// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Live capture and injection: channels, settings, filters, interfaces,
/// errors; capture-file replay and in-memory channels behind the same API.
#pragma once

#include <rawpkt/datalink/channel.hpp>
#include <rawpkt/datalink/config.hpp>
#include <rawpkt/datalink/errors.hpp>
#include <rawpkt/datalink/filter.hpp>
#include <rawpkt/datalink/interfaces.hpp>
#include <rawpkt/datalink/memory.hpp>
#include <rawpkt/datalink/replay.hpp>
#include <rawpkt/datalink/xdp.hpp>
