using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace OrderHub.Api.Persistence;

/// <summary>The one place that knows which database provider is in use.</summary>
public static class PersistenceRegistration
{
    public static IServiceCollection AddOrderHubPersistence(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        services.AddOptions<GroupCommitOptions>()
            .Bind(configuration.GetSection(GroupCommitOptions.SectionName))
            .Validate(o => o.GroupCommitMaxRequests is >= 1 and <= 1000, "Intake:GroupCommitMaxRequests must be between 1 and 1000.")
            .ValidateOnStart();
        services.AddSingleton<GroupCommit>();
        services.AddSingleton<DetectChangesOnce>();
        services.AddScoped<ReadAhead>();
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommit>());

        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();

        // Pooled contexts: every request and background step uses one, and setting one up costs more than a query.
        // The context holds no state of its own beyond what the pool resets; the interceptors are singletons.
        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                services.AddSingleton(new WriteGate(enabled: false));
                // Inserts and plain updates go in one batch of statements a save (RowCommandBatchPreparer).
                services.AddDbContextPool<PostgresOrderHubDbContext>((sp, o) => o.UseNpgsql(
                    options.ConnectionString,
                    npgsql => npgsql.EnableRetryOnFailure(3)).AddInterceptors(Interceptors(sp)).ConfigureWarnings(QuietExpectedFailures)
                    .ReplaceService<Microsoft.EntityFrameworkCore.Update.ICommandBatchPreparer, RowCommandBatchPreparer>());
                services.AddScoped<OrderHubDbContext>(sp => sp.GetRequiredService<PostgresOrderHubDbContext>());
                break;
            case DatabaseProvider.SqlServer:
                // The retrying strategy also re-runs a transaction chosen as a deadlock victim (1205).
                services.AddSingleton(new WriteGate(enabled: false));
                services.AddDbContextPool<SqlServerOrderHubDbContext>((sp, o) => o.UseSqlServer(
                    options.ConnectionString,
                    sql => sql.EnableRetryOnFailure(3)).AddInterceptors(Interceptors(sp)).ConfigureWarnings(QuietExpectedFailures));
                services.AddScoped<OrderHubDbContext>(sp => sp.GetRequiredService<SqlServerOrderHubDbContext>());
                break;
            default:
                var connectionString = SqliteConnectionString(options, environment);
                var sqliteSetup = new SqliteConnectionSetup(busyTimeoutMilliseconds: 30_000, options.SqliteSynchronous ?? SqliteSynchronous.Full);
                var gate = new WriteGate(enabled: true, maxDefer: options.SqliteIntakeMaxDefer);
                var gateInterceptor = new WriteGateInterceptor(gate);
                services.AddSingleton(gate);
                // The statements of a save are built before its transaction begins (PreparedBatchExecutor): the gate
                // is then held only to run them. Inserts and plain updates skip EF's per-row command building
                // (RowCommandBatchPreparer).
                services.AddDbContextPool<SqliteOrderHubDbContext>((sp, o) => o.UseSqlite(connectionString)
                    .AddInterceptors(Interceptors(sp).Append(sqliteSetup).Append(gateInterceptor)).ConfigureWarnings(QuietExpectedFailures)
                    .ReplaceService<Microsoft.EntityFrameworkCore.Update.IBatchExecutor, PreparedBatchExecutor>()
                    .ReplaceService<Microsoft.EntityFrameworkCore.Update.ICommandBatchPreparer, RowCommandBatchPreparer>());
                services.AddScoped<OrderHubDbContext>(sp => sp.GetRequiredService<SqliteOrderHubDbContext>());
                break;
        }

        return services;
    }

    /// <summary>The application's interceptors, after the one that detects a save's changes for all of them.</summary>
    private static IEnumerable<IInterceptor> Interceptors(IServiceProvider services) =>
        services.GetServices<IInterceptor>().Prepend(services.GetRequiredService<DetectChangesOnce>());

    /// <summary>
    /// EF logs every failed save and command at Error, before the caller sees the exception. Some failures are
    /// expected outcomes (a concurrent copy of a webhook losing the unique-key race is how idempotency works), so
    /// EF's own lines go to Debug; the code that catches a failure decides how loud it is, and anything nobody
    /// catches is logged at Error by the exception handler or the background service it reaches. And an order's
    /// address is meant to read back as none when every field of it is empty (pickup orders have none), which is
    /// what EF warns about at start for an owned type sharing the order's table.
    /// </summary>
    private static void QuietExpectedFailures(WarningsConfigurationBuilder warnings) =>
        warnings.Log((CoreEventId.SaveChangesFailed, LogLevel.Debug), (RelationalEventId.CommandError, LogLevel.Debug))
            .Ignore(RelationalEventId.OptionalDependentWithoutIdentifyingPropertyWarning);

    /// <summary>Creates the database if needed and applies every pending migration.</summary>
    public static async Task MigrateOrderHubDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers run beside the one writer; set once, it sticks to the file.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }

        if (options.UsesDeprecatedSqlitePath)
        {
            scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseOptions))
                .LogWarning("Database:SqlitePath is deprecated and will be removed: set Database:ConnectionString to \"Data Source={Path}\" instead.", options.SqlitePath);
        }

        if (options.MigrateOnStartup)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    private static string SqliteConnectionString(DatabaseOptions options, IHostEnvironment environment)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(options.SqliteConnectionString);
        }
        catch (ArgumentException)
        {
            // The options validation names the setting when the host starts.
            return options.SqliteConnectionString;
        }

        if (builder.DataSource is { Length: > 0 } source && source != ":memory:" && !source.StartsWith("file:", StringComparison.Ordinal))
        {
            builder.DataSource = Path.IsPathRooted(source) ? source : Path.Combine(environment.ContentRootPath, source);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        // Private cache: shared cache turns write contention into SQLITE_LOCKED, which is retried by
        // sleeping; with WAL, private connections wait on the busy timeout instead and readers never block.
        builder.Cache = SqliteCacheMode.Private;
        builder.DefaultTimeout = 30;
        builder.Pooling = true;
        return builder.ToString();
    }
}

/// <summary>Names every Database setting that is missing, malformed or meant for another provider.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
