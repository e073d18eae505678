# dermaflow_embed_files(<target> NAME <name> NAMESPACE <c++ namespace> FILES <file>...)
#
# Compiles data files (texts, templates, catalogs: content that is not code)
# into <target>, the way dermaflow_embed_lua compiles Lua scripts. Generates,
# at build time, `<dir>/<name>.h` (included from the repo root, <dir> being
# the calling CMakeLists.txt's folder) declaring
# `std::span<const common::EmbeddedFile> <Name>()` in NAMESPACE, which
# returns every file's repo-relative path and contents in the order of FILES:
#
#   dermaflow_embed_files(dermaflow_protocol_domain NAME catalog_files
#     NAMESPACE dermaflow::protocol FILES catalog/mesobotox.textproto ...)
#   #include "services/protocol/catalog_files.h"
#   for (const common::EmbeddedFile& f : CatalogFiles()) Parse(f.path, f.contents);
#
# Editing a data file regenerates and recompiles only the generated .cc.
# Include this file from the CMakeLists.txt that uses it.
include_guard(GLOBAL)

# dermaflow_camel_case(<out_var> <snake_name>): book_appointment -> BookAppointment,
# the C++ function name of an embedded file or script.
function(dermaflow_camel_case out_var snake)
  string(REPLACE "-" "_" snake ${snake})
  string(REPLACE "_" ";" words ${snake})
  set(result "")
  foreach(word ${words})
    string(SUBSTRING ${word} 0 1 first)
    string(SUBSTRING ${word} 1 -1 rest)
    string(TOUPPER ${first} first)
    string(APPEND result ${first} ${rest})
  endforeach()
  set(${out_var} ${result} PARENT_SCOPE)
endfunction()

function(dermaflow_embed_files target)
  set(generator ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/embed_files_gen.cmake)
  set(literal_helper ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/raw_string_literal.cmake)
  cmake_parse_arguments(ARG "" "NAME;NAMESPACE" "FILES" ${ARGN})
  if(NOT ARG_NAME OR NOT ARG_NAMESPACE OR NOT ARG_FILES)
    message(FATAL_ERROR "dermaflow_embed_files(${target}): NAME, NAMESPACE and FILES are required")
  endif()
  set(gen_root ${CMAKE_BINARY_DIR}/gen_embed)
  file(RELATIVE_PATH rel_dir ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  dermaflow_camel_case(function_name ${ARG_NAME})  # catalog_files -> CatalogFiles
  set(inputs "")
  foreach(file ${ARG_FILES})
    get_filename_component(input ${file} ABSOLUTE)
    list(APPEND inputs ${input})
  endforeach()
  set(header ${gen_root}/${rel_dir}/${ARG_NAME}.h)
  set(source ${gen_root}/${rel_dir}/${ARG_NAME}.cc)
  # The list travels as one argument; ";" would split it, so use "|".
  string(REPLACE ";" "|" inputs_arg "${inputs}")
  add_custom_command(
    OUTPUT ${header} ${source}
    COMMAND ${CMAKE_COMMAND}
      -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DHEADER=${header} -DSOURCE=${source}
      -DHEADER_INCLUDE=${rel_dir}/${ARG_NAME}.h -DNAMESPACE=${ARG_NAMESPACE}
      -DFUNCTION=${function_name} -DFILES=${inputs_arg}
      -P ${generator}
    DEPENDS ${inputs} ${generator} ${literal_helper}
    COMMENT "embedding ${rel_dir}/${ARG_NAME} (${ARG_FILES})"
    VERBATIM)
  target_sources(${target} PRIVATE ${header} ${source})
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    target_include_directories(${target} PRIVATE ${gen_root})
  else()
    target_include_directories(${target} PUBLIC ${gen_root})
  endif()
endfunction()
