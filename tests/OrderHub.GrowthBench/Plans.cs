using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Orders;

namespace OrderHub.GrowthBench;

/// <summary>The SQL EF sends for the measured queries (ToQueryString) and the database's plan for it on the seeded data.</summary>
public static partial class Plans
{
    public static async Task<string> ExplainAsync(IServiceProvider services, bool postgres, Guid pointId, ExportState state, Guid orderId)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var filtered = db.Orders.AsNoTracking().Where(o => o.PickupPointId == pointId && o.ExportState == state);
        var queries = new (string Name, string Sql)[]
        {
            ("list page (point + state)", filtered.OrderByDescending(o => o.ReceivedAt).ThenByDescending(o => o.Id).Skip(0).Take(50)
                .Select(o => new { o.Id, o.Number, o.ExportState, o.Total, o.ReceivedAt }).ToQueryString()),
            ("list count, capped", CountOf(filtered.OrderByDescending(o => o.ReceivedAt).ThenByDescending(o => o.Id).Take(PageLimits.MaxExactCount + 1).Select(o => 1).ToQueryString())),
            ("timeline history", db.OrderActions.AsNoTracking().Where(a => a.OrderId == orderId).OrderBy(a => a.Id).ToQueryString()),
            ("timeline lines", db.Orders.AsNoTracking().Where(o => o.Id == orderId).SelectMany(o => o.Lines).ToQueryString()),
        };

        var report = new StringBuilder();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var (name, sql) in queries)
        {
            var literal = Inline(sql);
            report.AppendLine($"#### {name}").AppendLine().AppendLine("```sql").AppendLine(literal.Trim()).AppendLine("```").AppendLine();
            await using var command = connection.CreateCommand();
            command.CommandText = (postgres ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN QUERY PLAN ") + literal;
            await using var reader = await command.ExecuteReaderAsync();
            report.AppendLine("```");
            while (await reader.ReadAsync())
            {
                report.AppendLine(postgres ? reader.GetString(0) : reader.GetString(3));
            }

            report.AppendLine("```").AppendLine();
        }

        return report.ToString();
    }

    /// <summary>The handler's capped count: COUNT over the filtered rows, at most MaxExactCount + 1 of them.</summary>
    private static string CountOf(string sql)
    {
        var lines = sql.Split('\n');
        return string.Join('\n', lines.Where(IsParam)) + "\nSELECT COUNT(*) FROM (" + string.Join('\n', lines.Where(l => !IsParam(l))) + ") AS c";
    }

    private static bool IsParam(string line) => line.StartsWith(".param set ", StringComparison.Ordinal) || line.StartsWith("-- @", StringComparison.Ordinal);

    /// <summary>Replaces the parameters ToQueryString declares (SQLite <c>.param set</c>, Npgsql <c>-- @p=</c>) by literals.</summary>
    private static string Inline(string sql)
    {
        var values = new Dictionary<string, string>();
        var body = new StringBuilder();
        foreach (var line in sql.Split('\n'))
        {
            if (SqliteParam().Match(line) is { Success: true } s)
            {
                values[s.Groups[1].Value] = s.Groups[2].Value.Trim();
            }
            else if (NpgsqlParam().Match(line) is { Success: true } n)
            {
                values[n.Groups[1].Value] = n.Groups[2].Value.Trim();
            }
            else
            {
                body.AppendLine(line);
            }
        }

        var text = body.ToString();
        foreach (var (name, value) in values.OrderByDescending(v => v.Key.Length))
        {
            text = Regex.Replace(text, Regex.Escape(name) + @"\b", value.Replace("$", "$$"));
        }

        return text;
    }

    [GeneratedRegex(@"^\.param set (@\w+) (.+)$")]
    private static partial Regex SqliteParam();

    [GeneratedRegex(@"^-- (@\w+)=('[^']*'|\S+)")]
    private static partial Regex NpgsqlParam();
}
