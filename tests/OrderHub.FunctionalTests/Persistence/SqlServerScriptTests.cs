using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using TSql160Parser = Microsoft.SqlServer.TransactSql.ScriptDom.TSql160Parser;
using OrderHub.Api.Persistence;
using OrderHub.Api.Processing;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Persistence;

/// <summary>
/// SQL Server without a server: everything OrderHub would send it — the migration scripts, the statements EF
/// writes at run time (the queue claims, reads, set-based updates) and OrderHub's own SQL Server statements —
/// parsed by Microsoft's T-SQL parser, and the model checked against the limits SQL Server enforces when it
/// creates the tables. The functional suite itself runs on SQL Server only where one is available.
/// </summary>
public sealed partial class SqlServerScriptTests
{
    [Fact]
    public void The_migration_scripts_parse_as_TSql_and_the_model_has_no_pending_changes()
    {
        using var db = NewContext();
        var migrator = db.GetService<IMigrator>();
        var migrations = db.Database.GetMigrations().ToList();

        var idempotent = migrator.GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        // The idempotent script wraps some statements in EXEC(N'…'), which the parser sees as a string: the plain
        // script has them bare.
        var plain = migrator.GenerateScript();
        var down = migrator.GenerateScript(fromMigration: migrations[^1], toMigration: Migration.InitialDatabase);

        migrations.ShouldNotBeEmpty();
        idempotent.ShouldContain("CREATE TABLE [Orders]");
        TSql.Errors(idempotent).ShouldBeEmpty();
        TSql.Errors(plain).ShouldBeEmpty();
        TSql.Errors(down).ShouldBeEmpty();
        db.Database.HasPendingModelChanges().ShouldBeFalse(
            "The model changed without a SQL Server migration: run scripts/add-migration <Name> and commit the files.");
    }

    [Fact]
    public async Task OrderHubs_own_SQL_Server_claims_parse_as_TSql_as_sent()
    {
        var recorder = new SqlRecorder();
        await using var db = NewContext(recorder);
        var now = DateTimeOffset.UtcNow;

        foreach (var (_, sql) in SqlServerClaimSql.All)
        {
            await SqlServerClaimSql.ClaimAsync(db, sql, 10, now, now.AddMinutes(1), "instance-a/0123456789abcdef", CancellationToken.None);
        }

        recorder.Statements.Count.ShouldBe(SqlServerClaimSql.All.Count);
        foreach (var statement in recorder.Statements)
        {
            statement.ShouldContain("WITH (UPDLOCK, READPAST, ROWLOCK)");
            TSql.Errors(statement).ShouldBeEmpty(statement);
        }
    }

    [Fact]
    public async Task The_export_outcome_writes_read_of_its_held_entries_parses_as_TSql_as_sent()
    {
        var recorder = new SqlRecorder();
        await using var db = NewContext(recorder);

        // The recorder answers with columns of its own, which EF's FromSql refuses once the statement was sent.
        await Should.ThrowAsync<InvalidOperationException>(() => ClaimSql.HeldExportEntries(db, [Guid.NewGuid(), Guid.NewGuid()]).ToListAsync());

        var statement = recorder.Statements.ShouldHaveSingleItem();
        statement.ShouldContain("WITH (UPDLOCK, ROWLOCK)");
        TSql.Errors(statement).ShouldBeEmpty(statement);
    }

    [Fact]
    public async Task A_broken_statement_sent_through_EF_is_recorded_and_refused_by_the_parser()
    {
        var recorder = new SqlRecorder();
        await using var db = NewContext(recorder);

        // PostgreSQL's claim: not T-SQL.
        await db.Database.ExecuteSqlRawAsync("""UPDATE "ExportQueue" SET "LeaseOwner" = 'x' WHERE "Id" IN (SELECT "Id" FROM "ExportQueue" LIMIT 5 FOR UPDATE SKIP LOCKED)""");
        await db.ExportQueue.Where(e => e.Attempts > 3).ExecuteUpdateAsync(set => set.SetProperty(e => e.Attempts, 0));

        recorder.Statements.Count.ShouldBe(2);
        TSql.Errors(recorder.Statements.First()).ShouldNotBeEmpty();
        TSql.Errors(recorder.Statements.Last()).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_statements_OrderHub_sends_at_run_time_parse_as_TSql()
    {
        var recorder = new SqlRecorder();
        await using var host = new OrderHubFactory(new NoServerDatabase(), new Dictionary<string, string?>
        {
            ["Dispatcher:Enabled"] = "true",
            ["Fiscal:WorkerEnabled"] = "true",
            ["Telegram:Enabled"] = "true",
            ["Retention:Enabled"] = "true",
        });
        await using var app = host.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IInterceptor>(recorder)));
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", OrderHubFactory.ApiKey);

        foreach (var path in new[] { "/api/orders", "/api/orders?state=Failed", "/api/unrouted", "/api/inbox/parked", "/api/companies", "/api/cities" })
        {
            await api.GetAsync(new Uri(path, UriKind.Relative));
        }

        // The four queues' claims (SqlServerClaimSql's, through the engine) and the releases of this instance's
        // leases at start (EF's set-based updates) are the statements whose SQL Server form matters most.
        string[] queues = ["ExportQueue", "FiscalReceipts", "AlertMessages", "InboxEvents"];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!queues.All(q => recorder.Statements.Any(s => s.Contains("WITH (UPDLOCK, READPAST, ROWLOCK)", StringComparison.Ordinal) && s.Contains($"FROM [{q}]", StringComparison.Ordinal))
                                && recorder.Statements.Any(s => s.StartsWith("UPDATE [", StringComparison.Ordinal) && s.Contains($"FROM [{q}]", StringComparison.Ordinal))))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "every queue's claim ran; the app's errors: " + string.Join("\n", host.Logs.Lines.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase))));
            await Task.Delay(20);
        }

        var statements = recorder.Statements.Distinct().ToList();
        statements.Count.ShouldBeGreaterThan(10);
        foreach (var statement in statements)
        {
            TSql.Errors(statement).ShouldBeEmpty(statement);
        }
    }

    [Fact]
    public void The_model_fits_the_limits_SQL_Server_enforces_on_indexes_and_cascades()
    {
        using var db = NewContext();
        var model = db.GetService<IDesignTimeModel>().Model.GetRelationalModel();

        foreach (var table in model.Tables)
        {
            foreach (var index in table.Indexes.Cast<ITableIndex>().Select(i => (i.Name, i.Columns))
                         .Concat(table.UniqueConstraints.Select(u => (u.Name, u.Columns))))
            {
                index.Columns.ShouldNotContain(c => c.StoreType.Contains("(max)", StringComparison.OrdinalIgnoreCase), $"{index.Name}: a (max) column cannot be an index key");
                index.Columns.Sum(KeyBytes).ShouldBeLessThanOrEqualTo(1700, $"{index.Name}: SQL Server's index key limit");
            }
        }

        // SQL Server refuses a foreign key that opens a second cascading path (or a cycle) from one table to another.
        var cascades = model.Tables.SelectMany(t => t.ForeignKeyConstraints)
            .Where(fk => fk.OnDeleteAction is ReferentialAction.Cascade or ReferentialAction.SetNull or ReferentialAction.SetDefault)
            .ToLookup(fk => fk.PrincipalTable.Name, fk => fk.Table.Name);
        foreach (var root in model.Tables.Select(t => t.Name))
        {
            var reached = new List<string>();
            var pending = new Stack<string>([root]);
            while (pending.TryPop(out var table))
            {
                foreach (var dependent in cascades[table])
                {
                    dependent.ShouldNotBe(root, $"a cascade cycle through {root}");
                    reached.ShouldNotContain(dependent, $"two cascading paths from {root} to {dependent}");
                    reached.Add(dependent);
                    pending.Push(dependent);
                }
            }
        }
    }

    private static int KeyBytes(IColumn column)
    {
        var match = SizedType().Match(column.StoreType);
        return match.Success
            ? int.Parse(match.Groups["size"].Value, System.Globalization.CultureInfo.InvariantCulture) * (match.Groups["type"].Value.StartsWith('n') ? 2 : 1)
            : column.StoreType switch
            {
                "uniqueidentifier" => 16,
                "bigint" or "datetimeoffset" or "datetime2" or "float" => 10,
                "int" or "real" => 4,
                "smallint" => 2,
                "bit" or "tinyint" => 1,
                "date" => 3,
                var other when other.StartsWith("decimal", StringComparison.Ordinal) => 17,
                var other => throw new InvalidOperationException($"{column.Name}: no key size known for {other}"),
            };
    }

    [GeneratedRegex(@"^(?<type>n?varchar|n?char|varbinary|binary)\((?<size>\d+)\)$")]
    private static partial Regex SizedType();

    private static SqlServerOrderHubDbContext NewContext(SqlRecorder? recorder = null)
    {
        var options = new DbContextOptionsBuilder<SqlServerOrderHubDbContext>().UseSqlServer(NoServerDatabase.ConnectionString);
        if (recorder is not null)
        {
            options.AddInterceptors(recorder);
        }

        return new SqlServerOrderHubDbContext(options.Options);
    }

    /// <summary>Settings for OrderHub on SQL Server with nothing behind them: the recorder answers every command.</summary>
    private sealed class NoServerDatabase : ITestDatabase
    {
        public const string ConnectionString = "Server=127.0.0.1,1;Database=never_opened;Connect Timeout=1";

        public string Provider => "SqlServer";

        public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["Database:ConnectionString"] = ConnectionString,
            ["Database:MigrateOnStartup"] = "false",
        };

        public Task CreateAsync() => Task.CompletedTask;

        public Task CreateEmptyAsync() => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>Microsoft's T-SQL parser (SQL Server 2022), with the session defaults of Microsoft.Data.SqlClient.</summary>
public static class TSql
{
    public static IReadOnlyList<string> Errors(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors.Select(e => $"line {e.Line}: {e.Message}").ToList();
    }
}

/// <summary>
/// Stands in for a SQL Server: records the text of every command and answers it without a connection: no rows,
/// (a result as wide as any query), except one id for a query of ids alone (a queue's candidates), so that the claim that follows it runs too;
/// one row affected by every update.
/// </summary>
public sealed partial class SqlRecorder : IDbConnectionInterceptor, IDbCommandInterceptor, IDbTransactionInterceptor
{
    private readonly ConcurrentQueue<string> _statements = new();

    public IReadOnlyCollection<string> Statements => _statements;

    public InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(InterceptionResult.Suppress());

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        ValueTask.FromResult(InterceptionResult.Suppress());

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result) =>
        InterceptionResult<DbTransaction>.SuppressWithResult(new NoTransaction(connection, eventData.IsolationLevel));

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionStarting(connection, eventData, result));

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        _statements.Enqueue(command.CommandText);
        var table = new DataTable();
        if (IdsOnly().IsMatch(command.CommandText))
        {
            table.Columns.Add("Id", typeof(Guid));
            table.Rows.Add(Guid.NewGuid());
        }
        else
        {
            // EF checks that a result has at least the columns it asked for, before reading no rows.
            for (var i = 0; i < 256; i++)
            {
                table.Columns.Add("c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), typeof(object));
            }
        }

        return InterceptionResult<DbDataReader>.SuppressWithResult(table.CreateDataReader());
    }

    public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ReaderExecuting(command, eventData, result));

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        _statements.Enqueue(command.CommandText);
        return InterceptionResult<int>.SuppressWithResult(1);
    }

    public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(NonQueryExecuting(command, eventData, result));

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        _statements.Enqueue(command.CommandText);
        return InterceptionResult<object>.SuppressWithResult(DBNull.Value);
    }

    public ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ScalarExecuting(command, eventData, result));

    [GeneratedRegex(@"^SELECT TOP\(@\w+\) \[\w+\]\.\[Id\]\s+FROM ")]
    private static partial Regex IdsOnly();

    private sealed class NoTransaction(DbConnection connection, IsolationLevel isolationLevel) : DbTransaction
    {
        public override IsolationLevel IsolationLevel => isolationLevel;

        protected override DbConnection DbConnection => connection;

        public override void Commit()
        {
        }

        public override void Rollback()
        {
        }
    }
}
