# Helpers shared by every layer's CMakeLists.txt.

# sb_add_library(<name> SOURCES ... [DEPS ...])
# A static library for one layer; its headers are included as "<layer>/<file>.hpp"
# relative to src/.
function(sb_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# sb_add_unit_test(<name> SOURCES ... [DEPS ...] [LABELS ...] [FIXTURES ...])
# One GoogleTest executable; every TEST in it becomes a CTest test.
function(sb_add_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS;FIXTURES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    SB_SOURCE_DIR="${PROJECT_SOURCE_DIR}" SB_BINARY_DIR="${PROJECT_BINARY_DIR}")
  # gtest/gmock headers are the bulk of every test TU: parse them once.
  if(TARGET sb_test_pch)
    target_precompile_headers(${name} REUSE_FROM sb_test_pch)
  endif()
  # gtest_discover_tests writes PROPERTIES into a generated script that loses
  # list separators (a second label became a property name), so the labels
  # are one string, "unit.<layer>": `ctest -L` takes a regex, so both
  # `-L unit` and `-L sdp` select it.
  set(labels unit ${ARG_LABELS})
  list(JOIN labels "." labels)
  set(props LABELS "${labels}")
  if(ARG_FIXTURES)
    list(APPEND props FIXTURES_REQUIRED "${ARG_FIXTURES}")
  endif()
  # Test names carry their executable ("store_tests.Engines/Vip…") so that
  # `ctest -R store` selects a layer.
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 TEST_PREFIX "${name}." PROPERTIES ${props})
endfunction()
