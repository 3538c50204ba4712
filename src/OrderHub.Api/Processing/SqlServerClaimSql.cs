using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;

namespace OrderHub.Api.Processing;

/// <summary>
/// The four queues' claims in SQL Server's own form, for the processing engine's SQL Server seam: one statement
/// picks the oldest due rows, skips rows another instance holds locked (<c>READPAST</c>) instead of waiting for
/// them, leases them to <c>@token</c> and returns their ids. The portable claim (select the candidates, then a
/// conditional <c>UPDATE</c>) is also correct on SQL Server — an <c>UPDATE</c> takes a U lock on each row and
/// evaluates its condition on the row's current committed version, so of two racing instances exactly one leases
/// a row — but it takes two round trips, and an instance waits behind another's locks rather than passing them.
/// Each statement sets exactly what the portable claim of the same queue sets, and the inbox's passes over the
/// ordering keys another claim holds, as the portable one does.
/// </summary>
public static class SqlServerClaimSql
{
    public const string Export = """
        WITH [due] AS (
            SELECT TOP (@count) * FROM [ExportQueue] WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE [State] = N'Pending' AND [NextAttemptAt] <= @now AND ([LeaseUntil] IS NULL OR [LeaseUntil] < @now)
            ORDER BY [NextAttemptAt], [CreatedAt])
        UPDATE [due] SET
            [MayHaveReachedPos] = CASE WHEN [MayHaveReachedPos] = CAST(1 AS bit) OR [LeaseOwner] IS NOT NULL THEN CAST(1 AS bit) ELSE CAST(0 AS bit) END,
            [LeaseUntil] = @leaseUntil,
            [LeaseOwner] = @token,
            [Attempts] = [Attempts] + 1,
            [FirstAttemptAt] = COALESCE([FirstAttemptAt], @now),
            [UpdatedAt] = @now
        OUTPUT inserted.[Id] AS [Value];
        """;

    public const string Fiscal = """
        WITH [due] AS (
            SELECT TOP (@count) * FROM [FiscalReceipts] WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE [State] IN (N'Pending', N'SentToPrint', N'Unclear') AND [NextAttemptAt] <= @now AND ([LeaseUntil] IS NULL OR [LeaseUntil] < @now)
            ORDER BY [NextAttemptAt])
        UPDATE [due] SET
            [LeaseUntil] = @leaseUntil,
            [LeaseOwner] = @token,
            [Attempts] = [Attempts] + 1,
            [UpdatedAt] = @now
        OUTPUT inserted.[Id] AS [Value];
        """;

    public const string Alert = """
        WITH [due] AS (
            SELECT TOP (@count) * FROM [AlertMessages] WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE [State] = N'Pending' AND [NextAttemptAt] <= @now AND ([LeaseUntil] IS NULL OR [LeaseUntil] < @now)
            ORDER BY [NextAttemptAt], [CreatedAt])
        UPDATE [due] SET
            [LeaseUntil] = @leaseUntil,
            [LeaseOwner] = @token,
            [Attempts] = [Attempts] + 1
        OUTPUT inserted.[Id] AS [Value];
        """;

    public const string Inbox = """
        WITH [due] AS (
            SELECT TOP (@count) * FROM [InboxEvents] WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE [State] = N'Received' AND [NextAttemptAt] <= @now AND ([LeaseUntil] IS NULL OR [LeaseUntil] < @now)
                AND ([OrderingKey] IS NULL OR NOT EXISTS (
                    SELECT 1 FROM [InboxEvents] AS [held]
                    WHERE [held].[CompanyId] = [InboxEvents].[CompanyId] AND [held].[OrderingKey] = [InboxEvents].[OrderingKey]
                        AND [held].[LeaseUntil] >= @now))
            ORDER BY [NextAttemptAt], [Id])
        UPDATE [due] SET
            [LeaseUntil] = @leaseUntil,
            [LeaseOwner] = @token,
            [Attempts] = [Attempts] + 1
        OUTPUT inserted.[Id] AS [Value];
        """;

    /// <summary>
    /// The export entries of an outcome write (<see cref="ClaimSql.HeldExportEntries"/>), read inside its transaction
    /// with update locks held to its end: a claim's <c>READPAST</c> passes them, so no claim takes them in between.
    /// </summary>
    public const string HeldExport = """
        SELECT * FROM [ExportQueue] WITH (UPDLOCK, ROWLOCK)
        WHERE [Id] IN (SELECT CAST([value] AS uniqueidentifier) FROM OPENJSON(@ids));
        """;

    /// <summary>A list of ids as the JSON array <see cref="HeldExport"/> reads with <c>OPENJSON</c>.</summary>
    public static SqlParameter Ids(IReadOnlyList<Guid> ids) =>
        new("@ids", System.Data.SqlDbType.NVarChar, -1) { Value = System.Text.Json.JsonSerializer.Serialize(ids) };

    /// <summary>Every statement, named, for the T-SQL parse test.</summary>
    public static IReadOnlyList<(string Name, string Sql)> All { get; } =
        [(nameof(Export), Export), (nameof(Fiscal), Fiscal), (nameof(Alert), Alert), (nameof(Inbox), Inbox)];

    /// <summary>
    /// Runs one of the claims above (outside any transaction: it is one statement) and returns the ids it leased
    /// to <paramref name="token"/>, at most <paramref name="count"/>.
    /// </summary>
    public static async Task<List<Guid>> ClaimAsync(
        OrderHubDbContext db, string claimSql, int count, DateTimeOffset now, DateTimeOffset leaseUntil, string token, CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<Guid>(
            claimSql,
            new SqlParameter("@count", count),
            new SqlParameter("@now", now),
            new SqlParameter("@leaseUntil", leaseUntil),
            new SqlParameter("@token", System.Data.SqlDbType.NVarChar, 64) { Value = token })
            .ToListAsync(cancellationToken);
}
