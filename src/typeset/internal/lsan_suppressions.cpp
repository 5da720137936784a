// LeakSanitizer suppressions for the typeset test executables (linked into them only, never into
// the library). Fontconfig and Cairo keep process-wide caches (fontconfig's patterns and
// configuration, Cairo's font faces and font-subsetting state) that live until exit and are
// reached through encoded offsets LeakSanitizer cannot follow. The Debian libraries have no frame
// pointers, so under the default fast unwinder a report shows only the library: the suppressions
// name the libraries. The sanitizer runtime calls this hook at start-up and adds its answer to any
// suppressions given in LSAN_OPTIONS; in a build without sanitizers nothing calls it.
extern "C" const char* __lsan_default_suppressions();

extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\n"
         "leak:libcairo.so\n";
}
