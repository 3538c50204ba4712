using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Persistence;

/// <summary>One Database:ConnectionString serves every provider; a setting that cannot apply stops the start, named.</summary>
public sealed class DatabaseSettingsTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orderhub-tests", Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown; the temp folder is cleaned by the OS.
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task With_Sqlite_the_connection_string_names_the_database_file()
    {
        var file = Path.Combine(_directory, "from-connection-string.db");
        await using var database = new SqliteTestDatabase();
        await using var factory = new OrderHubFactory(database, new Dictionary<string, string?> { ["Database:ConnectionString"] = $"Data Source={file}" });

        var created = await factory.CreateApiClient().PostAsJsonAsync("/api/cities", new { name = "Львів", dotsCityId = "lviv-settings-test" });

        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        File.Exists(file).ShouldBeTrue("the city must be stored in the file the connection string names");
        File.Exists(database.FilePath).ShouldBeFalse();
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Cities WHERE DotsCityId = 'lviv-settings-test'";
        Convert.ToInt32(await command.ExecuteScalarAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task The_deprecated_SqlitePath_is_still_read_with_a_warning()
    {
        var file = Path.Combine(_directory, "from-sqlite-path.db");
        await using var database = new SqliteTestDatabase();
        await using var factory = new OrderHubFactory(database, new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = null,
            ["Database:SqlitePath"] = file,
        });

        (await factory.CreateApiClient().GetAsync("/api/cities")).StatusCode.ShouldBe(HttpStatusCode.OK);

        File.Exists(file).ShouldBeTrue();
        factory.Logs.Lines.ShouldContain(l => l.Contains("Database:SqlitePath is deprecated", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Postgres", "Host=127.0.0.1;Database=orderhub;Username=orderhub", "Database:SqliteSynchronous", "Normal", "Database:SqliteSynchronous")]
    [InlineData("Postgres", "Host=127.0.0.1;Database=orderhub;Username=orderhub", "Database:SqlitePath", "data/orderhub.db", "Database:SqlitePath")]
    [InlineData("Postgres", "Data Source=data/orderhub.db", null, null, "Database:ConnectionString")]
    [InlineData("Sqlite", "Host=127.0.0.1;Database=orderhub;Username=orderhub", null, null, "Database:ConnectionString")]
    [InlineData("SqlServer", "Host=127.0.0.1;Database=orderhub;Username=orderhub", null, null, "Database:ConnectionString")]
    [InlineData("SqlServer", "", null, null, "Database:ConnectionString")]
    [InlineData("SqlServer", "Server=127.0.0.1;Database=orderhub", "Database:SqliteSynchronous", "Normal", "Database:SqliteSynchronous")]
    [InlineData("Sqlite", "Data Source=one.db", "Database:SqlitePath", "other.db", "Database:SqlitePath")]
    public async Task A_setting_that_does_not_fit_the_provider_stops_the_start_naming_it(
        string provider, string connectionString, string? extraKey, string? extraValue, string named)
    {
        await using var database = new SqliteTestDatabase();
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["Database:ConnectionString"] = connectionString,
        };
        if (extraKey is not null)
        {
            settings[extraKey] = extraValue;
        }

        await using var factory = new OrderHubFactory(database, settings);

        var refused = Should.Throw<OptionsValidationException>(() => factory.CreateClient());
        refused.Message.ShouldContain(named);
    }
}
