# Installation: headers, library, CMake package and pkg-config file.
include(CMakePackageConfigHelpers)

install(TARGETS rawpkt EXPORT rawpktTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/rawpkt DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/include/rawpkt/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rawpkt)

set(RAWPKT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/rawpkt)
install(EXPORT rawpktTargets NAMESPACE rawpkt:: DESTINATION ${RAWPKT_CMAKE_DIR})
configure_package_config_file(cmake/rawpktConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/rawpktConfig.cmake INSTALL_DESTINATION ${RAWPKT_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/rawpktConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/rawpktConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/rawpktConfigVersion.cmake
  DESTINATION ${RAWPKT_CMAKE_DIR})

# The .pc file finds its prefix relative to its own directory, so an
# installed tree can be moved (or installed with --prefix) and still work.
file(RELATIVE_PATH RAWPKT_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" RAWPKT_PC_TO_PREFIX "${RAWPKT_PC_TO_PREFIX}")
configure_file(cmake/rawpkt.pc.in ${CMAKE_CURRENT_BINARY_DIR}/rawpkt.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/rawpkt.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
