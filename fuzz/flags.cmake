# Included by the top CMakeLists.txt when LIANDONG_FUZZ is ON, before any library is added: every
# library is built with libFuzzer's coverage instrumentation and with ASan + UBSan, so that the fuzz
# targets in this folder find memory errors and undefined behaviour anywhere on the request path.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "LIANDONG_FUZZ needs clang with libFuzzer (Debian: clang-14, libclang-rt-14-dev); "
                      "configure with -DCMAKE_CXX_COMPILER=clang++-14, as scripts/fuzz does")
endif()
if(LIANDONG_SANITIZE)
  message(FATAL_ERROR "LIANDONG_FUZZ already builds with ASan + UBSan: leave LIANDONG_SANITIZE off")
endif()

add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
# The warning flags are tuned for GCC (-Werror, GCC-only -Wno-* in some targets): under clang they
# stay visible but do not fail the fuzz build.
add_compile_options(-Wno-error -Wno-unknown-warning-option)
