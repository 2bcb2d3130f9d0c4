# System dependencies, all from Debian 12 packages (scripts/install-deps.sh). Nothing is downloaded.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(CURL REQUIRED)
find_package(LibXml2 REQUIRED)
find_package(Boost 1.74 REQUIRED)

# libsecp256k1 ships only a pkg-config file; IMPORTED_TARGET gives a proper imported target.
pkg_check_modules(SECP256K1 REQUIRED IMPORTED_TARGET libsecp256k1)
add_library(teeharness::secp256k1 ALIAS PkgConfig::SECP256K1)
include(CheckIncludeFileCXX)
set(CMAKE_REQUIRED_INCLUDES ${SECP256K1_INCLUDE_DIRS})
check_include_file_cxx(secp256k1_recovery.h TEEHARNESS_HAVE_SECP256K1_RECOVERY)
if(NOT TEEHARNESS_HAVE_SECP256K1_RECOVERY)
  message(FATAL_ERROR "libsecp256k1 without the recovery module (secp256k1_recovery.h)")
endif()

pkg_check_modules(CRYPTOPP REQUIRED IMPORTED_TARGET libcrypto++)
add_library(teeharness::cryptopp ALIAS PkgConfig::CRYPTOPP)

# RapidJSON is header-only and its Debian package has no usable CMake target: wrap it.
find_path(RAPIDJSON_INCLUDE_DIR rapidjson/document.h REQUIRED)
add_library(teeharness_rapidjson INTERFACE)
target_include_directories(teeharness_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIR})
# std::string support; assert through our own handler so that a wrong-type access in a test is loud,
# while production code validates types before every accessor.
target_compile_definitions(teeharness_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)
add_library(teeharness::rapidjson ALIAS teeharness_rapidjson)

add_library(teeharness_boost INTERFACE)
target_include_directories(teeharness_boost SYSTEM INTERFACE ${Boost_INCLUDE_DIRS})
target_compile_definitions(teeharness_boost INTERFACE BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
target_link_libraries(teeharness_boost INTERFACE Threads::Threads)
add_library(teeharness::boost ALIAS teeharness_boost)

if(TEEHARNESS_TESTS)
  find_package(GTest REQUIRED)
endif()
if(TEEHARNESS_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
