# dermaflow_embed_lua(<target> NAMESPACE <c++ namespace> FILES <file.lua>...)
#
# Compiles Lua scripts into <target>. For each `<dir>/lua/<name>.lua` (paths
# relative to the calling CMakeLists.txt) it generates, at build time,
# `<dir>/lua/<name>_lua.h` (included from the repo root, like any header)
# declaring `const common::LuaScript& <Name>Script()` in NAMESPACE:
#
#   dermaflow_embed_lua(dermaflow_scheduling NAMESPACE dermaflow::scheduling
#     FILES lua/book_appointment.lua)
#   #include "services/scheduling/lua/book_appointment_lua.h"
#   redis.Eval(BookAppointmentScript(), keys, args);
#
# Editing a .lua file regenerates only its header (no re-configure). The
# build-time half is common/redis/embed_lua.cmake.
# Include this file from the CMakeLists.txt that uses it.
include_guard(GLOBAL)
set(DF_EMBED_LUA_SCRIPT ${PROJECT_SOURCE_DIR}/common/redis/embed_lua.cmake CACHE INTERNAL "")
include(${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake)  # dermaflow_camel_case
function(dermaflow_embed_lua target)
  cmake_parse_arguments(ARG "" "NAMESPACE" "FILES" ${ARGN})
  if(NOT ARG_NAMESPACE OR NOT ARG_FILES)
    message(FATAL_ERROR "dermaflow_embed_lua(${target}): NAMESPACE and FILES are required")
  endif()
  set(gen_root ${CMAKE_BINARY_DIR}/gen_lua)
  set(headers "")
  foreach(file ${ARG_FILES})
    get_filename_component(input ${file} ABSOLUTE)
    file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${input})
    get_filename_component(rel_dir ${rel} DIRECTORY)
    get_filename_component(stem ${rel} NAME_WE)
    string(REPLACE "-" "_" stem ${stem})
    dermaflow_camel_case(function_name ${stem})
    string(APPEND function_name Script)  # book_appointment -> BookAppointmentScript
    set(output ${gen_root}/${rel_dir}/${stem}_lua.h)
    add_custom_command(
      OUTPUT ${output}
      COMMAND ${CMAKE_COMMAND}
        -DINPUT=${input} -DOUTPUT=${output} -DSOURCE=${rel} -DNAME=${stem}
        -DFUNCTION=${function_name} -DNAMESPACE=${ARG_NAMESPACE}
        -P ${DF_EMBED_LUA_SCRIPT}
      DEPENDS ${input} ${DF_EMBED_LUA_SCRIPT}
      COMMENT "embedding ${rel}"
      VERBATIM)
    list(APPEND headers ${output})
  endforeach()
  # As sources the headers are generated before anything that compiles
  # against <target> (also its dependents), and re-generated when edited.
  target_sources(${target} PRIVATE ${headers})
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    target_include_directories(${target} PRIVATE ${gen_root})
    target_link_libraries(${target} PRIVATE dermaflow_redis)
  else()
    target_include_directories(${target} PUBLIC ${gen_root})
    target_link_libraries(${target} PUBLIC dermaflow_redis)
  endif()
endfunction()
