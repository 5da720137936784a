# Node.js and npm for the console and the browser test (included when LIANDONG_BUILD_WEB is ON).
#
# liandong_npm_ci(DIR STAMP_VAR LABEL): a custom command that runs `npm ci` in DIR only when
# node_modules is missing or package.json/package-lock.json changed. The stamp lives inside
# node_modules, so deleting node_modules re-runs it. Sets STAMP_VAR to the stamp file, for DEPENDS.

find_program(LIANDONG_NPM NAMES npm)
find_program(LIANDONG_NODEJS NAMES node nodejs)
if(NOT LIANDONG_NPM OR NOT LIANDONG_NODEJS)
  message(FATAL_ERROR
    "The web console needs Node.js (18 or later) and npm, which were not found.\n"
    "Install them (Debian: apt install nodejs npm) or configure with -DLIANDONG_BUILD_WEB=OFF.")
endif()
execute_process(COMMAND ${LIANDONG_NODEJS} --version OUTPUT_VARIABLE _node_version
                OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REGEX REPLACE "^v" "" _node_version "${_node_version}")
if(_node_version VERSION_LESS 18)
  message(FATAL_ERROR "The web console needs Node.js 18 or later; ${LIANDONG_NODEJS} is ${_node_version}.")
endif()

function(liandong_npm_ci dir stamp_var label)
  set(stamp ${dir}/node_modules/.liandong-npm-ci.stamp)
  add_custom_command(
    OUTPUT ${stamp}
    COMMAND ${LIANDONG_NPM} ci --no-audit --no-fund
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${dir}/package.json ${dir}/package-lock.json
    WORKING_DIRECTORY ${dir}
    COMMENT "${label}: npm ci (dependencies from package-lock.json)"
    VERBATIM)
  set(${stamp_var} ${stamp} PARENT_SCOPE)
endfunction()
