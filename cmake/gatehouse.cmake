# gatehouse_module(NAME [PURE] SOURCES ... DEPS ...)
# One library per folder under src/. PURE modules do no I/O; they are the only
# ones built in the sanitizer configuration.
function(gatehouse_module name)
  cmake_parse_arguments(M "PURE" "" "SOURCES;DEPS" ${ARGN})
  if(GATEHOUSE_SANITIZE AND NOT M_PURE)
    return()
  endif()
  add_library(gh_${name} STATIC ${M_SOURCES})
  target_include_directories(gh_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(gh_${name} PUBLIC ${M_DEPS})
endfunction()

# gatehouse_test(NAME SOURCES ... DEPS ...): a GoogleTest binary registered with CTest.
# Skipped when a dependency library is not part of this configuration.
function(gatehouse_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  foreach(dep ${T_DEPS})
    if(dep MATCHES "^gh_" AND NOT TARGET ${dep})
      return()
    endif()
  endforeach()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE GATEHOUSE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME ${name} COMMAND ${name})
endfunction()
