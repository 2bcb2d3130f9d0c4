# -DTEEHARNESS_SANITIZE=address  -> ASan + UBSan;  =thread -> TSan. Errors are fatal (no recovery),
# so a sanitizer finding fails the test that triggered it.
# pointer-overflow is off: RapidJSON 1.1.0 (Debian 12) adds an offset to a null stack pointer in
# internal/stack.h:117 on every first Push (Tencent/rapidjson#1724, fixed upstream after 1.1.0).
set(TEEHARNESS_UBSAN_EXCLUDE -fno-sanitize=pointer-overflow)
if(TEEHARNESS_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined ${TEEHARNESS_UBSAN_EXCLUDE}
                      -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
elseif(TEEHARNESS_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread -fno-sanitize-recover=all)
elseif(TEEHARNESS_SANITIZE)
  message(FATAL_ERROR "TEEHARNESS_SANITIZE must be address or thread, got '${TEEHARNESS_SANITIZE}'")
endif()
