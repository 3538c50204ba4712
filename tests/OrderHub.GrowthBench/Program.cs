using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.GrowthBench;

// dotnet run -c Release --project tests/OrderHub.GrowthBench -- --provider sqlite|postgres [--orders 1000000]
//   [--ingest-seconds 15] [--connections 64] [--requests 500] [--points 8] [--days 90]
/// <summary>The growth benchmark's entry point (not named Program: OrderHub.Api's Program is the app under test).</summary>
internal static class GrowthBenchMain
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var options = Args.Parse(args);
        var repositoryRoot = RepositoryRoot();

        // WebApplicationFactory finds the app's content root through MvcTestingAppManifest.json in the current directory.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var postgres = options.Provider == "postgres";
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "dots");
        var acceptedTemplate = await File.ReadAllTextAsync(Path.Combine(fixtures, "order-accepted-delivery.json"));
        var statusTemplate = await File.ReadAllTextAsync(Path.Combine(fixtures, "order-status-changed.json"));

        Dictionary<string, string?> settings;
        string? sqlitePath = null;
        string? connectionString = null;
        if (postgres)
        {
            // The app's pool as in production (100), not the tests' 20: 64 connections post at once.
            connectionString = new NpgsqlConnectionStringBuilder(await PostgresServer.Instance.CreateDatabaseAsync()) { MaxPoolSize = 100 }.ConnectionString;
            settings = new() { ["Database:Provider"] = "Postgres", ["Database:ConnectionString"] = connectionString };
        }
        else
        {
            var directory = Path.Combine(Path.GetTempPath(), "orderhub-growth", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            sqlitePath = Path.Combine(directory, "orderhub.db");
            settings = new() { ["Database:Provider"] = "Sqlite", ["Database:ConnectionString"] = $"Data Source={sqlitePath}" };
        }

        var loadBefore = LoadAverage();
        var tenant = new BenchTenant();
        Console.WriteLine($"Growth benchmark: {options.Provider}, {options.Orders:N0} orders, {Environment.ProcessorCount} cores");

        // 1. Empty database: migrate by starting the app, create the tenant, measure ingest.
        Ingest.Result empty;
        await using (var host = new BenchHost(settings))
        {
            var address = host.Start();
            await tenant.CreateAsync(host.Services, options.Points);
            var ingest = new Ingest(address, tenant, acceptedTemplate);
            await ingest.RunAsync(options.Connections, TimeSpan.FromSeconds(3)); // warm-up: JIT, pools
            empty = await ingest.RunAsync(options.Connections, options.IngestDuration);
            Console.WriteLine($"ingest, empty database: {empty.PerSecond:F0} orders/s ({empty.Accepted} in {empty.Elapsed.TotalSeconds:F1} s, {empty.Failed} failed {empty.FirstError})");
        }

        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();

        // 2. Seed with the provider's bulk path while the app is stopped.
        var seeder = new Seeder(tenant, acceptedTemplate, statusTemplate);
        var end = DateTimeOffset.UtcNow.AddMinutes(-10);
        TimeSpan seedTime;
        var after = Stopwatch.StartNew();
        await using (ISeedSink sink = postgres ? await PostgresSeedSink.OpenAsync(connectionString!) : await SqliteSeedSink.OpenAsync(sqlitePath!))
        {
            seedTime = await seeder.SeedAsync(sink, options.Orders, TimeSpan.FromDays(options.Days), end);
        }

        Console.WriteLine($"seed: {options.Orders:N0} orders in {seedTime.TotalSeconds:F0} s");
        after.Restart();
        if (postgres)
        {
            // What autovacuum would do soon after a load this size: statistics and the visibility map.
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("VACUUM (ANALYZE)", connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync();
        }

        var vacuumTime = after.Elapsed;
        var databaseSize = await DatabaseSizeAsync();

        // 3. The same app on the grown database. The machine is shared, so the verdict compares the grown
        // database with a second empty one in alternating rounds: background load drifts hit both alike.
        Ingest.Result full;
        Ingest.Result emptyAgain;
        Latency.Result list;
        Latency.Result timeline;
        string plans;
        string version;
        var settingsEmpty = await SecondDatabaseAsync();
        await using (var host = new BenchHost(settings))
        await using (var emptyHost = new BenchHost(settingsEmpty))
        {
            var address = host.Start();
            var emptyAddress = emptyHost.Start();
            var emptyTenant = new BenchTenant();
            await emptyTenant.CreateAsync(emptyHost.Services, options.Points);
            version = await ServerVersionAsync();
            plans = await Plans.ExplainAsync(host.Services, postgres, tenant.Points[0].Id, ExportState.AwaitingExport, seeder.SampleIds[^1]);
            var ingest = new Ingest(address, tenant, acceptedTemplate);
            var ingestEmpty = new Ingest(emptyAddress, emptyTenant, acceptedTemplate);
            await ingestEmpty.RunAsync(options.Connections, TimeSpan.FromSeconds(3));
            await ingest.RunAsync(options.Connections, TimeSpan.FromSeconds(3));
            var rounds = 3;
            var slice = options.IngestDuration / rounds;
            var fullRounds = new List<Ingest.Result>();
            var emptyRounds = new List<Ingest.Result>();
            for (var round = 0; round < rounds; round++)
            {
                emptyRounds.Add(await ingestEmpty.RunAsync(options.Connections, slice));
                fullRounds.Add(await ingest.RunAsync(options.Connections, slice));
            }

            full = Ingest.Result.Sum(fullRounds);
            emptyAgain = Ingest.Result.Sum(emptyRounds);
            Console.WriteLine($"ingest, {options.Orders:N0} orders present: {full.PerSecond:F0} orders/s ({full.Accepted} in {full.Elapsed.TotalSeconds:F1} s, {full.Failed} failed {full.FirstError}); rounds {string.Join(", ", fullRounds.Select(r => r.PerSecond.ToString("F0")))}");
            Console.WriteLine($"ingest, empty database alongside: {emptyAgain.PerSecond:F0} orders/s; rounds {string.Join(", ", emptyRounds.Select(r => r.PerSecond.ToString("F0")))}");

            ExportState[] states = [ExportState.Exported, ExportState.AwaitingExport, ExportState.Failed, ExportState.NeedsMapping, ExportState.Cancelled];
            list = await Latency.MeasureAsync(address, BenchHost.ApiKey,
                i => $"/api/orders?pickupPointId={tenant.Points[i % tenant.Points.Count].Id}&state={states[i / tenant.Points.Count % states.Length]}",
                50, options.Requests);
            Console.WriteLine($"list p50/p95/p99: {list.P50:F1}/{list.P95:F1}/{list.P99:F1} ms ({list.Errors} errors {list.FirstError})");
            var random = new Random(7);
            timeline = await Latency.MeasureAsync(address, BenchHost.ApiKey,
                _ => $"/api/orders/{seeder.SampleIds[random.Next(seeder.SampleIds.Count)]}", 50, options.Requests);
            Console.WriteLine($"timeline p50/p95/p99: {timeline.P50:F1}/{timeline.P95:F1}/{timeline.P99:F1} ms ({timeline.Errors} errors {timeline.FirstError})");
        }

        // 4. The table.
        var ratio = full.PerSecond / emptyAgain.PerSecond;
        var sequentialRatio = full.PerSecond / empty.PerSecond;
        var table = new StringBuilder()
            .AppendLine($"# Growth benchmark — {options.Provider}")
            .AppendLine()
            .AppendLine("| | |")
            .AppendLine("|---|---|")
            .AppendLine($"| date (UTC) | {DateTime.UtcNow:yyyy-MM-dd HH:mm} |")
            .AppendLine($"| machine | {Environment.ProcessorCount} cores shared with other work (load average at start {loadBefore}, at end {LoadAverage()}), {RuntimeInformation.OSDescription} |")
            .AppendLine($"| provider | {options.Provider} {version} |")
            .AppendLine($"| .NET | {RuntimeInformation.FrameworkDescription} |")
            .AppendLine($"| command | `dotnet run -c Release --project tests/OrderHub.GrowthBench -- {string.Join(' ', args)}` |")
            .AppendLine($"| seeded | {options.Orders:N0} orders over {options.Days} days at {options.Points} pickup points: 3 lines, 2 modifiers, 1 promotion, 4 history rows, 1–2 inbound events each; database {databaseSize} |")
            .AppendLine($"| load | {options.Connections} connections; ingest {options.IngestDuration.TotalSeconds:F0} s on the empty database before the seed, then {options.IngestDuration.TotalSeconds:F0} s each on the grown and on a second empty database in 3 alternating rounds, after 3 s warm-ups; Dispatcher and Retention off; {options.Requests} sequential GETs per query after 50 warm-up |")
            .AppendLine()
            .AppendLine("| figure | value | target | result |")
            .AppendLine("|---|---|---|---|")
            .AppendLine($"| ingest, empty database (before the seed) | {empty.PerSecond:F0} orders/s ({empty.Failed} failed; {Cpu(empty)}) | — | — |")
            .AppendLine($"| seed {options.Orders:N0} orders (bulk) | {seedTime.TotalSeconds:F0} s{(postgres ? $" + VACUUM ANALYZE {vacuumTime.TotalSeconds:F0} s" : "")} | — | — |")
            .AppendLine($"| ingest, {options.Orders:N0} orders present | {full.PerSecond:F0} orders/s ({sequentialRatio:P0} of the rate before the seed, {full.Failed} failed; {Cpu(full)}) | — | — |")
            .AppendLine($"| ingest, empty database alongside (alternating rounds) | {emptyAgain.PerSecond:F0} orders/s ({emptyAgain.Failed} failed; {Cpu(emptyAgain)}) | — | — |")
            .AppendLine($"| ingest with {options.Orders:N0} orders ÷ empty alongside | {ratio:P0} | ≥ 90 % | {Pass(ratio >= 0.9 && full.Failed == 0)} |")
            .AppendLine($"| `GET /api/orders?pickupPointId&state` p50 / p95 / p99 | {list.P50:F1} / {list.P95:F1} / {list.P99:F1} ms ({list.Errors} errors) | p95 ≤ 50 ms | {Pass(list.P95 <= 50 && list.Errors == 0)} |")
            .AppendLine($"| `GET /api/orders/{{id}}` (timeline) p50 / p95 / p99 | {timeline.P50:F1} / {timeline.P95:F1} / {timeline.P99:F1} ms ({timeline.Errors} errors) | p95 ≤ 50 ms | {Pass(timeline.P95 <= 50 && timeline.Errors == 0)} |")
            .ToString();
        Console.WriteLine();
        Console.WriteLine(table);
        var results = Path.Combine(repositoryRoot, "tests", "OrderHub.GrowthBench", "results");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, $"latest-{options.Provider}.md"),
            table + Environment.NewLine + "## Query plans on the seeded database" + Environment.NewLine + Environment.NewLine + plans);
        Console.WriteLine($"written to {Path.Combine(results, $"latest-{options.Provider}.md")}");
        if (sqlitePath is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(sqlitePath)!, recursive: true);
        }

        return 0;

        static string Pass(bool ok) => ok ? "PASS" : "FAIL";

        static string Cpu(Ingest.Result r) => $"{r.CpuPerOrder:F1} ms CPU/order in this process, {r.CoresBusy:F2} cores busy";

        static string LoadAverage() =>
            File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

        string RepositoryRoot()
        {
            for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "OrderHub.sln")))
                {
                    return directory.FullName;
                }
            }

            return Environment.CurrentDirectory;
        }

        async Task<Dictionary<string, string?>> SecondDatabaseAsync()
        {
            if (postgres)
            {
                var second = new NpgsqlConnectionStringBuilder(await PostgresServer.Instance.CreateDatabaseAsync()) { MaxPoolSize = 100 }.ConnectionString;
                return new() { ["Database:Provider"] = "Postgres", ["Database:ConnectionString"] = second };
            }

            return new() { ["Database:Provider"] = "Sqlite", ["Database:ConnectionString"] = $"Data Source={Path.Combine(Path.GetDirectoryName(sqlitePath!)!, "empty.db")}" };
        }

        async Task<string> DatabaseSizeAsync()
        {
            if (!postgres)
            {
                return $"{new FileInfo(sqlitePath!).Length / 1024.0 / 1024 / 1024:F2} GB";
            }

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_size_pretty(pg_database_size(current_database()))", connection);
            return (string)(await command.ExecuteScalarAsync())!;
        }

        async Task<string> ServerVersionAsync()
        {
            if (!postgres)
            {
                await using var sqlite = new SqliteConnection($"Data Source={sqlitePath}");
                await sqlite.OpenAsync();
                await using var c = sqlite.CreateCommand();
                c.CommandText = "SELECT sqlite_version()";
                return (string)(await c.ExecuteScalarAsync())! + " (WAL)";
            }

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SHOW server_version", connection);
            return (string)(await command.ExecuteScalarAsync())! + " (throwaway cluster: fsync off, shared_buffers default)";
        }
    }
}

internal sealed record Args(string Provider, int Orders, TimeSpan IngestDuration, int Connections, int Requests, int Points, int Days)
{
    public static Args Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }

        var provider = Value("--provider", "sqlite").ToLowerInvariant();
        if (provider is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException("--provider must be sqlite or postgres");
        }

        return new Args(provider, int.Parse(Value("--orders", "1000000")), TimeSpan.FromSeconds(int.Parse(Value("--ingest-seconds", "15"))),
            int.Parse(Value("--connections", "64")), int.Parse(Value("--requests", "500")), int.Parse(Value("--points", "8")),
            int.Parse(Value("--days", "90")));
    }
}
