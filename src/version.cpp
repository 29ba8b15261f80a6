// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/version.hpp>

namespace rawpkt {
const char* version() noexcept { return RAWPKT_VERSION_STRING; }
} // namespace rawpkt
