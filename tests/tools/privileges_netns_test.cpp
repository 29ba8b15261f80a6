// SPDX-License-Identifier: BSD-3-Clause
// Least privilege, end to end, over a veth pair in network namespaces this
// test creates and removes: rawpkt-dump captures and rawpkt-gen sends with
// only CAP_NET_RAW and CAP_NET_ADMIN (setpriv drops every other capability
// and the root user), and with -Z they give up root after opening their
// sockets, as tcpdump does: the running process has the user's ids and no
// capability, and the capture file it writes belongs to the user. Needs
// root (to make the namespaces and to hand out capabilities); skips itself
// without.
#include "integration/netns.hpp"
#include "run.hpp"

#include <rawpkt/pcap/reader.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/stat.h>

namespace {

using namespace rawpkt;
using namespace rawpkt::tooltest;

/// The unprivileged user the tools become (Debian's "nobody", 65534).
constexpr const char* user = "nobody";
constexpr unsigned user_id = 65534;

/// setpriv: the user nobody with exactly `caps` (e.g. "+net_raw") in every
/// set, ambient included, so that they survive the exec of the tool.
std::string as_nobody_with(const std::string& caps) {
    return "setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all" + caps + " --ambient-caps=-all" +
           caps + " --bounding-set=-all" + caps + " ";
}

class Privileges : public ::testing::Test {
protected:
    void SetUp() override {
        if (::geteuid() != 0) GTEST_SKIP() << "needs root for network namespaces and capabilities";
        if (run("command -v setpriv").status != 0) GTEST_SKIP() << "no setpriv (util-linux)";
        net_.emplace();
        // A directory the unprivileged user may write into, and reach: the
        // build tree may sit under a directory only root can enter (a
        // mktemp -d checkout), so it is made in the system's temporary
        // directory rather than there.
        std::string pattern = (std::filesystem::temp_directory_path() / "rawpkt-priv-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        std::filesystem::permissions(dir_, std::filesystem::perms::all);
    }

    void TearDown() override {
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

    /// Runs `dump_prefix rawpkt-dump -i vb -c 3 ... -w FILE` in namespace b
    /// while `gen_prefix rawpkt-gen` sends 3 frames from namespace a; the
    /// shell's output: gen=, dump= exit statuses and, when `status_of_dump`,
    /// the dump's /proc status lines (Uid, Gid, Cap*) while it runs.
    run_result capture(const std::string& dump_prefix, const std::string& dump_args, const std::string& gen_prefix,
                       const std::string& gen_args, const std::filesystem::path& file) {
        const std::string cmd =
            "ip netns exec " + net_->b() + " " + dump_prefix + tool("rawpkt-dump") + " -i vb -q -c 3 " + dump_args +
            " -w " + quote(file.string()) + " 'ether src 02:00:00:00:00:01' & p=$!; " +
            test::wait_for_capture_command(net_->b()) + "; sleep 0.5; " +
            "grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapAmb):' /proc/$p/status; " + "ip netns exec " +
            net_->a() + " " + gen_prefix + tool("rawpkt-gen") + " -i va -q --count 3 --src-mac 02:00:00:00:00:01 " +
            gen_args + "; echo gen=$?; (sleep 20; kill $p 2>/dev/null) & k=$!; wait $p; echo dump=$?; kill $k";
        return run(cmd);
    }

    std::optional<rawpkt::test::netns_pair> net_;
    std::filesystem::path dir_;
};

std::size_t frames_in(const std::filesystem::path& file) {
    auto r = pcap::reader::open(file.string());
    if (!r) return 0;
    std::size_t n = 0;
    for (const frame& f : *r) n += f.data.empty() ? 0 : 1;
    return n;
}

TEST_F(Privileges, ToolsRunWithOnlyNetRawAndNetAdmin) {
    const auto file = dir_ / "caps.pcap";
    const std::string caps = ",+net_raw,+net_admin";
    const auto r = capture(as_nobody_with(caps), "", as_nobody_with(",+net_raw"), "", file);
    EXPECT_NE(r.out.find("gen=0"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.out.find("dump=0"), std::string::npos) << r.out << r.err;
    // The dump ran as nobody with exactly the two capabilities (bits 12
    // and 13: 0x3000).
    EXPECT_NE(r.out.find("Uid:\t65534\t65534\t65534\t65534"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("CapEff:\t0000000000003000"), std::string::npos) << r.out;
    EXPECT_EQ(frames_in(file), 3u);
}

TEST_F(Privileges, WithoutCapabilitiesTheErrorNamesCapNetRaw) {
    const auto r = run("ip netns exec " + net_->b() + " " + as_nobody_with("") + tool("rawpkt-dump") + " -i vb -c 1");
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("CAP_NET_RAW"), std::string::npos) << r.err;
}

TEST_F(Privileges, DashZGivesUpRootAfterOpeningTheSockets) {
    const auto file = dir_ / "z.pcap";
    const auto r = capture("", std::string("-Z ") + user, "", std::string("-Z ") + user, file);
    EXPECT_NE(r.out.find("gen=0"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.out.find("dump=0"), std::string::npos) << r.out << r.err;
    // Real, effective, saved and file-system ids are nobody's, no
    // supplementary group is left, and no capability.
    EXPECT_NE(r.out.find("Uid:\t65534\t65534\t65534\t65534"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Gid:\t65534\t65534\t65534\t65534"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("CapPrm:\t0000000000000000"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("CapEff:\t0000000000000000"), std::string::npos) << r.out;
    // The capture file was opened after the drop: nobody owns it.
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, user_id);
    EXPECT_EQ(frames_in(file), 3u);
}

TEST_F(Privileges, DashZWithAnUnknownUserIsAUsageError) {
    const auto dump =
        run("ip netns exec " + net_->b() + " " + tool("rawpkt-dump") + " -i vb -c 1 -Z no-such-user-rawpkt");
    EXPECT_EQ(dump.status, 1);
    EXPECT_NE(dump.err.find("-Z no-such-user-rawpkt: no such user"), std::string::npos) << dump.err;
    const auto gen =
        run("ip netns exec " + net_->a() + " " + tool("rawpkt-gen") + " -i va -q --count 1 -Z no-such-user-rawpkt");
    EXPECT_EQ(gen.status, 1);
    EXPECT_NE(gen.err.find("-Z no-such-user-rawpkt: no such user"), std::string::npos) << gen.err;
}

TEST_F(Privileges, DashZWithoutTheRightToChangeUserFails) {
    // nobody with only CAP_NET_RAW cannot become another user: -Z says so
    // instead of going on with the privileges it was asked to give up.
    const auto r = run("ip netns exec " + net_->b() + " " + as_nobody_with(",+net_raw,+net_admin") +
                       tool("rawpkt-dump") + " -i vb -c 1 -Z root");
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find("-Z root: cannot"), std::string::npos) << r.err;
}

} // namespace
