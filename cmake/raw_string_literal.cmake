# dermaflow_raw_string_literal(<out_var> <file> <display_name>): the contents
# of <file> as a C++ raw string literal, R"df_embed(...)df_embed". Shared by
# the build-time halves of dermaflow_embed_files (cmake/embed_files_gen.cmake)
# and dermaflow_embed_lua (common/redis/embed_lua.cmake), so both embed text
# the same way. Fails when the text contains the literal's closing sequence.
function(dermaflow_raw_string_literal out_var file display_name)
  file(READ "${file}" contents)
  set(delimiter "df_embed")
  string(FIND "${contents}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${display_name} contains ')${delimiter}\"', which ends the raw string")
  endif()
  set(${out_var} "R\"${delimiter}(${contents})${delimiter}\"" PARENT_SCOPE)
endfunction()
