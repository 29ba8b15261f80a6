# One `fuzz` test: fuzzes FUZZER for SECONDS over a copy of its seed corpus
# (SEEDS) and regression inputs (REGRESSIONS) in WORK_DIR, which it empties
# first and removes when the run is clean. A crash leaves its reproducer in
# WORK_DIR/artifacts/ and fails the test.
#
#   cmake -DFUZZER=... -DSEEDS=... -DREGRESSIONS=... -DWORK_DIR=... -DSECONDS=20 -P fuzz_test.cmake
foreach(var FUZZER SEEDS REGRESSIONS WORK_DIR SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "fuzz_test.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/corpus ${WORK_DIR}/artifacts)
file(GLOB inputs LIST_DIRECTORIES false ${SEEDS}/* ${REGRESSIONS}/*)
if(inputs)
  file(COPY ${inputs} DESTINATION ${WORK_DIR}/corpus)
endif()

execute_process(
  COMMAND ${FUZZER} -max_total_time=${SECONDS} -timeout=10 -print_final_stats=1
    -artifact_prefix=${WORK_DIR}/artifacts/ ${WORK_DIR}/corpus
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message("${out}")
  message(FATAL_ERROR "${FUZZER} failed (exit ${rc}); the input is in ${WORK_DIR}/artifacts/")
endif()
# On success only the final statistics.
string(REGEX MATCHALL "(#[0-9]+[\t ]+DONE[^\n]*|stat::[^\n]*)" stats "${out}")
list(JOIN stats "\n" stats)
message("${stats}")
file(REMOVE_RECURSE ${WORK_DIR})
