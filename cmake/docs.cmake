# API reference: `cmake --build <dir> --target docs` writes <dir>/docs/html.
# Doxygen fails on any warning, so an undocumented public name breaks the
# build; the ctest docs.api_reference keeps it that way.
find_package(Doxygen)
if(NOT DOXYGEN_FOUND)
  message(STATUS "doxygen not found: the `docs` target (API reference) is not available")
  return()
endif()
set(RAWPKT_DOCS_OUTPUT_DIR ${PROJECT_BINARY_DIR}/docs)
configure_file(${PROJECT_SOURCE_DIR}/docs/Doxyfile.in ${RAWPKT_DOCS_OUTPUT_DIR}/Doxyfile @ONLY)
add_custom_target(docs
  COMMAND Doxygen::doxygen ${RAWPKT_DOCS_OUTPUT_DIR}/Doxyfile
  WORKING_DIRECTORY ${RAWPKT_DOCS_OUTPUT_DIR}
  COMMENT "API reference (doxygen) in ${RAWPKT_DOCS_OUTPUT_DIR}/html"
  VERBATIM)
if(RAWPKT_BUILD_TESTS)
  add_test(NAME docs.api_reference COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target docs)
  set_tests_properties(docs.api_reference PROPERTIES LABELS docs)
endif()
