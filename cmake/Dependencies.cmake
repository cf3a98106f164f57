# Every dependency comes from a Debian package installed by scripts/setup.
find_package(PkgConfig REQUIRED)
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
find_package(tomlplusplus REQUIRED)
# libpq (libpq-dev): Poco's PostgreSQL connector links it as PostgreSQL::client,
# a target its CMake files use but do not define (Debian's Poco 1.11).
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
if(NOT TARGET PostgreSQL::client)
  add_library(PostgreSQL::client INTERFACE IMPORTED)
  target_link_libraries(PostgreSQL::client INTERFACE PkgConfig::LIBPQ)
endif()
find_package(Poco REQUIRED COMPONENTS Foundation Data DataSQLite DataPostgreSQL Net NetSSL Zip)
find_package(GTest REQUIRED)
find_package(Threads REQUIRED)
