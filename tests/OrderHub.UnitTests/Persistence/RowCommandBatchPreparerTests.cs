using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;

namespace OrderHub.UnitTests.Persistence;

/// <summary>
/// The SQLite preparer writes exactly what EF's own pipeline writes: the same rows, byte for byte, saved once by each
/// into two databases, for inserts (an owned address in its order's row, a key the database generates) and updates
/// (a concurrency token compared, null or not); a stale token or a duplicate key fails the whole save as EF's does;
/// what it does not take (a delete) still saves, by EF. Real SQLite, in memory.
/// </summary>
public sealed class RowCommandBatchPreparerTests : IAsyncLifetime
{
    private readonly SqliteConnection _rows = new("Data Source=:memory:");
    private readonly SqliteConnection _ef = new("Data Source=:memory:");
    private readonly Commands _commands = new();

    public async Task InitializeAsync()
    {
        foreach (var (connection, rows) in new[] { (_rows, true), (_ef, false) })
        {
            await connection.OpenAsync();
            await using var db = Context(connection, rows);
            await db.Database.EnsureCreatedAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await _rows.DisposeAsync();
        await _ef.DisposeAsync();
    }

    [Fact]
    public void OrderHubs_order_path_rows_are_all_written_by_it()
    {
        using var db = Context(_rows, rows: true);
        var plan = RowPlan.For(db.Model, db.GetService<ISqlGenerationHelper>()).ShouldNotBeNull();
        foreach (var type in new[]
                 {
                     typeof(Order), typeof(OrderLine), typeof(OrderLineModifier), typeof(OrderPromotion), typeof(OrderAction), typeof(InboundEvent),
                     typeof(InboxEvent), typeof(ExportQueueEntry), typeof(OrderHub.Domain.Alerts.AlertMessage), typeof(PosFeedMessage),
                     typeof(OrderHub.Domain.Fiscal.FiscalReceipt),
                 })
        {
            plan.Covers(db.Model.FindEntityType(type)!).ShouldBeTrue(type.Name);
        }
    }

    [Fact]
    public async Task Inserts_and_updates_store_the_same_rows_as_EF_and_skip_EFs_commands()
    {
        var ids = Graph.NewIds();
        var (rowsBefore, efBefore) = (_commands.Saw(_rows), _commands.Saw(_ef));
        var saved = new List<int>();
        foreach (var (connection, rows) in new[] { (_rows, true), (_ef, false) })
        {
            await using var db = Context(connection, rows);
            Graph.Add(db, ids);
            saved.Add(await db.SaveChangesAsync());
        }

        saved[0].ShouldBe(saved[1]);
        _commands.Saw(_rows).ShouldBe(rowsBefore);
        _commands.Saw(_ef).ShouldBeGreaterThan(efBefore + 10);
        (await DumpAsync(_rows)).ShouldBe(await DumpAsync(_ef));

        saved.Clear();
        foreach (var (connection, rows) in new[] { (_rows, true), (_ef, false) })
        {
            await using var db = Context(connection, rows);
            var order = await db.Orders.SingleAsync(o => o.Id == ids.Order);
            order.DotsStatus = "cooking";
            order.Comment = null;
            order.UpdatedAt = Graph.At.AddMinutes(5);
            var inbox = await db.InboxEvents.SingleAsync(e => e.Id == ids.Inbox);
            inbox.LeaseOwner = null;
            inbox.State = InboxEventState.Processed;
            inbox.Body = null;
            var unleased = await db.InboxEvents.SingleAsync(e => e.Id == ids.Unleased);
            unleased.Attempts++;
            unleased.LastError = "помилка";
            saved.Add(await db.SaveChangesAsync());
        }

        saved.ShouldBe([3, 3]);
        _commands.Saw(_rows).ShouldBe(rowsBefore + 3, "the reads only");
        (await DumpAsync(_rows)).ShouldBe(await DumpAsync(_ef));
        (await DumpAsync(_rows)).ShouldContain("cooking");
    }

    [Fact]
    public async Task A_stale_concurrency_token_fails_the_whole_save_and_writes_nothing()
    {
        var ids = Graph.NewIds();
        await using (var db = Context(_rows, rows: true))
        {
            Graph.Add(db, ids);
            await db.SaveChangesAsync();
        }

        await using (var db = Context(_rows, rows: true))
        {
            var inbox = await db.InboxEvents.SingleAsync(e => e.Id == ids.Inbox);
            await db.InboxEvents.Where(e => e.Id == ids.Inbox).ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseOwner, "someone else"));
            inbox.State = InboxEventState.Processed;
            db.Cities.Add(new City { DotsCityId = "added-before-the-failure", Name = "x", CreatedAt = Graph.At });

            var failure = await Should.ThrowAsync<DbUpdateConcurrencyException>(db.SaveChangesAsync());
            failure.Entries.Single().Entity.ShouldBe(inbox);
        }

        await using var check = Context(_rows, rows: true);
        (await check.InboxEvents.SingleAsync(e => e.Id == ids.Inbox)).State.ShouldBe(InboxEventState.Received);
        (await check.Cities.AnyAsync(c => c.DotsCityId == "added-before-the-failure")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_duplicate_key_fails_as_EFs_does_and_writes_nothing()
    {
        var ids = Graph.NewIds();
        await using (var db = Context(_rows, rows: true))
        {
            Graph.Add(db, ids);
            await db.SaveChangesAsync();
        }

        await using (var db = Context(_rows, rows: true))
        {
            db.Cities.Add(new City { DotsCityId = "first-of-two", Name = "x", CreatedAt = Graph.At });
            db.InboxEvents.Add(new InboxEvent { CompanyId = ids.Company, WebhookId = "wh-1", EventType = "order.accepted", WebhookTimestamp = "1", ReceivedAt = Graph.At });
            var failure = await Should.ThrowAsync<DbUpdateException>(db.SaveChangesAsync());
            failure.InnerException.ShouldBeOfType<SqliteException>().SqliteErrorCode.ShouldBe(19);
        }

        await using var check = Context(_rows, rows: true);
        (await check.Cities.AnyAsync(c => c.DotsCityId == "first-of-two")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_save_with_a_delete_goes_to_EF_and_is_saved()
    {
        var ids = Graph.NewIds();
        await using (var db = Context(_rows, rows: true))
        {
            Graph.Add(db, ids);
            await db.SaveChangesAsync();
        }

        var before = _commands.Saw(_rows);
        await using (var db = Context(_rows, rows: true))
        {
            db.InboxEvents.Remove(await db.InboxEvents.SingleAsync(e => e.Id == ids.Unleased));
            db.Cities.Add(new City { DotsCityId = "with-a-delete", Name = "x", CreatedAt = Graph.At });
            await db.SaveChangesAsync();
        }

        _commands.Saw(_rows).ShouldBeGreaterThan(before + 1);
        await using var check = Context(_rows, rows: true);
        (await check.InboxEvents.AnyAsync(e => e.Id == ids.Unleased)).ShouldBeFalse();
        (await check.Cities.AnyAsync(c => c.DotsCityId == "with-a-delete")).ShouldBeTrue();
    }

    private OrderHubDbContext Context(SqliteConnection connection, bool rows)
    {
        var options = new DbContextOptionsBuilder<SqliteOrderHubDbContext>()
            .UseSqlite(connection)
            .AddInterceptors(_commands)
            .ReplaceService<Microsoft.EntityFrameworkCore.Update.IBatchExecutor, PreparedBatchExecutor>();
        if (rows)
        {
            options.ReplaceService<Microsoft.EntityFrameworkCore.Update.ICommandBatchPreparer, RowCommandBatchPreparer>();
        }

        return new SqliteOrderHubDbContext(options.Options);
    }

    /// <summary>Every table's rows, ordered, as text: what two databases must agree on.</summary>
    private static async Task<string> DumpAsync(SqliteConnection connection)
    {
        var dump = new StringBuilder();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1;";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                dump.Append(table).Append(':');
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    dump.Append(' ').Append(reader.GetName(i)).Append('=').Append(value is byte[] bytes ? Convert.ToHexString(bytes) : value is DBNull ? "NULL" : $"{value}|{reader.GetDataTypeName(i)}");
                }

                dump.AppendLine();
            }
        }

        return dump.ToString();
    }

    /// <summary>An order as the inbox round writes it: its point and company, lines with a modifier, history, a queue entry, inbox events.</summary>
    private static class Graph
    {
        public static readonly DateTimeOffset At = new(2026, 12, 7, 8, 30, 15, 123, TimeSpan.FromHours(2));

        public sealed record Ids(Guid City, Guid Company, Guid Point, Guid Order, Guid Line, Guid Inbox, Guid Unleased, Guid Export, Guid Modifier);

        public static Ids NewIds() => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        public static void Add(OrderHubDbContext db, Ids ids)
        {
            // Dependents first: the preparer must put principals first itself.
            db.OrderActions.Add(new OrderAction { CompanyId = ids.Company, OrderId = ids.Order, At = At, Action = "order.received", Outcome = ActionOutcome.Success, Message = "Замовлення отримано" });
            db.OrderActions.Add(new OrderAction { CompanyId = ids.Company, OrderId = ids.Order, At = At, Action = "mapping.missing", Outcome = ActionOutcome.Failure, Reason = FailureReason.TotalMismatch, Message = "m" });
            db.ExportQueue.Add(new ExportQueueEntry { Id = ids.Export, OrderId = ids.Order, PickupPointId = ids.Point, NextAttemptAt = At, CreatedAt = At, UpdatedAt = At });
            db.Orders.Add(new Order
            {
                Id = ids.Order, CompanyId = ids.Company, PickupPointId = ids.Point, DotsOrderId = "dots-1", Number = "17", DotsStatus = "accepted",
                DeliveryType = "delivery", PaymentType = "card", DeliveryPrice = 35.5m, Total = 310.25m, Persons = 2, Comment = "без цибулі",
                AcceptedAt = At, ReceivedAt = At, UpdatedAt = At, CustomerPhone = "+380*****67", RawPayload = "{}",
                Address = new OrderAddress { Street = "Хрещатик", House = "1", Phones = "[]" },
                Lines =
                [
                    new OrderLine
                    {
                        Id = ids.Line, Position = 1, DotsProductId = "p-1", Name = "Борщ", Quantity = 1.5m, Price = 120m,
                        Modifiers = [new OrderLineModifier { Id = ids.Modifier, Position = 1, DotsModifierId = "m-1", Name = "Сметана", Quantity = 1, Price = 10.25m }],
                    },
                ],
            });
            db.InboxEvents.Add(new InboxEvent
            {
                Id = ids.Inbox, CompanyId = ids.Company, WebhookId = "wh-1", EventType = "order.accepted", DotsOrderId = "dots-1", OrderingKey = "a-1",
                WebhookTimestamp = "1765000000", Body = [1, 2, 3], ReceivedAt = At, NextAttemptAt = At, LeaseOwner = "instance:1", Attempts = 1, LeaseUntil = At,
            });
            db.InboxEvents.Add(new InboxEvent { Id = ids.Unleased, CompanyId = ids.Company, WebhookId = "wh-2", EventType = "order.accepted", WebhookTimestamp = "1", ReceivedAt = At, NextAttemptAt = At });
            db.PickupPoints.Add(new PickupPoint { Id = ids.Point, CompanyId = ids.Company, DotsAddressId = "a-1", Name = "Центр", CreatedAt = At });
            db.Companies.Add(new Company { Id = ids.Company, CityId = ids.City, DotsCompanyId = "c-1", Key = "key-" + ids.Company.ToString("N"), Name = "Кафе", SigningSecretProtected = "x", CreatedAt = At, SecretRotatedAt = At });
            db.Cities.Add(new City { Id = ids.City, DotsCityId = "kyiv-" + ids.City.ToString("N"), Name = "Київ", CreatedAt = At });
        }
    }

    /// <summary>Counts the commands that went through EF's command pipeline, per connection.</summary>
    private sealed class Commands : DbCommandInterceptor
    {
        private readonly Dictionary<DbConnection, int> _seen = [];

        public int Saw(DbConnection connection) => _seen.GetValueOrDefault(connection);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return ValueTask.FromResult(result);
        }

        private void Count(DbCommand command)
        {
            if (!command.CommandText.Contains("sqlite_master", StringComparison.Ordinal) && !command.CommandText.StartsWith("CREATE", StringComparison.Ordinal))
            {
                _seen[command.Connection!] = _seen.GetValueOrDefault(command.Connection!) + 1;
            }
        }
    }
}
