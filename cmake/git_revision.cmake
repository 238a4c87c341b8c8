# Writes the current git revision (with "-dirty" when the tree has local changes) into a header,
# touching it only when the text changes so that unchanged builds stay incremental.
set(rev "unknown")
if(GIT AND EXISTS "${SRC}/.git")
  execute_process(COMMAND ${GIT} -C ${SRC} rev-parse --short=12 HEAD OUTPUT_VARIABLE rev
                  OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE r1 ERROR_QUIET)
  if(NOT r1 EQUAL 0)
    set(rev "unknown")
  else()
    execute_process(COMMAND ${GIT} -C ${SRC} status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(dirty)
      set(rev "${rev}-dirty")
    endif()
  endif()
endif()
set(text "#pragma once\nnamespace clusternet { inline constexpr const char* git_revision = \"${rev}\"; }\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE "${OUT}" "${text}")
endif()
