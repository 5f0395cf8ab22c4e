// tally stores three fruits in an in-memory SQLite database and prints how many it counted: a C++
// program linked against a shared library (libsqlite3) that the slim runtime has to install.
#include <sqlite3.h>

#include <iostream>
#include <string>

int main() {
    sqlite3 *db = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        std::cerr << "cannot open database\n";
        return 1;
    }
    const char *sql =
        "CREATE TABLE fruit(name TEXT);"
        "INSERT INTO fruit VALUES ('apple'), ('pear'), ('plum');";
    char *err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::cerr << err << "\n";
        return 1;
    }
    sqlite3_stmt *stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM fruit", -1, &stmt, nullptr);
    sqlite3_step(stmt);
    std::cout << "tally: " << sqlite3_column_int(stmt, 0) << " fruits (sqlite " << sqlite3_libversion() << ")\n";
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return 0;
}
