using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Drills;

/// <summary>Where the built OrderHub and simulators are, and how the drills run them.</summary>
public sealed record DrillEnvironment(string RepoRoot, string ApiDll, string SimulatorsDll, string LogDirectory, bool Quick);

/// <summary>
/// One drill's world: a fresh PostgreSQL database, the simulators, and OrderHub instances sharing the database
/// with distinct <c>Dispatcher:InstanceId</c>s and short leases, so a killed instance's work is free again quickly.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    public const string ApiKey = "drills-api-key-0123456789abcdef";
    /// <summary>
    /// Simulated Poster accounts <c>drill-1</c> … <c>drill-10</c>, spots 1 and 2 each: one account per restaurant,
    /// as in life, so a lookup lists one restaurant's orders, not the whole run's.
    /// </summary>
    public const int PosterAccounts = 10;

    public static string PosterAccount(int index) => $"drill-{index + 1}";

    public static string PosterToken(int index) => $"{861100 + index}:0123456789abcdef0123456789abcdef";

    private readonly DrillEnvironment _env;
    private readonly string _drill;
    private readonly List<DrillProcess> _instances = [];

    private Cluster(DrillEnvironment env, string drill, string connectionString, DrillProcess simulators, string webhookSecret)
    {
        _env = env;
        _drill = drill;
        ConnectionString = connectionString;
        Simulators = simulators;
        WebhookSecret = webhookSecret;
        Control = new HttpClient { BaseAddress = new Uri(simulators.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string ConnectionString { get; }

    public DrillProcess Simulators { get; }

    public HttpClient Control { get; }

    public string WebhookSecret { get; }

    public IReadOnlyList<DrillProcess> Instances => _instances;

    public static async Task<Cluster> StartAsync(DrillEnvironment env, string drill)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await PostgresServer.Instance.CreateDatabaseAsync()) { MaxPoolSize = 30 }.ConnectionString;
        var secret = StandardWebhookSignature.GenerateSecret();
        var settings = new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Warning",
            ["Simulators__WebhookSecrets__0"] = secret,
        };
        for (var i = 0; i < PosterAccounts; i++)
        {
            // Index 0 is the simulators' own demo account.
            var account = $"Simulators__PosterAccounts__{i + 1}__";
            settings[account + "Account"] = PosterAccount(i);
            settings[account + "Token"] = PosterToken(i);
            settings[account + "Spots__0__SpotId"] = "1";
            settings[account + "Spots__0__Name"] = "Spot 1";
            settings[account + "Spots__1__SpotId"] = "2";
            settings[account + "Spots__1__Name"] = "Spot 2";
        }

        var simulators = new DrillProcess($"{drill}-simulators", env.SimulatorsDll, DrillProcesses.FreePort(), settings, env.LogDirectory);
        await simulators.StartAsync("/control", TimeSpan.FromSeconds(60));
        return new Cluster(env, drill, connectionString, simulators, secret);
    }

    /// <summary>Starts an instance and waits until it is ready (migrations applied).</summary>
    public async Task<DrillProcess> StartInstanceAsync(string instanceId, IReadOnlyDictionary<string, string>? extra = null)
    {
        var existing = _instances.FirstOrDefault(i => i.Name == $"{_drill}-{instanceId}");
        var process = existing ?? new DrillProcess($"{_drill}-{instanceId}", _env.ApiDll, DrillProcesses.FreePort(), Settings(instanceId, extra), _env.LogDirectory);
        await process.StartAsync("/health/ready", TimeSpan.FromSeconds(90));
        if (existing is null)
        {
            _instances.Add(process);
        }

        return process;
    }

    private Dictionary<string, string> Settings(string instanceId, IReadOnlyDictionary<string, string>? extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__OrderHub.Api.Dispatching"] = "Warning",
            ["Database__Provider"] = "Postgres",
            ["Database__ConnectionString"] = ConnectionString,
            ["Auth__ApiKeys__0__Name"] = "drills",
            ["Auth__ApiKeys__0__Key"] = ApiKey,
            ["Dispatcher__InstanceId"] = instanceId,
            ["Dispatcher__LeaseDuration"] = "00:00:20",
            ["Dispatcher__AttemptTimeout"] = "00:00:08",
            ["Dispatcher__PollInterval"] = "00:00:01",
            ["Dispatcher__DrainTimeout"] = "00:00:05",
            ["Pos__Resilience__AttemptTimeout"] = "00:00:03",
            ["Pos__Resilience__BreakDuration"] = "00:00:05",
            ["Pos__Resilience__SamplingDuration"] = "00:00:10",
            ["Poster__BaseUrlTemplate"] = Simulators.BaseUrl + "/poster/{account}/api/",
            // The webhook POS simulator is on loopback, over http: allowed as an on-premise POS would be.
            ["Outbound__AllowHttp"] = "true",
            ["Outbound__AllowedPrivateNetworks__0"] = "127.0.0.0/8",
            // Poster stamps an order with the time of the attempt; the simulator shares this machine's clock, so
            // the shortest allowed margin keeps each lookup to the orders of about two minutes.
            ["Poster__LookupMargin"] = "00:01:00",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public HttpClient Api(DrillProcess instance)
    {
        var client = new HttpClient { BaseAddress = new Uri(instance.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public async Task FaultsAsync(object settings) =>
        (await Control.PostAsJsonAsync("control", settings)).EnsureSuccessStatusCode();

    /// <summary>What the simulated POS systems received, without bodies.</summary>
    public async Task<IReadOnlyList<ReceivedOrder>> ReceivedAsync()
    {
        var json = await Control.GetStringAsync("control/orders?body=false");
        return JsonSerializer.Deserialize<List<ReceivedOrder>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    public async Task<JsonElement> StatsAsync() => JsonDocument.Parse(await Control.GetStringAsync("control/stats")).RootElement.Clone();

    public async Task<T> QueryAsync<T>(string sql, Func<NpgsqlDataReader, Task<T>> read)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 60 };
        await using var reader = await command.ExecuteReaderAsync();
        return await read(reader);
    }

    /// <summary>Orders per export state.</summary>
    public Task<Dictionary<string, int>> StatesAsync() => QueryAsync("""SELECT "ExportState", count(*)::int FROM "Orders" GROUP BY 1""", async reader =>
    {
        var states = new Dictionary<string, int>();
        while (await reader.ReadAsync())
        {
            states[reader.GetString(0)] = reader.GetInt32(1);
        }

        return states;
    });

    /// <summary>Export queue rows not done, by state, lease, due time, attempts and owner: what a stuck run was waiting for.</summary>
    public Task<string> OpenQueueAsync() => QueryAsync(
        """
        SELECT "State"::text, ("LeaseUntil" IS NOT NULL AND "LeaseUntil" > now()) AS leased, ("NextAttemptAt" > now()) AS later,
               "Attempts", coalesce(split_part("LeaseOwner", '/', 1), '-') AS owner, count(*)::int, coalesce(left("LastError", 120), '-')
        FROM "ExportQueue" WHERE "State"::text NOT IN ('Done', '3') GROUP BY 1, 2, 3, 4, 5, 7 ORDER BY 6 DESC LIMIT 8
        """, async reader =>
    {
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetString(0)} leased={reader.GetBoolean(1)} later={reader.GetBoolean(2)} attempts={reader.GetInt32(3)} owner={reader.GetString(4)} last error {reader.GetString(6)}: {reader.GetInt32(5)}");
        }

        return rows.Count == 0 ? "none" : string.Join("; ", rows);
    });

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            instance.Kill();
        }

        Simulators.Kill();
        Control.Dispose();
        await Task.CompletedTask;
    }
}

public sealed record ReceivedOrder(string Target, string Kind, string PosOrderId, string? MessageId, string? Marker, DateTimeOffset ReceivedAt);
