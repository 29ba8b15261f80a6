// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Live capture and injection: channels, settings, filters, interfaces,
/// errors.
#pragma once

#include <rawpkt/datalink/channel.hpp>
#include <rawpkt/datalink/config.hpp>
#include <rawpkt/datalink/errors.hpp>
#include <rawpkt/datalink/filter.hpp>
#include <rawpkt/datalink/interfaces.hpp>
