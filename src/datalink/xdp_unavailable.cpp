// SPDX-License-Identifier: BSD-3-Clause
// backend::xdp in a build without libxdp and libbpf: every entry point says
// so (src/datalink/xdp/ holds the real one).
#include <rawpkt/datalink/xdp.hpp>

#if !RAWPKT_HAVE_XDP

namespace rawpkt::datalink {

namespace {
error not_built() noexcept {
    return make_error(errc::unsupported, step::config_backend, 0, 0, static_cast<std::uint8_t>(backend::xdp));
}
} // namespace

bool has_xdp_backend() noexcept { return false; }
result<xdp_info> xdp_state(const receiver&) { return not_built(); }
result<xdp_info> xdp_state(const sender&) { return not_built(); }
result<std::uint32_t> attached_xdp_program(std::uint32_t) { return not_built(); }
result<bool> xdp_filter_accepts(const filter&, bytes, std::string*) { return not_built(); }

} // namespace rawpkt::datalink

#endif
