# backend::xdp: AF_XDP sockets through libxdp and libbpf, and an XDP program
# compiled with clang -target bpf and embedded into the library as bytes.
# Built when libxdp, libbpf and a clang that targets BPF are found;
# otherwise open() with backend::xdp fails with errc::unsupported.
set(RAWPKT_XDP_SOURCE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/src/datalink/xdp)
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(RAWPKT_LIBXDP QUIET libxdp libbpf)
endif()
find_program(RAWPKT_BPF_CLANG NAMES clang clang-14 clang-15 clang-16)
find_program(RAWPKT_BPF_STRIP NAMES llvm-strip llvm-strip-14 llvm-strip-15 llvm-strip-16)

set(RAWPKT_HAVE_XDP OFF)
if(RAWPKT_LIBXDP_FOUND AND RAWPKT_BPF_CLANG)
  set(RAWPKT_HAVE_XDP ON)
endif()

if(RAWPKT_HAVE_XDP)
  set(bpf_object ${CMAKE_CURRENT_BINARY_DIR}/xdp/rawpkt_xdp.bpf.o)
  set(bpf_header ${CMAKE_CURRENT_BINARY_DIR}/xdp/rawpkt_xdp_object.hpp)
  set(bpf_strip_command "")
  if(RAWPKT_BPF_STRIP)
    # Keep the BTF (libbpf needs it for the map definitions), drop DWARF.
    set(bpf_strip_command COMMAND ${RAWPKT_BPF_STRIP} -g ${bpf_object})
  endif()
  add_custom_command(OUTPUT ${bpf_object}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/xdp
    COMMAND ${RAWPKT_BPF_CLANG} -O2 -g -target bpf -Wall -Werror
      -I/usr/include/${CMAKE_LIBRARY_ARCHITECTURE} -c ${RAWPKT_XDP_SOURCE_DIR}/rawpkt_xdp.bpf.c -o ${bpf_object}
    ${bpf_strip_command}
    DEPENDS ${RAWPKT_XDP_SOURCE_DIR}/rawpkt_xdp.bpf.c ${RAWPKT_XDP_SOURCE_DIR}/rawpkt_xdp_meta.h
    COMMENT "Compiling the XDP program (clang -target bpf)")
  add_custom_command(OUTPUT ${bpf_header}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${bpf_object} -DOUTPUT=${bpf_header} -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed_bytes.cmake
    DEPENDS ${bpf_object} ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed_bytes.cmake
    COMMENT "Embedding the XDP program")
  # A target of its own, so that tools reading the compile commands
  # (scripts/clang-tidy.sh) can make the header without building rawpkt.
  add_custom_target(rawpkt_xdp_object DEPENDS ${bpf_header})
  add_dependencies(rawpkt rawpkt_xdp_object)
  file(GLOB RAWPKT_XDP_SOURCES CONFIGURE_DEPENDS ${RAWPKT_XDP_SOURCE_DIR}/*.cpp)
  target_sources(rawpkt PRIVATE ${RAWPKT_XDP_SOURCES} ${bpf_header})
  target_include_directories(rawpkt PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/xdp)
  target_compile_definitions(rawpkt PRIVATE RAWPKT_HAVE_XDP=1)
  # Full paths, as for libpcap: an installed static rawpkt names them too.
  target_include_directories(rawpkt SYSTEM PRIVATE ${RAWPKT_LIBXDP_INCLUDE_DIRS})
  target_link_libraries(rawpkt PRIVATE ${RAWPKT_LIBXDP_LINK_LIBRARIES})
  string(APPEND RAWPKT_PC_LIBS_PRIVATE " -lxdp -lbpf")
else()
  message(STATUS "libxdp, libbpf or clang not found: backend::xdp is not available")
  target_compile_definitions(rawpkt PRIVATE RAWPKT_HAVE_XDP=0)
endif()
