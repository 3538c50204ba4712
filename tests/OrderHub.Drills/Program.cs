using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrderHub.Drills;

// Drills against real processes: OrderHub instances on one PostgreSQL database, the POS simulators, kill -9.
//   dotnet run -c Release --project tests/OrderHub.Drills -- [--quick] [--only name[,name]] [--backlog N] [--no-build]
var quick = args.Contains("--quick");
var only = Value("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
if (Value("--backlog") is { } backlog)
{
    DrillCatalog.BacklogFull = int.Parse(backlog, CultureInfo.InvariantCulture);
}

var root = FindRoot();
var logs = Path.Combine(Path.GetTempPath(), $"orderhub-drills-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
Directory.CreateDirectory(logs);
if (!args.Contains("--no-build"))
{
    Console.WriteLine("Building OrderHub and the simulators (Release)...");
    foreach (var project in new[] { "src/OrderHub.Api/OrderHub.Api.csproj", "src/OrderHub.Simulators/OrderHub.Simulators.csproj" })
    {
        var build = Process.Start(new ProcessStartInfo("dotnet", ["build", "-c", "Release", "-nologo", "-v", "q", Path.Combine(root, project)]))!;
        await build.WaitForExitAsync();
        if (build.ExitCode != 0)
        {
            Console.Error.WriteLine($"Build of {project} failed.");
            return 2;
        }
    }
}

var env = new DrillEnvironment(
    root,
    Path.Combine(root, "src/OrderHub.Api/bin/Release/net10.0/OrderHub.Api.dll"),
    Path.Combine(root, "src/OrderHub.Simulators/bin/Release/net10.0/OrderHub.Simulators.dll"),
    logs,
    quick);
var names = only ?? DrillCatalog.Names;
Console.WriteLine($"Drills ({(quick ? "quick" : "full")}): {string.Join(", ", names)}; process logs in {logs}");

var results = new List<DrillResult>();
var total = Stopwatch.StartNew();
try
{
    foreach (var name in names)
    {
        Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {name}...");
        DrillResult result;
        var clock = Stopwatch.StartNew();
        try
        {
            result = await DrillCatalog.RunAsync(name, env);
        }
        catch (Exception e)
        {
            result = new DrillResult(name, 0, 0, 0, 0, clock.Elapsed, 0, false, "error: " + e.Message.ReplaceLineEndings(" "));
        }

        results.Add(result);
        Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {Row(result)}");
    }
}
finally
{
    DrillProcesses.KillAll();
}

var table = Table(results, quick, total.Elapsed);
Console.WriteLine();
Console.WriteLine(table);
var resultsDirectory = Path.Combine(root, "tests/OrderHub.Drills/results");
Directory.CreateDirectory(resultsDirectory);
// A partial run (--only) keeps its own file, so it does not replace the latest complete table.
var file = (quick ? "latest-quick" : "latest") + (only is null ? "" : "-" + string.Join("-", only)) + ".md";
await File.WriteAllTextAsync(Path.Combine(resultsDirectory, file), table);
return results.All(r => r.Pass) ? 0 : 1;

string? Value(string flag)
{
    var i = Array.IndexOf(args, flag);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string FindRoot()
{
    var directory = new DirectoryInfo(Directory.GetCurrentDirectory());
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrderHub.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("Run from inside the OrderHub repository.");
}

static string Row(DrillResult r) => string.Create(CultureInfo.InvariantCulture,
    $"| {r.Drill} | {r.Orders:N0} | {r.Unique:N0} | {r.Lost:N0} | {r.Duplicated:N0} | {r.Duration.TotalSeconds:0} s | {r.Rate:0}/s | {(r.Pass ? "PASS" : "FAIL")} | {r.Notes} |");

static string Table(List<DrillResult> results, bool quick, TimeSpan elapsed)
{
    var text = new StringBuilder();
    text.AppendLine(CultureInfo.InvariantCulture, $"Drills ({(quick ? "--quick" : "full")}), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, total {elapsed.TotalMinutes:0.0} min");
    text.AppendLine();
    text.AppendLine("| drill | orders | POS received unique | lost | duplicated at POS | duration | rate | result | notes |");
    text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---|");
    foreach (var result in results)
    {
        text.AppendLine(Row(result));
    }

    return text.ToString();
}
