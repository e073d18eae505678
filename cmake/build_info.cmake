# dermaflow_build_info_sources(<out_var>): the generated .cc holding the
# project version and the git revision (cmake/build_info_gen.cmake). It is
# regenerated before every build but only rewritten when the revision
# changed, so a commit recompiles one small file.
set(DF_BUILD_INFO_CC ${CMAKE_BINARY_DIR}/gen/build_info_values.cc)
set(_df_build_info_args
  -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUTPUT=${DF_BUILD_INFO_CC} -DVERSION=${PROJECT_VERSION}
  -P ${CMAKE_CURRENT_LIST_DIR}/build_info_gen.cmake)
execute_process(COMMAND ${CMAKE_COMMAND} ${_df_build_info_args})
add_custom_target(dermaflow_build_info_values
  COMMAND ${CMAKE_COMMAND} ${_df_build_info_args}
  BYPRODUCTS ${DF_BUILD_INFO_CC}
  COMMENT "build info: version ${PROJECT_VERSION}, git revision"
  VERBATIM)
