using System.Text.RegularExpressions;

namespace OrderHub.UnitTests.Architecture;

/// <summary>
/// The folders of OrderHub.Api (top-level folders, and each subfolder of Features) must not import each other
/// both ways: shared services live in Shared/, and a feature never imports a folder that imports it back.
/// Counted as scripts/folder-imports counts them (run it with --files to see which files make a pair).
/// </summary>
public sealed partial class FolderImportsTests
{
    /// <summary>Pairs allowed to remain. Zero since issue 14: keep it so.</summary>
    private const int AllowedPairs = 0;

    [Fact]
    public void No_two_folders_of_the_api_import_each_other_both_ways()
    {
        var pairs = MutualPairs(ApiFolder());

        pairs.Count.ShouldBeLessThanOrEqualTo(AllowedPairs,
            "folders importing each other both ways (scripts/folder-imports --files names the files): " + string.Join(", ", pairs));
    }

    [Fact]
    public void The_count_finds_a_pair_written_with_a_using_and_a_relative_name()
    {
        var root = Directory.CreateTempSubdirectory("folder-imports-");
        try
        {
            Write(root, "Alerts/A.cs", "using OrderHub.Api.Features.Webhooks;\nnamespace OrderHub.Api.Alerts;\n");
            Write(root, "Features/Webhooks/Receive/B.cs", "namespace OrderHub.Api.Features.Webhooks.Receive;\nclass B { object x = Alerts.Html.Encode(\"\"); }\n");
            Write(root, "Features/Orders/C.cs", "namespace OrderHub.Api.Features.Orders;\nclass C { object y = Webhooks.Receive.B.Thing; }\n");

            MutualPairs(root.FullName).ShouldBe(["Alerts <-> Features/Webhooks"]);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static void Write(DirectoryInfo root, string path, string text)
    {
        var file = new FileInfo(Path.Combine(root.FullName, path));
        file.Directory!.Create();
        File.WriteAllText(file.FullName, text);
    }

    private static string ApiFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderHub.sln")))
        {
            dir = dir.Parent;
        }

        dir.ShouldNotBeNull();
        return Path.Combine(dir.FullName, "src", "OrderHub.Api");
    }

    /// <summary>Alerts, Persistence, … or Features/Orders, Features/Webhooks, …; null for files at the root.</summary>
    private static string? FolderOf(string first, string? second) =>
        first == "Features" ? (string.IsNullOrEmpty(second) ? null : "Features/" + second) : first;

    private static List<string> MutualPairs(string root)
    {
        string[] Folders(string path) => Directory.Exists(path)
            ? Directory.GetDirectories(path).Select(d => Path.GetFileName(d)).Where(d => d is not ("bin" or "obj")).ToArray()
            : [];
        var topFolders = Folders(root);
        var features = Folders(Path.Combine(root, "Features"));
        var relative = new Regex(@"(?<![\w.])(" + string.Join('|', topFolders) + @")\.([A-Z]\w*)\.");
        var featureRelative = new Regex(@"(?<![\w.])(" + string.Join('|', features.DefaultIfEmpty("-")) + @")\.[A-Z]\w*\.");

        var edges = new HashSet<(string From, string To)>();
        var files = Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var parts = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar);
            if (parts.Length < 2 || FolderOf(parts[0], parts.Length > 2 ? parts[1] : null) is not { } source)
            {
                continue;
            }

            foreach (var line in File.ReadLines(file))
            {
                if (Namespace().IsMatch(line))
                {
                    continue;
                }

                var found = Reference().Matches(line).Select(m => (m.Groups[1].Value, (string?)m.Groups[2].Value)).ToList();
                if (!Using().IsMatch(line))
                {
                    // Using directives resolve from the global namespace; code resolves from its own namespace up.
                    found.AddRange(relative.Matches(line).Select(m => (m.Groups[1].Value, (string?)m.Groups[2].Value)));
                    if (source.StartsWith("Features/", StringComparison.Ordinal))
                    {
                        found.AddRange(featureRelative.Matches(line).Select(m => ("Features", (string?)m.Groups[1].Value)));
                    }
                }

                foreach (var (first, second) in found)
                {
                    if (FolderOf(first, second) is { } target && target != source)
                    {
                        edges.Add((source, target));
                    }
                }
            }
        }

        return edges.Where(e => string.CompareOrdinal(e.From, e.To) < 0 && edges.Contains((e.To, e.From)))
            .Select(e => $"{e.From} <-> {e.To}").Order(StringComparer.Ordinal).ToList();
    }

    [GeneratedRegex(@"\bOrderHub\.Api\.([A-Z]\w*)(?:\.([A-Z]\w*))?")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^\s*namespace\s")]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^\s*@?(global\s+)?using\s")]
    private static partial Regex Using();
}
