# Fuzz targets: fuzz/<module>[_<what>]_fuzz.cc defines LLVMFuzzerTestOneInput for gh_<module>;
# its seed corpus lives in fuzz/corpus/<module>[_<what>]/. Each target builds two ways:
#   gatehouse_fuzz_replay(NAME SOURCES ... DEPS ...): an ordinary executable NAME_fuzz_replay
#     (any compiler) that runs the target over the seed corpus, registered as the CTest test
#     NAME_fuzz_replay; in the sanitizer build that puts the corpus under ASan+UBSan.
#   gatehouse_fuzz_libfuzzer(NAME SOURCES ... DEPS ...): a libFuzzer binary NAME_fuzz (clang).
# gatehouse_fuzz_all(replay|libfuzzer) declares one of the two for every fuzz/*_fuzz.cc.
set(GATEHOUSE_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})

# True when every gh_* library in the list exists in this configuration.
function(_gatehouse_fuzz_deps_available out)
  set(${out} TRUE PARENT_SCOPE)
  foreach(dep ${ARGN})
    if(dep MATCHES "^gh_" AND NOT TARGET ${dep})
      set(${out} FALSE PARENT_SCOPE)
    endif()
  endforeach()
endfunction()

function(gatehouse_fuzz_replay name)
  cmake_parse_arguments(F "" "" "SOURCES;DEPS" ${ARGN})
  _gatehouse_fuzz_deps_available(available ${F_DEPS})
  if(NOT available)
    return()
  endif()
  add_executable(${name}_fuzz_replay ${F_SOURCES} ${GATEHOUSE_FUZZ_DIR}/replay_main.cc)
  target_link_libraries(${name}_fuzz_replay PRIVATE ${F_DEPS})
  add_test(NAME ${name}_fuzz_replay
           COMMAND ${name}_fuzz_replay ${GATEHOUSE_FUZZ_DIR}/corpus/${name})
endfunction()

function(gatehouse_fuzz_libfuzzer name)
  cmake_parse_arguments(F "" "" "SOURCES;DEPS" ${ARGN})
  _gatehouse_fuzz_deps_available(available ${F_DEPS})
  if(NOT available)
    return()
  endif()
  add_executable(${name}_fuzz ${F_SOURCES})
  target_link_libraries(${name}_fuzz PRIVATE ${F_DEPS})
  target_compile_options(${name}_fuzz PRIVATE -fsanitize=fuzzer)
  target_link_options(${name}_fuzz PRIVATE -fsanitize=fuzzer)
endfunction()

# Sets `out` to the fuzz targets as "name;module" pairs flattened: pathnorm;pathnorm;...
function(_gatehouse_fuzz_targets out)
  file(GLOB sources CONFIGURE_DEPENDS ${GATEHOUSE_FUZZ_DIR}/*_fuzz.cc)
  set(targets)
  foreach(source ${sources})
    get_filename_component(stem ${source} NAME_WE)
    string(REGEX REPLACE "_fuzz$" "" name ${stem})
    string(REGEX REPLACE "_.*$" "" module ${name})
    list(APPEND targets ${name} ${module})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

function(gatehouse_fuzz_all kind)
  _gatehouse_fuzz_targets(targets)
  while(targets)
    list(POP_FRONT targets name module)
    cmake_language(CALL gatehouse_fuzz_${kind} ${name}
                   SOURCES ${GATEHOUSE_FUZZ_DIR}/${name}_fuzz.cc DEPS gh_${module})
  endwhile()
endfunction()

# Adds src/<module> for every fuzzed module and, transitively, the gh_* libraries it links,
# so a half-written module nobody fuzzes cannot break the fuzz build.
function(gatehouse_fuzz_add_modules root)
  _gatehouse_fuzz_targets(targets)
  set(pending)
  while(targets)
    list(POP_FRONT targets name module)
    list(APPEND pending ${module})
  endwhile()
  set(added)
  while(pending)
    list(POP_FRONT pending module)
    if(module IN_LIST added)
      continue()
    endif()
    list(APPEND added ${module})
    add_subdirectory(${root}/src/${module} ${CMAKE_BINARY_DIR}/src/${module})
    if(TARGET gh_${module})
      get_target_property(links gh_${module} LINK_LIBRARIES)
      foreach(link ${links})
        if(link MATCHES "^gh_(.+)$")
          list(APPEND pending ${CMAKE_MATCH_1})
        endif()
      endforeach()
    endif()
  endwhile()
endfunction()
