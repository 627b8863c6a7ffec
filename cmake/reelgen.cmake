# reelgen_library(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# One static library per module: reelgen_<name>, aliased reelgen::<name>.
function(reelgen_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(reelgen_${name} STATIC ${ARG_SOURCES})
  add_library(reelgen::${name} ALIAS reelgen_${name})
  target_include_directories(reelgen_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(reelgen_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# reelgen_test(NAME SOURCES ... DEPS ... [ENVIRONMENT "VAR=value;..."] [FIXTURES name]): a
# GoogleTest executable registered with ctest; FIXTURES names the ctest fixtures its tests need.
function(reelgen_test name)
  cmake_parse_arguments(ARG "" "ENVIRONMENT;FIXTURES" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
                       PROPERTIES LABELS unit ENVIRONMENT "${ARG_ENVIRONMENT}"
                                  FIXTURES_REQUIRED "${ARG_FIXTURES}")
endfunction()

# reelgen_embed(TARGET FUNCTION fn FILES <abs path> ... NAMES <logical name> ...)
# Compiles files into TARGET with .incbin (no parsing, no start-up cost) and defines
#   std::optional<std::string_view> reelgen::embedded::<fn>(std::string_view name);
# which the module declares in its own code. Each blob is followed by a NUL byte.
function(reelgen_embed target)
  cmake_parse_arguments(ARG "" "FUNCTION" "FILES;NAMES" ${ARGN})
  set(tag "${ARG_FUNCTION}")
  set(asm "${CMAKE_CURRENT_BINARY_DIR}/${tag}_embedded.S")
  set(content "    .section .rodata\n")
  set(table "")
  set(i 0)
  foreach(file IN LISTS ARG_FILES)
    list(GET ARG_NAMES ${i} logical)
    string(APPEND content
      "    .balign 16\n${tag}_blob_${i}:\n    .incbin \"${file}\"\n${tag}_blob_${i}_end:\n    .byte 0\n"
      "${tag}_name_${i}:\n    .asciz \"${logical}\"\n")
    string(APPEND table
      "    .quad ${tag}_name_${i}, ${tag}_blob_${i}, ${tag}_blob_${i}_end - ${tag}_blob_${i}\n")
    math(EXPR i "${i} + 1")
  endforeach()
  string(APPEND content
    "    .section .data.rel.ro,\"aw\"\n    .balign 8\n    .globl ${tag}_table\n${tag}_table:\n${table}    .quad 0, 0, 0\n"
    "    .section .note.GNU-stack,\"\",@progbits\n")
  file(GENERATE OUTPUT ${asm} CONTENT "${content}")
  set(lookup "${CMAKE_CURRENT_BINARY_DIR}/${tag}_embedded.cpp")
  file(GENERATE OUTPUT ${lookup} CONTENT
"#include <cstddef>
#include <optional>
#include <string_view>
namespace {
struct Entry { const char* name; const char* data; std::size_t size; };
}
extern \"C\" const Entry ${tag}_table[];
namespace reelgen::embedded {
std::optional<std::string_view> ${tag}(std::string_view name) {
  for (const Entry* e = ${tag}_table; e->name != nullptr; ++e) {
    if (name == e->name) return std::string_view(e->data, e->size);
  }
  return std::nullopt;
}
}  // namespace reelgen::embedded
")
  target_sources(${target} PRIVATE ${asm} ${lookup})
  set_source_files_properties(${asm} PROPERTIES OBJECT_DEPENDS "${ARG_FILES}")
endfunction()
