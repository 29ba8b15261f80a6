# Warning flags for rawpkt's own targets (never pushed onto consumers).
add_library(rawpkt_warnings INTERFACE)
target_compile_options(rawpkt_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wold-style-cast
  -Wnon-virtual-dtor -Wimplicit-fallthrough)
if(RAWPKT_WERROR)
  target_compile_options(rawpkt_warnings INTERFACE -Werror)
endif()
