# Writes the build's version and git revision into a small C++ file (-P
# script, run at configure time and before every build). configure_file
# leaves the file untouched when nothing changed, so only a new commit
# recompiles it (one file), and ccache hits for the same revision.
#   cmake -DSOURCE_DIR=... -DOUTPUT=... -DVERSION=0.1.0 -P build_info_gen.cmake
set(DERMAFLOW_REVISION unknown)
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS ${SOURCE_DIR}/.git)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
                  WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE _revision OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE _rc ERROR_QUIET)
  if(_rc EQUAL 0 AND _revision MATCHES "^[0-9a-f]+$")
    set(DERMAFLOW_REVISION ${_revision})
  endif()
endif()
set(DERMAFLOW_VERSION ${VERSION})
configure_file(${CMAKE_CURRENT_LIST_DIR}/build_info_values.cc.in ${OUTPUT} @ONLY)
