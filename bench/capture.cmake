# Live-capture benchmarks: plain programs, no Google Benchmark. Included from
# bench/CMakeLists.txt with include(capture.cmake).
#   capture_count  rawpkt's receiver, a block at a time
#   tpacket_floor  the minimal C TPACKET_V3 loop it is compared with
#   xdp_floor      the minimal C AF_XDP loop backend::xdp is compared with
#   recvfrom_floor a poll + recvfrom per frame loop (libpnet's way)
#   sendto_floor   a sendto per frame loop, the plain sender
#   pcap_floor     libpcap's pcap_dispatch loop, when libpcap is found
#   flood_send     rawpkt's sender, building frames in the TX ring
#   capture_compare.sh runs them side by side over a veth pair (root)
foreach(prog capture_count flood_send)
  add_executable(${prog} ${CMAKE_CURRENT_LIST_DIR}/${prog}.cpp)
  target_link_libraries(${prog} PRIVATE rawpkt::rawpkt rawpkt_warnings)
endforeach()
include(CheckLanguage)
check_language(C)
if(CMAKE_C_COMPILER)
  enable_language(C)
  add_executable(tpacket_floor ${CMAKE_CURRENT_LIST_DIR}/tpacket_floor.c)
  target_compile_options(tpacket_floor PRIVATE -O2 -Wall -Wextra)
  add_executable(recvfrom_floor ${CMAKE_CURRENT_LIST_DIR}/recvfrom_floor.c)
  target_compile_options(recvfrom_floor PRIVATE -O2 -Wall -Wextra)
  add_executable(sendto_floor ${CMAKE_CURRENT_LIST_DIR}/sendto_floor.c)
  target_compile_options(sendto_floor PRIVATE -O2 -Wall -Wextra)
  if(RAWPKT_BENCH_PCAP AND RAWPKT_BENCH_PCAP_INCLUDE)
    add_executable(pcap_floor ${CMAKE_CURRENT_LIST_DIR}/pcap_floor.c)
    target_compile_options(pcap_floor PRIVATE -O2 -Wall -Wextra)
    target_include_directories(pcap_floor SYSTEM PRIVATE ${RAWPKT_BENCH_PCAP_INCLUDE})
    target_link_libraries(pcap_floor PRIVATE ${RAWPKT_BENCH_PCAP})
  endif()
  # The AF_XDP floor, with the XDP program the library embeds.
  if(RAWPKT_HAVE_XDP)
    add_executable(xdp_floor ${CMAKE_CURRENT_LIST_DIR}/xdp_floor.c)
    target_compile_options(xdp_floor PRIVATE -O2 -Wall -Wextra)
    target_include_directories(xdp_floor SYSTEM PRIVATE ${RAWPKT_LIBXDP_INCLUDE_DIRS})
    target_link_libraries(xdp_floor PRIVATE ${RAWPKT_LIBXDP_LINK_LIBRARIES})
    add_dependencies(xdp_floor rawpkt)
  endif()
else()
  message(STATUS "No C compiler: tpacket_floor is not built")
endif()

# Keeps capture_compare.sh working (root; skipped otherwise): the --quick
# run, numbers not checked. It floods a veth pair pinned to both cores, so
# it runs alone.
add_test(NAME bench.capture_compare COMMAND ${CMAKE_CURRENT_LIST_DIR}/capture_compare.sh --quick ${PROJECT_BINARY_DIR})
set_tests_properties(bench.capture_compare PROPERTIES LABELS bench RUN_SERIAL TRUE SKIP_RETURN_CODE 77 TIMEOUT 180)
