using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace OrderHub.Api.Persistence;

/// <summary>Provider error codes, in one place, so handlers stay provider-neutral.</summary>
public static class DbErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqlServerDuplicateKeyInUniqueIndex = 2601;
    private const int SqlServerDuplicateKeyInConstraint = 2627;

    // Deadlock victims (SQL Server 1205, PostgreSQL 40P01) are not mapped here: both providers run with EF's
    // retrying execution strategy, whose transient-error lists hold them, so such a transaction is run again.

    /// <summary>Whether the save failed on a unique index or key: another writer stored the same thing first.</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException { SqliteErrorCode: SqliteConstraint } sqlite =>
            sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqlException sql => sql.Number is SqlServerDuplicateKeyInUniqueIndex or SqlServerDuplicateKeyInConstraint,
        _ => false,
    };
}
