# Every dependency comes from a Debian package installed by scripts/setup.
find_package(PkgConfig REQUIRED)
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
find_package(tomlplusplus REQUIRED)
find_package(Poco REQUIRED COMPONENTS Foundation Data DataSQLite Net NetSSL Zip)
find_package(GTest REQUIRED)
find_package(Threads REQUIRED)
