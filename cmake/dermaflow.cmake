# Small helpers so every component's CMakeLists.txt reads the same way.

# dermaflow_cc_library(NAME name SRCS ... DEPS ...)
function(dermaflow_cc_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(${ARG_NAME} STATIC ${ARG_SRCS})
  target_include_directories(${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_DEPS})
  target_compile_options(${ARG_NAME} PRIVATE -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
endfunction()

# dermaflow_cc_binary(NAME name SRCS ... DEPS ...): lands in build/bin/.
function(dermaflow_cc_binary)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_include_directories(${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS})
  target_compile_options(${ARG_NAME} PRIVATE -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
endfunction()

# dermaflow_cc_test(NAME name SRCS ... DEPS ... LABEL unit|integration|e2e
#                   [WHOLE_BINARY])
# Tests are discovered per TEST() so `ctest -L unit` is the fast loop.
# WHOLE_BINARY registers the binary as one ctest test instead, for tests
# that share an expensive fixture started once per process (a Redis Cluster).
function(dermaflow_cc_test)
  cmake_parse_arguments(ARG "WHOLE_BINARY" "NAME;LABEL;TIMEOUT" "SRCS;DEPS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${ARG_NAME} ${ARG_SRCS})
  set_target_properties(${ARG_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_include_directories(${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_definitions(${ARG_NAME} PRIVATE
    DERMAFLOW_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    DERMAFLOW_BINARY_DIR="${CMAKE_BINARY_DIR}")
  if(ARG_WHOLE_BINARY)
    add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
    set_tests_properties(${ARG_NAME} PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT})
  else()
    gtest_discover_tests(${ARG_NAME}
      PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT}
      DISCOVERY_TIMEOUT 60)
  endif()
endfunction()

# Adds every immediate subdirectory of DIR that has a CMakeLists.txt, so a new
# component is picked up without editing a shared file.
function(dermaflow_add_subdirectories DIR)
  file(GLOB children RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}/${DIR} ${CMAKE_CURRENT_SOURCE_DIR}/${DIR}/*)
  list(SORT children)
  foreach(child ${children})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${DIR}/${child}/CMakeLists.txt)
      add_subdirectory(${DIR}/${child})
    endif()
  endforeach()
endfunction()
