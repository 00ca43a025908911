# parley_module(<name> [DEPS <targets...>] [PCH <headers...>])
#   Builds server/src/<name>/*.cpp into the static library parley_<name>
#   (alias parley::<name>) and, when server/tests/<name>/ holds *.cpp files,
#   a GoogleTest binary <name>_test registered with ctest.
#   Sources are globbed so adding a file never means editing a build file.
function(parley_module name)
  cmake_parse_arguments(ARG "" "" "DEPS;TEST_DEPS;PCH" ${ARGN})
  set(src_dir ${PROJECT_SOURCE_DIR}/server/src/${name})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${src_dir}/*.cpp)
  add_library(parley_${name} STATIC ${sources})
  add_library(parley::${name} ALIAS parley_${name})
  target_include_directories(parley_${name} PUBLIC ${PROJECT_SOURCE_DIR}/server/src)
  target_link_libraries(parley_${name} PUBLIC ${ARG_DEPS})
  if(ARG_PCH)
    target_precompile_headers(parley_${name} PRIVATE ${ARG_PCH})
  endif()

  set(test_dir ${PROJECT_SOURCE_DIR}/server/tests/${name})
  file(GLOB_RECURSE tests CONFIGURE_DEPENDS ${test_dir}/*.cpp)
  if(PARLEY_TESTS AND tests)
    add_executable(${name}_test ${tests})
    target_link_libraries(${name}_test PRIVATE parley_${name} ${ARG_TEST_DEPS} GTest::gtest_main GTest::gmock)
    target_compile_definitions(${name}_test PRIVATE PARLEY_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    gtest_discover_tests(${name}_test DISCOVERY_TIMEOUT 60
      PROPERTIES TIMEOUT 300 ENVIRONMENT "PARLEY_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  endif()
endfunction()

# parley_bench(<name> SOURCES <files...> DEPS <targets...>): a Google Benchmark
# binary or a standalone load generator under build/bin.
function(parley_bench name)
  cmake_parse_arguments(ARG "NO_BENCHMARK_MAIN" "" "SOURCES;DEPS" ${ARGN})
  if(NOT PARLEY_BENCH)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  if(NOT ARG_NO_BENCHMARK_MAIN)
    target_link_libraries(${name} PRIVATE benchmark::benchmark_main)
  endif()
endfunction()

# parley_fuzz(<name> SOURCES <files...> DEPS <targets...>): a libFuzzer target,
# built only in the clang fuzz build (make fuzz).
function(parley_fuzz name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  if(NOT PARLEY_FUZZ)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
endfunction()
