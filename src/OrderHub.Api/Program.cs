using OrderHub.Api.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOrderHubPersistence(builder.Configuration, builder.Environment);

var app = builder.Build();
await app.Services.MigrateOrderHubDatabaseAsync();
app.MapGet("/health/live", () => Results.Ok());
await app.RunAsync();

/// <summary>The entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
