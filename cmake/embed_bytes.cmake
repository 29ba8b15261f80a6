# cmake -DINPUT=<file> -DOUTPUT=<header> -P embed_bytes.cmake
# Writes the bytes of INPUT as a constexpr array into a C++ header.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_len)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n    " bytes "${bytes}")
math(EXPR size "${hex_len} / 2")
file(WRITE ${OUTPUT} "// Generated from ${INPUT} by cmake/embed_bytes.cmake: do not edit.\n#pragma once\n#include <cstddef>\n\nnamespace rawpkt::datalink::detail {\ninline constexpr std::size_t xdp_object_size = ${size};\ninline constexpr unsigned char xdp_object[${size}] = {\n    ${bytes}\n};\n} // namespace rawpkt::datalink::detail\n")
