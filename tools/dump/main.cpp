// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-dump: tcpdump's job with tshark's field output. Reads a capture
// file or an interface, filters with a tcpdump expression, prints one line
// per packet (or fields, or JSON), writes capture files with rotation. All
// the work is the library's; this file wires it to a command line.
#include "common/tool.hpp"
#include "dump/flows.hpp"

#include <rawpkt/datalink/datalink.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/fields.hpp>
#include <rawpkt/flow/dns_stream.hpp>
#include <rawpkt/flow/tcp_reassembly.hpp>
#include <rawpkt/frame_filter.hpp>
#include <rawpkt/json.hpp>
#include <rawpkt/pcap/reader.hpp>
#include <rawpkt/pcap/rotation.hpp>
#include <rawpkt/summary.hpp>
#include <rawpkt/traffic.hpp>
#include <rawpkt/version.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using namespace rawpkt;
namespace dl = rawpkt::datalink;

constexpr const char* description = R"(NAME
  rawpkt-dump - print, filter and save network packets

SYNOPSIS
  rawpkt-dump [-r FILE | -i IFACE] [options] [expression]

DESCRIPTION
  Reads packets from a capture file (pcap or pcapng; - is standard input) or
  captures them live on an interface, keeps those matching the tcpdump filter
  expression given as trailing arguments, and prints one line per packet as
  tcpdump -nn -S does, or the fields tshark -T fields prints, or one JSON
  object per packet. With -w it writes the packets to a capture file instead,
  rotating files by size (-C) or time (-G) as tcpdump does.

  Live filters run in the kernel; file filters are compiled by libpcap and
  run by its BPF interpreter, so an expression means what it means to
  tcpdump. Checksums are always verified (tshark's check_checksum on).)";

constexpr const char* footer = R"(FIELDS (-T fields -e NAME)
  frame.number frame.len frame.cap_len frame.time_epoch eth.src eth.dst
  eth.type vlan.id vlan.priority mpls.label ip.version ip.hdr_len ip.len
  ip.id ip.flags.df ip.flags.mf ip.frag_offset ip.ttl ip.proto ip.checksum
  ip.checksum.status ip.src ip.dst ipv6.plen ipv6.nxt ipv6.hlim ipv6.src
  ipv6.dst ipv6.flow tcp.srcport tcp.dstport tcp.seq_raw tcp.ack_raw
  tcp.hdr_len tcp.flags tcp.window_size_value tcp.len tcp.checksum
  tcp.checksum.status tcp.options.mss_val tcp.options.wscale.shift
  udp.srcport udp.dstport udp.length udp.checksum udp.checksum.status
  icmp.type icmp.code icmp.checksum.status icmpv6.type icmpv6.code
  arp.opcode arp.src.hw_mac arp.src.proto_ipv4 arp.dst.hw_mac
  arp.dst.proto_ipv4 gre.proto vxlan.vni dns.id dns.flags.response
  dns.qry.name dns.qry.type dns.count.answers dns.a dns.aaaa dns.cname dns.ns
  dns.ptr.domain_name dns.mx.preference dns.mx.mail_exchange dns.txt
  dns.soa.mname dns.soa.rname dns.soa.serial_number dns.soa.refresh_interval
  dns.soa.retry_interval dns.soa.expire_limit dns.soa.minimum_ttl
  dns.srv.priority dns.srv.weight dns.srv.port dns.srv.target
  dns.rr.udp_payload_size dns.resp.ext_rcode dns.resp.edns0_version
  dns.resp.z.do dns.opt.code dns.opt.len dns.opt.data dhcp.option.dhcp
  Values are printed as tshark 4.0 prints them; a field that occurs several
  times (VLAN stacks, tunnels, ICMP quotes) lists every occurrence, outermost
  first. Checksum status: 0 bad, 1 good, 2 unverified, 3 not present.

-E OPTIONS (as tshark's)
  header=y|n          print the field names first
  separator=/t|/s|C   between fields: tab (default), space or character C
  occurrence=f|l|a    first, last or all occurrences (default a)
  aggregator=,|/s|C   between occurrences (default ,)
  quote=d|s|n         double, single or no quotes around values

EXAMPLES
  rawpkt-dump -r data/sample.pcap
  rawpkt-dump -r trace.pcapng -c 10 tcp port 443
  rawpkt-dump -r trace.pcap -T fields -E header=y -e ip.src -e ip.dst -e tcp.flags tcp
  rawpkt-dump -r trace.pcap -T json udp | jq .layers[].protocol
  rawpkt-dump -r trace.pcap -q --stats
  rawpkt-dump -i eth0 -w capture.pcapng -C 100 -W 10 not port 22
  rawpkt-dump -i eth0 -w 'dump-%H%M%S.pcap' -G 60
  tcpdump -w - -U | rawpkt-dump -r - -v
  rawpkt-dump -r trace.pcap --follow tcp,0
  rawpkt-dump -r trace.pcap --flows json

EXIT STATUS
  0 success; 1 usage error (options, fields, filter expression); 2 input or
  output error (a file that cannot be read or is damaged, an interface that
  cannot be opened, a write that failed). On a damaged file every packet
  before the damage is printed or written, then the error. Ctrl-C (SIGINT)
  or SIGTERM stops a capture: files written are flushed and valid, and the
  statistics are printed.)";

enum class output_mode { text, fields, json };

struct options {
    std::string read_path;
    std::string interface;
    std::string user; ///< -Z
    dl::backend backend = dl::backend::ring;
    bool no_promiscuous = false;
    std::uint32_t snaplen = 262144;
    std::uint64_t count = 0;
    std::string write_path;
    std::string format;
    std::string rotate_size;
    std::uint32_t rotate_seconds = 0;
    std::uint32_t rotate_files = 0;
    bool print_while_writing = false;
    std::string output = "text";
    std::vector<std::string> fields;
    std::vector<std::string> field_options;
    int time_flags = 0;
    bool nano = false;
    bool link_header = false;
    bool verbose = false;
    bool hex = false;
    bool quiet = false;
    bool stats = false;
    std::size_t top = 10;
    std::size_t max_talkers = traffic_stats::default_max_talkers;
    bool list_fields = false;
    std::string follow;
    std::string flows;
    bool dns_tcp = false;
    std::size_t max_flows = dump::flow_limits{}.max_flows;
    std::string follow_max = "256m";
    std::vector<std::string> expression;
};

/// tshark's -E settings.
struct field_output {
    bool header = false;
    char separator = '\t';
    fields::occurrence occurrence = fields::occurrence::all;
    char aggregator = ',';
    char quote = 0;
};

/// Parses one -E option as tshark does (the first character of the value
/// decides); false when it is not one.
bool parse_field_option(const std::string& option, field_output& out) {
    const auto eq = option.find('=');
    if (eq == std::string::npos || eq + 1 >= option.size()) return false;
    const std::string name = option.substr(0, eq);
    const char* v = option.c_str() + eq + 1;
    const auto slash = [](const char* s, bool tab) {
        if (s[1] == 't' && tab) return '\t';
        if (s[1] == 's') return ' ';
        return '\\';
    };
    if (name == "header") {
        if (*v != 'y' && *v != 'n') return false;
        out.header = *v == 'y';
    } else if (name == "separator") {
        out.separator = *v == '/' ? slash(v, true) : *v;
    } else if (name == "aggregator") {
        out.aggregator = *v == '/' ? slash(v, false) : *v;
    } else if (name == "occurrence") {
        if (*v == 'f')
            out.occurrence = fields::occurrence::first;
        else if (*v == 'l')
            out.occurrence = fields::occurrence::last;
        else if (*v == 'a')
            out.occurrence = fields::occurrence::all;
        else
            return false;
    } else if (name == "quote") {
        if (*v == 'd')
            out.quote = '"';
        else if (*v == 's')
            out.quote = '\'';
        else if (*v == 'n')
            out.quote = 0;
        else
            return false;
    } else {
        return false;
    }
    return true;
}

time_format time_format_of(int flags) {
    switch (flags) {
    case 0: return time_format::time_of_day;
    case 1: return time_format::none;
    case 2: return time_format::epoch;
    case 3: return time_format::delta;
    case 4: return time_format::date_time;
    default: return time_format::since_first;
    }
}

/// Standard output through one buffer, written out in large pieces (and
/// after each batch of a live capture). A closed pipe ends the program
/// quietly, as it ends tcpdump.
class out_buffer {
public:
    std::string& text() { return buf_; }
    /// Writes out when the buffer is large, or always with `force`.
    bool drain(bool force = false) {
        if (broken_) return false;
        if (buf_.empty() || (!force && buf_.size() < (1u << 16))) return true;
        if (std::fwrite(buf_.data(), 1, buf_.size(), stdout) != buf_.size() || std::fflush(stdout) != 0) {
            broken_ = true;
        }
        buf_.clear();
        return !broken_;
    }
    [[nodiscard]] bool broken() const { return broken_; }

private:
    std::string buf_;
    bool broken_ = false;
};

/// DNS over TCP for -T fields with --dns-tcp: the frames' TCP segments
/// through the reassembler, each DNS direction through a dns_stream; the
/// messages a frame completes are kept until the next frame.
class dns_over_tcp {
public:
    void on_data(const flow::tcp_connection& c, unsigned dir, bytes data) {
        if (!is_dns(c)) return;
        streams_[{c.index, dir}].feed(data, [&](const result<bytes>& m) {
            if (m) kept_.emplace_back(m->begin(), m->end());
        });
    }
    void on_gap(const flow::tcp_connection& c, unsigned dir, std::uint64_t size) {
        if (!is_dns(c)) return;
        streams_[{c.index, dir}].gap(size, [](const result<bytes>&) {});
    }
    void on_close(const flow::tcp_connection& c, flow::tcp_close) {
        streams_.erase({c.index, 0});
        streams_.erase({c.index, 1});
    }

    /// The messages `d` completes (valid until the next call).
    const std::vector<bytes>& add(const decoded& d, std::int64_t timestamp_ns) {
        kept_.clear();
        tcp_.add(d, timestamp_ns);
        messages_.assign(kept_.begin(), kept_.end());
        return messages_;
    }

private:
    static bool is_dns(const flow::tcp_connection& c) {
        for (const std::uint16_t p : c.key.port)
            if (p == 53 || p == 5353 || p == 5355) return true;
        return false;
    }
    std::map<std::pair<std::uint64_t, unsigned>, flow::dns_stream> streams_;
    std::vector<std::vector<std::byte>> kept_;
    std::vector<bytes> messages_;
    // tshark times nothing out.
    flow::tcp_reassembler<dns_over_tcp> tcp_{*this, {.idle_timeout_ns = INT64_MAX}};
};

class dumper {
public:
    explicit dumper(const options& o) : o_(o), stats_(o.max_talkers) {}
    dumper(const dumper&) = delete;
    dumper& operator=(const dumper&) = delete;

    int run() {
        if (int rc = prepare(); rc >= 0) return rc;
        const int rc = o_.read_path.empty() ? capture() : read_file();
        return finish(rc);
    }

private:
    /// Checks the options that CLI11 cannot; -1 to go on.
    int prepare() {
        mode_ = o_.output == "fields" ? output_mode::fields
                : o_.output == "json" ? output_mode::json
                                      : output_mode::text;
        for (const auto& name : o_.fields) {
            const auto id = fields::lookup(name);
            if (!id) {
                fmt::print(stderr, "rawpkt-dump: unknown field '{}' (rawpkt-dump --list-fields lists them)\n", name);
                return tool::exit_usage;
            }
            ids_.push_back(*id);
        }
        if (mode_ == output_mode::fields && ids_.empty()) {
            fmt::print(stderr, "rawpkt-dump: -T fields needs at least one -e FIELD\n");
            return tool::exit_usage;
        }
        if (o_.dns_tcp) {
            if (mode_ != output_mode::fields) {
                fmt::print(stderr, "rawpkt-dump: --dns-tcp is for -T fields\n");
                return tool::exit_usage;
            }
            dns_tcp_ = std::make_unique<dns_over_tcp>();
        }
        if (mode_ != output_mode::fields && !ids_.empty()) {
            fmt::print(stderr, "rawpkt-dump: -e needs -T fields\n");
            return tool::exit_usage;
        }
        for (const auto& e : o_.field_options) {
            if (!parse_field_option(e, fout_)) {
                fmt::print(stderr,
                           "rawpkt-dump: \"{}\" is not a valid field output option=value pair "
                           "(header=y|n, separator=/t|/s|C, occurrence=f|l|a, aggregator=,|/s|C, quote=d|s|n)\n",
                           e);
                return tool::exit_usage;
            }
        }
        if (!o_.rotate_size.empty()) {
            const auto s = tool::parse_size(o_.rotate_size, 1'000'000);
            if (!s || *s == 0) {
                fmt::print(stderr, "rawpkt-dump: bad -C size '{}' (millions of bytes, or a k/m/g suffix)\n",
                           o_.rotate_size);
                return tool::exit_usage;
            }
            rotate_bytes_ = *s;
        }
        if ((rotate_bytes_ > 0 || o_.rotate_seconds > 0 || o_.rotate_files > 0) && o_.write_path.empty()) {
            fmt::print(stderr, "rawpkt-dump: -C, -G and -W need -w FILE\n");
            return tool::exit_usage;
        }
        if (o_.write_path == "-" && (rotate_bytes_ > 0 || o_.rotate_seconds > 0)) {
            fmt::print(stderr, "rawpkt-dump: cannot rotate standard output\n");
            return tool::exit_usage;
        }
        if (o_.write_path == "-" && o_.print_while_writing) {
            fmt::print(stderr, "rawpkt-dump: --print with -w - would mix packets and text on standard output\n");
            return tool::exit_usage;
        }
        for (const auto& w : o_.expression) {
            if (!expression_.empty()) expression_ += ' ';
            expression_ += w;
        }
        // What goes to standard output per packet.
        print_packets_ = !o_.quiet && (o_.write_path.empty() || o_.print_while_writing);
        summary_opts_.link_header = o_.link_header;
        time_format_ = time_format_of(o_.time_flags);
        return -1;
    }

    [[nodiscard]] pcap::file_format write_format() const {
        if (o_.format == "pcap") return pcap::file_format::pcap;
        if (o_.format == "pcapng") return pcap::file_format::pcapng;
        const std::string& p = o_.write_path;
        const auto ends = [&](const char* suffix) {
            const std::size_t n = std::strlen(suffix);
            return p.size() >= n && p.compare(p.size() - n, n, suffix) == 0;
        };
        return ends(".pcapng") || ends(".ntar") ? pcap::file_format::pcapng : pcap::file_format::pcap;
    }

    /// Opens the output file (or the rotation of them); -1 to go on.
    /// -Z: after the input is open, before any output file is.
    int drop_privileges() {
        if (const std::string why = tool::drop_privileges(o_.user); !why.empty()) {
            fmt::print(stderr, "rawpkt-dump: {}\n", why);
            return tool::exit_usage;
        }
        return -1;
    }

    int open_output(link_type link, pcap::time_precision precision, pcap::reader* source) {
        if (o_.write_path.empty()) return -1;
        pcap::rotation_options ro;
        ro.max_bytes = rotate_bytes_;
        ro.interval_s = o_.rotate_seconds;
        ro.max_files = o_.rotate_files;
        ro.writer.format = write_format();
        ro.writer.link = link;
        ro.writer.precision = o_.nano ? pcap::time_precision::nano : precision;
        ro.writer.snaplen = o_.snaplen;
        ro.writer.user_application = std::string("rawpkt-dump ") + RAWPKT_VERSION_STRING;
        source_ = source;
        ro.on_open = [this](pcap::writer&) -> status {
            described_ = 0;
            return describe_interfaces(std::nullopt);
        };
        auto w = pcap::rotating_writer::open(o_.write_path, ro);
        if (!w) {
            fmt::print(stderr, "rawpkt-dump: {}: {}\n", o_.write_path, to_string(w.error()));
            return tool::exit_usage;
        }
        writer_.emplace(std::move(*w));
        return -1;
    }

    /// pcapng output: describes the reader's interfaces in its order, so
    /// interface ids, names and snap lengths carry over.
    status describe_interfaces(std::optional<std::uint32_t> up_to) {
        if (source_ == nullptr || !writer_ || writer_->current() == nullptr) return {};
        pcap::writer& w = *writer_->current();
        if (w.format() != pcap::file_format::pcapng) return {};
        const auto list = source_->interfaces();
        while ((!up_to || described_ <= *up_to) && described_ < list.size()) {
            const auto r = w.add_interface(list[described_]);
            if (!r) return r.error();
            ++described_;
        }
        return {};
    }

    /// Handles one frame that passed the filter; false to stop.
    bool handle(const frame& f, std::uint64_t number) {
        // Only printing and --stats look into the frame: -w alone copies
        // it to the file untouched, at the cost of tcpdump -w.
        if (print_packets_ || o_.stats) (void)decode(f.data, f.link, decoded_, {.mode = decode_mode::lax});
        if (o_.stats) stats_.add(f, decoded_);
        if (writer_) {
            // Files rotate inside write(); each new pcapng file gets the
            // reader's interfaces (on_open), and those that appear later
            // are described before their first frame.
            status s = describe_interfaces(f.interface);
            if (s) s = writer_->write(f);
            if (!s) {
                if (s.error().code == errc::too_many) return false; // -G with -W: done
                fmt::print(stderr, "rawpkt-dump: {}: {}\n", writer_->current_path(), to_string(s.error()));
                output_failed_ = true;
                return false;
            }
        }
        if (print_packets_) print(f, number);
        ++matched_;
        if (!out_.drain()) return false;
        return o_.count == 0 || matched_ < o_.count;
    }

    /// A frame the filter left out still goes through the DNS-over-TCP
    /// reassembly: tshark reassembles over every frame and filters what it
    /// prints, so a message completed by a printed frame may have earlier
    /// segments in frames that are not printed.
    void reassemble_only(const frame& f) {
        if (!dns_tcp_) return;
        (void)decode(f.data, f.link, decoded_, {.mode = decode_mode::lax});
        (void)dns_tcp_->add(decoded_, f.timestamp_ns);
    }

    void print(const frame& f, std::uint64_t number) {
        std::string& t = out_.text();
        switch (mode_) {
        case output_mode::text: {
            if (time_format_ != time_format::none) {
                const std::int64_t ref = time_format_ == time_format::delta
                                             ? (previous_ns_ ? *previous_ns_ : f.timestamp_ns)
                                             : (first_ns_ ? *first_ns_ : f.timestamp_ns);
                append_time(t, f.timestamp_ns, time_format_, o_.nano, ref);
                t += ' ';
            }
            if (!first_ns_) first_ns_ = f.timestamp_ns;
            previous_ns_ = f.timestamp_ns;
            append_summary(t, f, decoded_, summary_opts_);
            t += '\n';
            if (o_.verbose) append_layers(t, f, number, decoded_);
            if (o_.hex) append_hex(t, f.data);
            break;
        }
        case output_mode::fields: {
            const std::vector<bytes>* messages = dns_tcp_ ? &dns_tcp_->add(decoded_, f.timestamp_ns) : nullptr;
            const fields::context ctx{f, number, decoded_, messages};
            for (std::size_t i = 0; i < ids_.size(); ++i) {
                if (i > 0) t += fout_.separator;
                const std::size_t at = t.size();
                fields::append(t, ids_[i], ctx, fout_.occurrence, fout_.aggregator);
                if (fout_.quote != 0 && t.size() > at) {
                    t.insert(at, 1, fout_.quote);
                    t += fout_.quote;
                }
            }
            t += '\n';
            break;
        }
        case output_mode::json:
            append_json(t, f, number, decoded_);
            t += '\n';
            break;
        }
    }

    void print_header() {
        if (mode_ != output_mode::fields || !fout_.header || !print_packets_) return;
        std::string& t = out_.text();
        for (std::size_t i = 0; i < ids_.size(); ++i) {
            if (i > 0) t += fout_.separator;
            t += fields::name(ids_[i]);
        }
        t += '\n';
    }

    int read_file() {
        // The descriptor is ours, so that Ctrl-C can end a read blocked on
        // a pipe (tool::stop_reading_on_signal).
        if (o_.read_path == "-") {
            input_fd_ = STDIN_FILENO;
        } else {
            input_fd_ = ::open(o_.read_path.c_str(), O_RDONLY | O_CLOEXEC);
            if (input_fd_ < 0) {
                const error e = error::invalid(layer::pcap,
                                               errno == ENOENT   ? errc::not_found
                                               : errno == EACCES ? errc::permission
                                                                 : errc::io,
                                               length_source::none, 0);
                error with_errno = e;
                with_errno.sys_errno = errno;
                fmt::print(stderr, "rawpkt-dump: {}: {}\n", o_.read_path, describe_open_error(with_errno));
                return tool::exit_input;
            }
        }
        tool::stop_reading_on_signal(input_fd_);
        auto r = pcap::reader::from_fd(input_fd_);
        if (!r) {
            fmt::print(stderr, "rawpkt-dump: {}: {}\n", o_.read_path, describe_open_error(r.error()));
            return tool::exit_input;
        }
        frame_filter filter{expression_, o_.snaplen};
        std::string why;
        if (const status s = filter.prepare(r->link(), &why); !s) {
            fmt::print(stderr, "rawpkt-dump: bad filter expression '{}': {}\n", expression_, why);
            return tool::exit_usage;
        }
        const pcap::time_precision precision =
            r->format() == pcap::file_format::pcap ? r->precision() : pcap::time_precision::micro;
        if (int rc = drop_privileges(); rc >= 0) return rc;
        if (int rc = open_output(r->link(), precision, &*r); rc >= 0) return rc;
        print_header();

        // A progress bar when a large file is read without printing to the
        // terminal (into -w, or for --stats).
        std::uint64_t size = 0;
        struct stat st {};
        if (o_.read_path != "-" && ::stat(o_.read_path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
            size = static_cast<std::uint64_t>(st.st_size);
        }
        const bool show_progress =
            ::isatty(STDERR_FILENO) == 1 && size >= (8u << 20) && (!print_packets_ || ::isatty(STDOUT_FILENO) == 0);
        tool::progress bar{size, show_progress};

        frame f;
        std::uint64_t number = 0;
        while (!tool::stop_requested() && r->next(f)) {
            ++number;
            if ((number & 0xff) == 0) bar.update(r->offset());
            const auto m = filter.matches(f, &why);
            if (!m) {
                bar.finish();
                fmt::print(stderr, "rawpkt-dump: filter '{}' does not apply to frame {} (link type {}): {}\n",
                           expression_, number, static_cast<std::uint32_t>(f.link), why);
                return tool::exit_usage;
            }
            if (!*m) {
                reassemble_only(f);
                continue;
            }
            if (!handle(f, number)) break;
        }
        bar.finish();
        if (output_failed_) return tool::exit_input;
        if (!r->status() && !tool::stop_requested()) {
            // Everything before the damage is out; say what stopped us.
            input_error_ = fmt::format("rawpkt-dump: {}: {} (after {} packets)", o_.read_path,
                                       to_string(r->status().error()), r->frames_read());
            return tool::exit_input;
        }
        return tool::exit_ok;
    }

    static std::string describe_open_error(const error& e) {
        switch (e.code) {
        case errc::not_found: return "no such file";
        case errc::permission: return "permission denied";
        case errc::io: return fmt::format("cannot read it: {}", std::strerror(e.sys_errno));
        default: return fmt::format("not a capture file rawpkt can read ({})", to_string(e));
        }
    }

    int capture() {
        dl::config cfg;
        cfg.backend = o_.backend;
        cfg.send = false;
        cfg.snaplen = o_.snaplen;
        cfg.promiscuous = !o_.no_promiscuous;
        cfg.filter = expression_;
        std::string why;
        auto ch = dl::open(o_.interface, cfg, &why);
        if (!ch) {
            const bool bad_filter = dl::step_of(ch.error()) == dl::step::filter_compile;
            if (bad_filter) {
                fmt::print(stderr, "rawpkt-dump: bad filter expression '{}': {}\n", expression_, why);
                return tool::exit_usage;
            }
            fmt::print(stderr, "rawpkt-dump: {}\n", why);
            return tool::exit_input;
        }
        if (int rc = drop_privileges(); rc >= 0) return rc;
        if (int rc = open_output(ch->link, pcap::time_precision::micro, nullptr); rc >= 0) return rc;
        if (!o_.quiet || o_.stats) {
            fmt::print(stderr, "rawpkt-dump: listening on {}, link-type {}, snapshot length {} bytes\n", o_.interface,
                       link_type_name(ch->link) ? link_type_name(ch->link) : "?", o_.snaplen);
        }
        print_header();
        live_ = true;
        std::uint64_t number = 0;
        bool go = true;
        while (go && !tool::stop_requested()) {
            const auto batch = ch->rx.next_batch(std::chrono::milliseconds(100));
            if (!batch) {
                if (tool::stop_requested()) break;
                fmt::print(stderr, "rawpkt-dump: {}\n", dl::describe(batch.error(), o_.interface));
                counters(ch->rx);
                return tool::exit_input;
            }
            for (const frame& f : *batch) {
                ++number;
                if (!handle(f, number)) {
                    go = false;
                    break;
                }
            }
            if (!out_.drain(true)) break;
            if (writer_ && o_.write_path == "-") (void)writer_->flush();
        }
        counters(ch->rx);
        return output_failed_ ? tool::exit_input : tool::exit_ok;
    }

    void counters(dl::receiver& rx) {
        if (const auto s = rx.stats()) kernel_ = tool::capture_counters{s->received, s->dropped};
    }

    /// Closes the output and prints the statistics; the exit status.
    int finish(int rc) {
        if (writer_) {
            if (const status s = writer_->close(); !s && rc == tool::exit_ok) {
                fmt::print(stderr, "rawpkt-dump: {}: {}\n", writer_->current_path(), to_string(s.error()));
                rc = tool::exit_input;
            }
        }
        (void)out_.drain(true);
        if (!input_error_.empty()) fmt::print(stderr, "{}\n", input_error_);
        if (o_.stats && !out_.broken()) {
            tool::print_stats(stdout, stats_, o_.top, kernel_);
            std::fflush(stdout);
        } else if (tool::stop_requested() || (live_ && (o_.quiet || !o_.write_path.empty()))) {
            // As tcpdump does when it stops.
            fmt::print(stderr, "{} packets captured\n", matched_);
            if (kernel_) {
                fmt::print(stderr, "{} packets received by filter\n{} packets dropped by kernel\n", kernel_->received,
                           kernel_->dropped);
            }
        }
        return rc;
    }

    const options& o_;
    output_mode mode_ = output_mode::text;
    std::vector<fields::id> ids_;
    field_output fout_;
    std::uint64_t rotate_bytes_ = 0;
    std::string expression_;
    bool print_packets_ = true;
    summary_options summary_opts_;
    time_format time_format_ = time_format::time_of_day;
    std::optional<std::int64_t> first_ns_;
    std::optional<std::int64_t> previous_ns_;
    std::optional<pcap::rotating_writer> writer_;
    pcap::reader* source_ = nullptr;
    std::size_t described_ = 0;
    decoded decoded_;
    std::unique_ptr<dns_over_tcp> dns_tcp_;
    traffic_stats stats_;
    out_buffer out_;
    std::uint64_t matched_ = 0;
    bool output_failed_ = false;
    bool live_ = false;
    std::optional<tool::capture_counters> kernel_;
    std::string input_error_;
    int input_fd_ = -1;

public:
    ~dumper() {
        if (input_fd_ > STDIN_FILENO) ::close(input_fd_);
    }
};

} // namespace

int main(int argc, char** argv) {
    options o;
    CLI::App app{description, "rawpkt-dump"};
    app.footer(footer);
    app.set_version_flag("-V,--version", std::string("rawpkt-dump ") + RAWPKT_VERSION_STRING);
    app.get_formatter()->column_width(30);

    auto* r = app.add_option("-r", o.read_path, "Read packets from FILE (pcap or pcapng; - for standard input)")
                  ->type_name("FILE")
                  ->group("Input");
    auto* i = app.add_option("-i,--interface", o.interface, "Capture live on IFACE (Linux AF_PACKET)")
                  ->type_name("IFACE")
                  ->group("Input");
    r->excludes(i);
    tool::add_backend_option(app, o.backend)->group("Capture");
    app.add_option("-Z,--relinquish-privileges", o.user,
                   "After opening the interface or input file, become USER (its uid, gid and groups) before "
                   "opening any file to write")
        ->type_name("USER")
        ->group("Input");
    app.add_flag("-p,--no-promiscuous-mode", o.no_promiscuous, "Do not put the interface into promiscuous mode")
        ->group("Capture");
    app.add_option("-s,--snapshot-length", o.snaplen, "Keep at most SNAPLEN bytes of each packet (default 262144)")
        ->check(CLI::Range(1u, 262144u))
        ->type_name("SNAPLEN")
        ->group("Capture");
    app.add_option("-c,--count", o.count, "Stop after N packets (that pass the filter)")
        ->check(CLI::PositiveNumber)
        ->type_name("N")
        ->group("Capture");

    app.add_option("-w", o.write_path, "Write packets to FILE instead of printing them (- for standard output)")
        ->type_name("FILE")
        ->group("Output file");
    app.add_option("--format", o.format, "pcap or pcapng (default: by the file's extension, .pcapng or else pcap)")
        ->check(CLI::IsMember({"pcap", "pcapng"}))
        ->group("Output file");
    app.add_option("-C", o.rotate_size,
                   "Start a new file when the current one exceeds SIZE millions of bytes (k, m, g suffixes: KiB, "
                   "MiB, GiB); files are FILE, FILE1, FILE2, ...")
        ->type_name("SIZE")
        ->group("Output file");
    app.add_option("-G", o.rotate_seconds,
                   "Start a new file every SECONDS (by packet time); FILE is a strftime pattern")
        ->check(CLI::PositiveNumber)
        ->type_name("SECONDS")
        ->group("Output file");
    app.add_option("-W", o.rotate_files, "With -C: keep a ring of N files; with -G alone: stop after N files")
        ->check(CLI::PositiveNumber)
        ->type_name("N")
        ->group("Output file");
    app.add_flag("--print", o.print_while_writing, "Print packets even when writing them with -w")
        ->group("Output file");

    app.add_option("-T", o.output, "Output: text (one line per packet, default), fields or json")
        ->check(CLI::IsMember({"text", "fields", "json"}))
        ->type_name("FORMAT")
        ->group("Printing");
    app.add_option("-e", o.fields, "With -T fields: print FIELD (repeat for more; --list-fields lists them)")
        ->type_name("FIELD")
        ->group("Printing");
    app.add_option("-E", o.field_options, "With -T fields: header=, separator=, occurrence=, aggregator=, quote=")
        ->type_name("OPT=VALUE")
        ->group("Printing");
    app.add_flag("-t", o.time_flags,
                 "-t no time, -tt seconds since 1970, -ttt since the previous packet, -tttt date and time, "
                 "-ttttt since the first packet (default: local time of day)")
        ->group("Printing");
    app.add_flag("--nano", o.nano, "Nanosecond timestamps (printing and pcap files written)")->group("Printing");
    app.add_flag("--link", o.link_header, "Print the link-layer header (tcpdump -e)")->group("Printing");
    app.add_flag("-v,--verbose", o.verbose, "After each line, every decoded layer and its fields")->group("Printing");
    app.add_flag("-x,-X", o.hex, "After each line, the frame in hex and ASCII")->group("Printing");
    int numeric = 0;
    app.add_flag("-n", numeric, "Accepted for tcpdump's sake: addresses and ports are always numeric (-nn too)")
        ->group("Printing");
    app.add_flag("-q,--quiet", o.quiet, "Print nothing per packet")->group("Printing");
    app.add_flag("--stats", o.stats,
                 "At the end, print packets, bytes, rates, protocols, top talkers and ports, kernel drops")
        ->group("Printing");
    app.add_option("--top", o.top, "Rows of top talkers and ports in --stats (default 10)")->group("Printing");
    app.add_option("--max-talkers", o.max_talkers,
                   "Addresses counted for the top talkers (default 65536); later ones are left out, said in the "
                   "statistics")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24))
        ->type_name("N")
        ->group("Printing");
    app.add_flag("--list-fields", o.list_fields, "List the field names -e takes and exit")->group("Printing");
    app.add_flag("--dns-tcp", o.dns_tcp,
                 "-T fields: take the dns.* fields of DNS over TCP from the reassembled stream, on the frame that "
                 "completes each message (tshark with TCP reassembly on, its default); with -r, frames the filter "
                 "leaves out are reassembled too")
        ->group("Printing");
    app.add_option("--follow", o.follow,
                   "Print TCP stream N (tshark's tcp.stream) of the -r file as tshark -z follow,tcp,raw,N does")
        ->type_name("tcp,N")
        ->group("Flows");
    app.add_option("--flows", o.flows, "Print the -r file's flows at the end: table, json (JSON lines) or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->type_name("FORMAT")
        ->group("Flows");
    app.add_option("--max-flows", o.max_flows,
                   "Flows (--flows) or TCP connections (--follow) tracked at once (default 65536); beyond, the least "
                   "recently active is evicted, said once on stderr")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24))
        ->type_name("N")
        ->group("Flows");
    app.add_option("--follow-max", o.follow_max,
                   "Memory kept for the --follow stream until it is printed (default 256m, k/m/g suffixes); the stream "
                   "is cut there, said on stderr")
        ->type_name("SIZE")
        ->group("Flows");
    app.add_option("expression", o.expression, "Filter expression (tcpdump syntax), e.g. tcp port 80")
        ->type_name("EXPRESSION");

    // --list-fields needs no input.
    for (int k = 1; k < argc; ++k) {
        if (std::strcmp(argv[k], "--list-fields") == 0) {
            for (const auto n : fields::names()) fmt::print("{}\n", n);
            return tool::exit_ok;
        }
    }
    if (const int rc = tool::parse(app, argc, argv); rc >= 0) return rc;
    if (o.read_path.empty() && o.interface.empty()) {
        fmt::print(stderr, "rawpkt-dump: give -r FILE or -i IFACE (--help for more)\n");
        return tool::exit_usage;
    }
    tool::install_stop_signals();
    if (!o.follow.empty() || !o.flows.empty()) {
        if (o.read_path.empty()) {
            fmt::print(stderr, "rawpkt-dump: --follow and --flows read a file (-r FILE)\n");
            return tool::exit_usage;
        }
        if (!o.follow.empty()) {
            const auto stream = dump::parse_follow(o.follow);
            if (!stream) {
                fmt::print(stderr, "rawpkt-dump: --follow takes tcp,N (a TCP stream number), not '{}'\n", o.follow);
                return tool::exit_usage;
            }
            const auto keep = tool::parse_size(o.follow_max, 1);
            if (!keep || *keep == 0 || *keep > SIZE_MAX) {
                fmt::print(stderr, "rawpkt-dump: --follow-max takes a size such as 64m, not '{}'\n", o.follow_max);
                return tool::exit_usage;
            }
            return dump::follow_tcp(o.read_path, *stream,
                                    {.max_flows = o.max_flows, .follow_max = static_cast<std::size_t>(*keep)});
        }
        return dump::list_flows(o.read_path, o.flows, {.max_flows = o.max_flows});
    }
    return dumper{o}.run();
}
