# Renders the prompt texts (prompts/<lang>.txt) into
# ${PROJECT_BINARY_DIR}/prompts/<lang>/{8000,16000}/<name>.wav at build time
# (target `prompts`, part of ALL). Needs espeak-ng and sox (scripts/bootstrap).
find_program(ESPEAK_NG_PROGRAM espeak-ng REQUIRED)
find_program(SOX_PROGRAM sox REQUIRED)

set(SB_PROMPTS_DIR ${PROJECT_BINARY_DIR}/prompts CACHE INTERNAL "rendered prompts")
set(_sb_prompt_outputs)
foreach(lang en)
  set(_src ${PROJECT_SOURCE_DIR}/prompts/${lang}.txt)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_src})
  file(STRINGS ${_src} _lines ENCODING UTF-8)
  foreach(line IN LISTS _lines)
    if(line MATCHES "^#" OR NOT line MATCHES "^([a-z0-9_]+)\\|(.+)$")
      continue()
    endif()
    set(_name ${CMAKE_MATCH_1})
    set(_text ${CMAKE_MATCH_2})
    set(_out ${SB_PROMPTS_DIR}/${lang})
    add_custom_command(
      OUTPUT ${_out}/8000/${_name}.wav ${_out}/16000/${_name}.wav
      COMMAND ${PROJECT_SOURCE_DIR}/prompts/render.sh ${_out} ${_name} "${_text}"
      DEPENDS ${_src} ${PROJECT_SOURCE_DIR}/prompts/render.sh
      COMMENT "prompt ${lang}/${_name}"
      VERBATIM)
    list(APPEND _sb_prompt_outputs ${_out}/8000/${_name}.wav ${_out}/16000/${_name}.wav)
  endforeach()
endforeach()
add_custom_target(prompts ALL DEPENDS ${_sb_prompt_outputs})
