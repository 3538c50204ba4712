namespace OrderHub.FunctionalTests.Infrastructure;

// PLACEHOLDER until the migrations branch lands with the real fixture.
public sealed class PostgresServer
{
    public static PostgresServer Instance { get; } = new();

    public Task<string> CreateDatabaseAsync() => throw new NotSupportedException("PostgreSQL fixture not merged yet.");
}
