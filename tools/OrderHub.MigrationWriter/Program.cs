using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Persistence;
using OrderHub.MigrationWriter;

// Writes OrderHub's EF Core migrations and model snapshots for every provider, without the EF design tools:
//   add <Name> [--timestamp yyyyMMddHHmmss]   a migration from the last snapshot to the current model
//   check                                     exit 1 when the model differs from the committed snapshot
const string usage = "usage: OrderHub.MigrationWriter add <Name> [--timestamp yyyyMMddHHmmss] | check";

if (args.Length == 0)
{
    Console.Error.WriteLine(usage);
    return 2;
}

try
{
    var root = FindRepositoryRoot();
    switch (args[0])
    {
        case "check":
            return Check();
        case "add" when args.Length >= 2:
            return Add(root, args[1], ParseTimestamp(args.Skip(2).ToArray()));
        default:
            Console.Error.WriteLine(usage);
            return 2;
    }
}
catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or ArgumentException)
{
    Console.Error.WriteLine("error: " + exception.Message);
    return 1;
}

static int Check()
{
    var failed = false;
    foreach (var target in Target.All)
    {
        var diff = ModelDiff.For(target);
        if (diff.Up.Count == 0)
        {
            Console.WriteLine($"{target.Provider}: the snapshot matches the model.");
            continue;
        }

        failed = true;
        Console.WriteLine($"{target.Provider}: the model has changes that no migration holds (run scripts/add-migration <Name>):");
        foreach (var operation in diff.Up)
        {
            Console.WriteLine("  " + Describe(operation));
        }
    }

    return failed ? 1 : 0;
}

static int Add(string root, string name, string timestamp)
{
    if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Z][A-Za-z0-9]*$"))
    {
        throw new ArgumentException($"A migration name is PascalCase letters and digits, not '{name}'.");
    }

    var wrote = false;
    foreach (var target in Target.All)
    {
        var diff = ModelDiff.For(target);
        if (diff.Up.Count == 0)
        {
            Console.WriteLine($"{target.Provider}: no model changes; nothing written.");
            continue;
        }

        var id = $"{timestamp}_{name}";
        var last = diff.ExistingMigrations.LastOrDefault();
        if (last is not null && string.CompareOrdinal(id, last) <= 0)
        {
            throw new ArgumentException($"{target.Provider}: migration {id} would not sort after the last one, {last}.");
        }

        if (diff.ExistingMigrations.Any(m => m.EndsWith("_" + name, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"{target.Provider}: a migration named {name} exists already.");
        }

        var folder = Path.Combine(root, target.Folder);
        Directory.CreateDirectory(folder);
        var files = new Dictionary<string, string>
        {
            [Path.Combine(folder, $"{id}.cs")] = Files.Migration(target, name, diff.Up, diff.Down),
            [Path.Combine(folder, $"{id}.Designer.cs")] = Files.MigrationDesigner(target, id, name, diff.Model),
            [Path.Combine(folder, $"{target.ContextType.Name}ModelSnapshot.cs")] = Files.Snapshot(target, diff.Model),
        };
        foreach (var (path, text) in files)
        {
            File.WriteAllText(path, text);
            Console.WriteLine($"{target.Provider}: wrote {Path.GetRelativePath(root, path)}");
        }

        wrote = true;
    }

    if (wrote)
    {
        Console.WriteLine("Review the files, build, and run the migration tests (scripts/test --filter MigrationTests).");
    }

    return 0;
}

static string ParseTimestamp(string[] options)
{
    if (options.Length == 0)
    {
        return DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
    }

    if (options.Length == 2 && options[0] == "--timestamp"
        && DateTime.TryParseExact(options[1], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
    {
        return options[1];
    }

    throw new ArgumentException("Expected --timestamp yyyyMMddHHmmss.");
}

static string FindRepositoryRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrderHub.sln")))
            {
                return directory.FullName;
            }
        }
    }

    throw new InvalidOperationException("Run this inside the OrderHub repository (no OrderHub.sln found above here).");
}

static string Describe(MigrationOperation operation) => operation switch
{
    CreateTableOperation op => $"create table {op.Name}",
    DropTableOperation op => $"drop table {op.Name}",
    ColumnOperation op => $"{operation.GetType().Name.Replace("Operation", "", StringComparison.Ordinal)} {op.Table}.{op.Name}",
    DropColumnOperation op => $"drop column {op.Table}.{op.Name}",
    CreateIndexOperation op => $"create index {op.Name} on {op.Table}",
    DropIndexOperation op => $"drop index {op.Name}",
    _ => operation.GetType().Name,
};

/// <summary>The current model of a provider against its last snapshot.</summary>
internal sealed record ModelDiff(IModel Model, IReadOnlyList<MigrationOperation> Up, IReadOnlyList<MigrationOperation> Down, IReadOnlyList<string> ExistingMigrations)
{
    public static ModelDiff For(Target target)
    {
        using var services = target.CreateServices();
        using var scope = services.CreateScope();
        var context = (OrderHubDbContext)scope.ServiceProvider.GetRequiredService(target.ContextType);
        var model = context.GetService<IDesignTimeModel>().Model;
        var migrations = context.GetService<IMigrationsAssembly>();
        IModel? snapshot = null;
        if (migrations.ModelSnapshot?.Model is { } snapshotModel)
        {
            if (snapshotModel is IMutableModel mutable)
            {
                snapshotModel = mutable.FinalizeModel();
            }

            snapshot = context.GetService<IModelRuntimeInitializer>().Initialize(snapshotModel, designTime: true, validationLogger: null);
        }

        var differ = context.GetService<IMigrationsModelDiffer>();
        var up = differ.GetDifferences(snapshot?.GetRelationalModel(), model.GetRelationalModel());
        var down = up.Count == 0 ? [] : differ.GetDifferences(model.GetRelationalModel(), snapshot?.GetRelationalModel());
        return new ModelDiff(model, up, down, migrations.Migrations.Keys.Order(StringComparer.Ordinal).ToList());
    }
}
