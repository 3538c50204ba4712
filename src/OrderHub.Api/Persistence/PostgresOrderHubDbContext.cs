using Microsoft.EntityFrameworkCore;

namespace OrderHub.Api.Persistence;

/// <summary>The server database. Owns the PostgreSQL migrations.</summary>
public sealed class PostgresOrderHubDbContext(DbContextOptions<PostgresOrderHubDbContext> options) : OrderHubDbContext(options);
