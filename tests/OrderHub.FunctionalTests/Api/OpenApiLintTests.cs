using System.Diagnostics;
using System.Text.Json.Nodes;

namespace OrderHub.FunctionalTests.Api;

/// <summary>
/// The committed OpenAPI document lints clean with Redocly's recommended rules: no errors and no warnings.
/// <c>scripts/test</c> installs <c>@redocly/cli</c> into <c>.tools/redocly</c> (or set <c>ORDERHUB_REDOCLY</c> to a
/// redocly executable).
/// </summary>
public sealed class OpenApiLintTests
{
    [Fact]
    public async Task The_committed_openapi_document_lints_clean_with_Redocly_recommended_rules()
    {
        var root = OpenApiDocumentTests.RepositoryRoot();
        var redocly = Environment.GetEnvironmentVariable("ORDERHUB_REDOCLY") is { Length: > 0 } configured
            ? configured
            : Path.Combine(root, ".tools", "redocly", "node_modules", ".bin", "redocly");
        File.Exists(redocly).ShouldBeTrue($"Redocly's linter is not installed at {redocly}: run scripts/test, which installs @redocly/cli.");

        var start = new ProcessStartInfo(redocly, ["lint", Path.Combine(root, "openapi", "openapi.json"), "--format=json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
            Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true", ["NO_COLOR"] = "1" },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        var output = await stdout;
        var report = JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!;
        var problems = report["problems"]!.AsArray()
            .Select(p => $"{p!["severity"]} {p["ruleId"]}: {p["message"]} at {p["location"]?[0]?["pointer"]}")
            .ToList();
        problems.ShouldBeEmpty($"redocly lint found problems (stderr: {await stderr}):\n{string.Join('\n', problems)}");
        report["totals"]!["errors"]!.GetValue<int>().ShouldBe(0);
        report["totals"]!["warnings"]!.GetValue<int>().ShouldBe(0);
    }
}
