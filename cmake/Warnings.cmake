# Warnings are errors in every target the project defines (not in the dependencies' headers).
function(synthgate_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wshadow
                         -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
                         -Wconversion -Wsign-conversion -Wimplicit-fallthrough)
endfunction()
