// Anchor for the unit tests' shared precompiled header (tests/CMakeLists.txt).
