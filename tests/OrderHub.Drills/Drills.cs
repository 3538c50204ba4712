using System.Globalization;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OrderHub.Drills;

/// <summary>One table row: what a drill sent, what the POS received, and whether that met the target.</summary>
public sealed record DrillResult(string Drill, int Orders, int Unique, int Lost, int Duplicated, TimeSpan Duration, double Rate, bool Pass, string Notes);

public static partial class DrillCatalog
{
    public static readonly string[] Names = ["duplicate-storm", "crash-loop", "pos-faults", "backlog-drain", "failover"];

    public static Task<DrillResult> RunAsync(string name, DrillEnvironment env) => name switch
    {
        "duplicate-storm" => DuplicateStormAsync(env),
        "crash-loop" => CrashLoopAsync(env),
        "pos-faults" => PosFaultsAsync(env),
        "backlog-drain" => BacklogDrainAsync(env),
        "failover" => FailoverAsync(env),
        _ => throw new ArgumentException($"Unknown drill {name}; known: {string.Join(", ", Names)}"),
    };

    /// <summary>Every order sent 5 times at once, the copies spread over two instances.</summary>
    private static async Task<DrillResult> DuplicateStormAsync(DrillEnvironment env)
    {
        var count = env.Quick ? 200 : 2_000;
        await using var cluster = await Cluster.StartAsync(env, "storm");
        var a = await cluster.StartInstanceAsync("storm-a");
        var b = await cluster.StartInstanceAsync("storm-b");
        var tenant = await DrillTenant.CreateAsync(cluster, cluster.Api(a), posterPoints: 2, webhookPoints: 2);
        var load = new DotsLoad(tenant, [() => a.BaseUrl, () => b.BaseUrl], "STORM");
        var orders = load.Orders(count);

        var clock = Stopwatch.StartNew();
        await load.SendAsync(orders, copies: 5, perSecond: env.Quick ? 60 : 80, inFlight: 16, Timeout(env, 300));
        var check = await Check.WaitAsync(cluster, orders, TimeSpan.FromSeconds(120));
        var dbOrders = (await cluster.StatesAsync()).Values.Sum();
        var pass = check.Clean && dbOrders == count;
        return check.Row("duplicate storm (5 copies, 2 instances)", clock.Elapsed, pass,
            $"{count * 5:N0} signed posts; orders stored {dbOrders:N0}; {check.Notes}");
    }

    /// <summary>kill -9 at random moments while orders flow; each killed instance is restarted under the same id.</summary>
    private static async Task<DrillResult> CrashLoopAsync(DrillEnvironment env)
    {
        var count = env.Quick ? 2_000 : 20_000;
        var kills = env.Quick ? 3 : 10;
        await using var cluster = await Cluster.StartAsync(env, "crash");
        var a = await cluster.StartInstanceAsync("crash-a");
        var b = await cluster.StartInstanceAsync("crash-b");
        // Twenty pickup points on ten Poster accounts: 20 orders/s each at the run's 200/s, so the lookup after a
        // kill lists one restaurant's orders of a few minutes.
        var tenant = await DrillTenant.CreateAsync(cluster, cluster.Api(a), posterPoints: 20, webhookPoints: 0);
        DrillProcess[] instances = [a, b];
        var load = new DotsLoad(tenant, [() => a.Running ? a.BaseUrl : null, () => b.Running ? b.BaseUrl : null], "CRASH");
        var orders = load.Orders(count);

        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var thresholds = Enumerable.Range(0, kills).Select(_ => (int)(count * (0.05 + 0.85 * Random.Shared.NextDouble()))).Order().ToList();
        var killed = 0;
        var killer = Task.Run(async () =>
        {
            foreach (var threshold in thresholds)
            {
                while (await Check.UniqueAsync(cluster) < threshold && clock.Elapsed < TimeSpan.FromMinutes(10))
                {
                    await Task.Delay(100, stop.Token);
                }

                // A random moment inside the window, then SIGKILL: attempts in flight are cut anywhere.
                await Task.Delay(Random.Shared.Next(0, 400), stop.Token);
                var victim = instances[killed % 2];
                victim.Kill();
                killed++;
                await Task.Delay(500, stop.Token);
                await cluster.StartInstanceAsync(victim.Name["crash-".Length..]);
            }
        });
        var sending = load.SendAsync(orders, copies: 1, perSecond: env.Quick ? 150 : 200, inFlight: 16, Timeout(env, 600));
        await Task.WhenAll(sending, killer);
        var check = await Check.WaitAsync(cluster, orders, TimeSpan.FromSeconds(180));
        await stop.CancelAsync();
        var states = await cluster.StatesAsync();
        var lookedUp = await cluster.QueryAsync("""SELECT count(*)::int FROM "OrderActions" WHERE "Message" LIKE '%not sent again%'""",
            async reader => await reader.ReadAsync() ? reader.GetInt32(0) : 0);
        var open = check.Clean ? "" : $"; open queue rows: {await cluster.OpenQueueAsync()}";
        return check.Row($"crash loop (kill -9 ×{killed}, Poster, {Cluster.PosterAccounts} accounts)", clock.Elapsed, check.Clean && killed == kills,
            $"{killed} kills, each restarted with its instance id; found at Poster by the marker lookup and not sent again {lookedUp}; intake retries {load.Retries:N0}; states {Check.Format(states)}{open}; {check.Notes}");
    }

    /// <summary>30 % 5xx, 10 % accept-then-time-out, 5 % 429 with Retry-After, and an outage in the middle.</summary>
    private static async Task<DrillResult> PosFaultsAsync(DrillEnvironment env)
    {
        var count = env.Quick ? 300 : 2_000;
        var outage = TimeSpan.FromSeconds(env.Quick ? 15 : 30);
        var retries = new Dictionary<string, string>
        {
            ["Dispatcher__RetrySchedule__0"] = "00:00:01",
            ["Dispatcher__RetrySchedule__1"] = "00:00:02",
            ["Dispatcher__RetrySchedule__2"] = "00:00:04",
            ["Dispatcher__RetrySchedule__3"] = "00:00:08",
            ["Dispatcher__MinimumPauseAfterThrottle"] = "00:00:02",
            ["Dispatcher__MaximumRetryAfter"] = "00:00:10",
        };
        await using var cluster = await Cluster.StartAsync(env, "faults");
        var a = await cluster.StartInstanceAsync("faults-a", retries);
        var b = await cluster.StartInstanceAsync("faults-b", retries);
        var tenant = await DrillTenant.CreateAsync(cluster, cluster.Api(a), posterPoints: 2, webhookPoints: 2);
        var load = new DotsLoad(tenant, [() => a.BaseUrl, () => b.BaseUrl], "FAULT");
        var orders = load.Orders(count);
        var faults = new { ErrorRate = 0.3, AcceptThenTimeoutRate = 0.1, TimeoutDelayMs = 5000, TooManyRequestsRate = 0.05, RetryAfterSeconds = 2 };
        await cluster.FaultsAsync(faults);

        var clock = Stopwatch.StartNew();
        var perSecond = env.Quick ? 20.0 : 40.0;
        var outageAt = count / perSecond * 0.3;
        var outageTask = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(outageAt));
            await cluster.FaultsAsync(new { Outage = true });
            await Task.Delay(outage);
            await cluster.FaultsAsync(faults);
        });
        await load.SendAsync(orders, copies: 1, perSecond, inFlight: 16, Timeout(env, 300));
        await outageTask;
        var recovery = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(10));
        await cluster.FaultsAsync(new { });
        var check = await Check.WaitAsync(cluster, orders, TimeSpan.FromSeconds(120));
        var stats = await cluster.StatsAsync();
        var states = await cluster.StatesAsync();
        return check.Row($"POS faults (30% 5xx, 10% accept+timeout, 5% 429, {outage.TotalSeconds:0} s outage)", clock.Elapsed, check.Clean,
            $"faults injected {stats.GetProperty("faults").GetInt32():N0}; create calls {stats.GetProperty("received").GetInt32():N0}; faults cleared at {recovery.TotalSeconds + 10:0} s; states {Check.Format(states)}; {check.Notes}");
    }

    /// <summary>Export slots per instance in the drain (OrderHub's default, <c>Dispatcher:Concurrency</c>).</summary>
    private const int DrainSlots = 64;

    /// <summary>
    /// A backlog built while no dispatcher runs (every instance down or with <c>Dispatcher:Enabled=false</c>),
    /// then two dispatching instances drain it: the rate, and the order of receipt per point against acceptance.
    /// </summary>
    private static async Task<DrillResult> BacklogDrainAsync(DrillEnvironment env)
    {
        var count = env.Quick ? 5_000 : BacklogFull;
        // The backlog is of received orders: the intake instances only store (no inbox processing, no dispatch), so
        // their kill leaves no claims behind and the drain starts from every order waiting in arrival order.
        var noDispatch = new Dictionary<string, string> { ["Dispatcher__Enabled"] = "false", ["Inbox__ProcessorEnabled"] = "false" };
        await using var cluster = await Cluster.StartAsync(env, "backlog");
        var a = await cluster.StartInstanceAsync("backlog-intake-a", noDispatch);
        var b = await cluster.StartInstanceAsync("backlog-intake-b", noDispatch);
        var tenant = await DrillTenant.CreateAsync(cluster, cluster.Api(a), posterPoints: 0, webhookPoints: 4);
        var load = new DotsLoad(tenant, [() => a.BaseUrl, () => b.BaseUrl], "BACKLOG");
        var orders = load.Orders(count);

        var intake = Stopwatch.StartNew();
        await load.SendAsync(orders, copies: 1, perSecond: 1_000, inFlight: 64, Timeout(env, Math.Max(600, count / 100)));
        var intakeTime = intake.Elapsed;
        a.Kill();
        b.Kill();

        // The drain instances run OrderHub's default export slots, named here because the ordering target depends on them.
        var slots = new Dictionary<string, string> { ["Dispatcher__Concurrency"] = DrainSlots.ToString(CultureInfo.InvariantCulture) };
        var drain = Stopwatch.StartNew();
        await cluster.StartInstanceAsync("backlog-a", slots);
        await cluster.StartInstanceAsync("backlog-b", slots);
        var check = await Check.WaitAsync(cluster, orders, TimeSpan.FromSeconds(Math.Max(env.Quick ? 180 : 420, count / 60)));
        var drainTime = drain.Elapsed;

        // Acceptance order: when each order's queue entry was written. Receipt order: the simulator's list.
        var accepted = await cluster.QueryAsync("""SELECT o."Number" FROM "ExportQueue" q JOIN "Orders" o ON o."Id" = q."OrderId" ORDER BY q."CreatedAt", q."Id" """, async reader =>
        {
            var list = new List<string>();
            while (await reader.ReadAsync())
            {
                list.Add(reader.GetString(0));
            }

            return list;
        });
        // Per point: how far behind the newest order already received each order arrives, in that point's
        // accepted orders. In flight at once are 2 instances × DrainSlots attempts over the 4 points, so orders
        // overtake each other within that window; one slow attempt is overtaken by all that finish meanwhile, so the
        // target is on the 99th percentile and the worst case is reported.
        var byPoint = orders.ToDictionary(o => o.Number, o => o.Point.PosTarget);
        var rank = accepted.Where(byPoint.ContainsKey).GroupBy(n => byPoint[n])
            .SelectMany(g => g.Select((number, i) => (number, i))).ToDictionary(x => x.number, x => x.i);
        const int window = 2 * DrainSlots;
        var displacements = new List<int>();
        foreach (var target in check.Received.GroupBy(r => r.Target))
        {
            var highest = -1;
            foreach (var received in target.Where(r => r.Kind == "order"))
            {
                if (Check.Number(received.Marker) is not { } number || !rank.TryGetValue(number, out var r))
                {
                    continue;
                }

                displacements.Add(Math.Max(0, highest - r));
                highest = Math.Max(highest, r);
            }
        }

        displacements.Sort();
        var p99 = displacements.Count == 0 ? 0 : displacements[(int)Math.Min(displacements.Count - 1, Math.Ceiling(displacements.Count * 0.99) - 1)];
        var worst = displacements.Count == 0 ? 0 : displacements[^1];
        var inOrder = displacements.Count(d => d == 0) * 100.0 / Math.Max(1, displacements.Count);
        var rate = check.Unique / drainTime.TotalSeconds;
        var scaled = !env.Quick && count < 100_000 ? $" (scaled down from 100,000 to fit 15 minutes: intake alone runs ~{count / intakeTime.TotalSeconds:0}/s on this machine)" : "";
        return check.Row($"backlog drain ({count:N0} queued{(scaled.Length > 0 ? ", scaled" : "")})", drainTime, check.Clean && p99 <= window,
            $"intake {intakeTime.TotalSeconds:0} s with dispatchers off; drain from restart {drainTime.TotalSeconds:0} s = {rate:0}/s; oldest first per point: {inOrder:0.0} % in acceptance order, 99th percentile {p99} behind (target ≤ {window}), worst {worst}{scaled}; {check.Notes}", rate);
    }

    /// <summary>Two instances; one is killed mid-run and stays dead; the other finishes its work once its leases expire.</summary>
    private static async Task<DrillResult> FailoverAsync(DrillEnvironment env)
    {
        var count = env.Quick ? 500 : 5_000;
        await using var cluster = await Cluster.StartAsync(env, "failover");
        var a = await cluster.StartInstanceAsync("failover-a");
        var b = await cluster.StartInstanceAsync("failover-b");
        var tenant = await DrillTenant.CreateAsync(cluster, cluster.Api(a), posterPoints: 2, webhookPoints: 2);
        // Slow POS answers keep attempts in flight, so the killed instance surely holds leases.
        await cluster.FaultsAsync(new { LatencyMs = 150 });
        var load = new DotsLoad(tenant, [() => a.Running ? a.BaseUrl : null, () => b.BaseUrl], "FAILOVER");
        var orders = load.Orders(count);

        var clock = Stopwatch.StartNew();
        var leased = 0;
        var killer = Task.Run(async () =>
        {
            while (await Check.UniqueAsync(cluster) < count * 0.4 && clock.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(100);
            }

            leased = await cluster.QueryAsync("""SELECT count(*)::int FROM "ExportQueue" WHERE "LeaseOwner" LIKE 'failover-a/%' AND "State" = 'Pending'""",
                async reader => await reader.ReadAsync() ? reader.GetInt32(0) : 0);
            a.Kill();
        });
        await load.SendAsync(orders, copies: 1, perSecond: env.Quick ? 50 : 120, inFlight: 16, Timeout(env, 300));
        await killer;
        var check = await Check.WaitAsync(cluster, orders, TimeSpan.FromSeconds(150));
        var states = await cluster.StatesAsync();
        return check.Row("failover (2 instances, one killed for good)", clock.Elapsed, check.Clean && !a.Running,
            $"instance a killed at 40 % holding {leased} leases (20 s lease); b finished; states {Check.Format(states)}; {check.Notes}");
    }

    public static int BacklogFull { get; set; } = 100_000;

    private static CancellationToken Timeout(DrillEnvironment env, int seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(env.Quick ? seconds / 2 : seconds)).Token;
}

/// <summary>What the POS received against what was sent.</summary>
public sealed partial class Check
{
    public required IReadOnlyList<ReceivedOrder> Received { get; init; }

    public int Expected { get; init; }

    public int Unique { get; init; }

    public int Lost { get; init; }

    /// <summary>Orders the POS holds more than once (for Poster: the same marker twice).</summary>
    public int Duplicated { get; init; }

    /// <summary>Webhook redeliveries the receiver dropped by webhook-id.</summary>
    public int Deduplicated { get; init; }

    public bool Clean => Lost == 0 && Duplicated == 0 && Unique == Expected;

    public string Notes => $"webhook redeliveries deduplicated by webhook-id {Deduplicated}";

    public DrillResult Row(string drill, TimeSpan duration, bool pass, string notes, double? rate = null) =>
        new(drill, Expected, Unique, Lost, Duplicated, duration, rate ?? Unique / Math.Max(duration.TotalSeconds, 0.001), pass, notes);

    public static async Task<int> UniqueAsync(Cluster cluster) => (await cluster.StatsAsync()).GetProperty("uniqueOrders").GetInt32();

    /// <summary>Waits until the POS holds every order (or the time is up), lets late duplicates land, and counts.</summary>
    public static async Task<Check> WaitAsync(Cluster cluster, IReadOnlyList<DrillOrder> orders, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && await UniqueAsync(cluster) < orders.Count)
        {
            await Task.Delay(500);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        var received = await cluster.ReceivedAsync();
        var creates = received.Where(r => r.Kind == "order").ToList();
        var byNumber = creates.GroupBy(r => Number(r.Marker)).Where(g => g.Key is not null).ToDictionary(g => g.Key!, g => g.Count());
        var expected = orders.Select(o => o.Number).ToHashSet();
        var stats = await cluster.StatsAsync();
        var duplicatesInStats = stats.GetProperty("duplicates").GetInt32();
        var posterDuplicates = byNumber.Where(kv => expected.Contains(kv.Key)).Sum(kv => kv.Value - 1);
        return new Check
        {
            Received = received,
            Expected = orders.Count,
            Unique = byNumber.Keys.Count(expected.Contains),
            Lost = expected.Count(n => !byNumber.ContainsKey(n)),
            Duplicated = posterDuplicates,
            Deduplicated = Math.Max(0, duplicatesInStats - posterDuplicates),
        };
    }

    public static string? Number(string? marker) => marker is null ? null : MarkerPattern().Match(marker) is { Success: true } m ? m.Groups[1].Value : null;

    public static string Format(Dictionary<string, int> states) => string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value:N0}"));

    [GeneratedRegex(@"^\[Dots #([^\]/]+)(/\d+)?\]$")]
    private static partial Regex MarkerPattern();
}
