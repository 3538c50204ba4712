using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Persistence;

public sealed class SqliteRowCommandBatchPreparerTests() : RowCommandBatchPreparerTests(new SqliteTestDatabase(), new SqliteTestDatabase())
{
    protected override DbContextOptionsBuilder Use(string connectionString) =>
        new DbContextOptionsBuilder<SqliteOrderHubDbContext>().UseSqlite(connectionString)
            .ReplaceService<Microsoft.EntityFrameworkCore.Update.IBatchExecutor, PreparedBatchExecutor>();

    protected override OrderHubDbContext Create(DbContextOptions options) => new SqliteOrderHubDbContext((DbContextOptions<SqliteOrderHubDbContext>)options);

    protected override string TablesSql => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;";

    protected override void ShouldBeDuplicateKey(Exception? inner) => inner.ShouldBeOfType<SqliteException>().SqliteErrorCode.ShouldBe(19);
}

public sealed class PostgresRowCommandBatchPreparerTests() : RowCommandBatchPreparerTests(new PostgresTestDatabase(), new PostgresTestDatabase())
{
    protected override DbContextOptionsBuilder Use(string connectionString) =>
        new DbContextOptionsBuilder<PostgresOrderHubDbContext>().UseNpgsql(connectionString);

    protected override OrderHubDbContext Create(DbContextOptions options) => new PostgresOrderHubDbContext((DbContextOptions<PostgresOrderHubDbContext>)options);

    protected override string TablesSql =>
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name;";

    protected override void ShouldBeDuplicateKey(Exception? inner) => inner.ShouldBeOfType<PostgresException>().SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
}

/// <summary>
/// The preparer writes exactly what EF's own pipeline writes: the same rows, byte for byte, saved once by each into
/// two migrated databases, for inserts (an owned address in its order's row, a key the database generates) and updates
/// (a concurrency token compared, null or not); a stale token or a duplicate key fails the whole save as EF's does;
/// what it does not take (a delete) still saves, by EF. On SQLite each table's rows run on one prepared command; on
/// PostgreSQL all of a save's rows go in one batch of statements.
/// </summary>
public abstract class RowCommandBatchPreparerTests(ITestDatabase rowsDatabase, ITestDatabase efDatabase) : IAsyncLifetime
{
    private readonly Commands _rowCommands = new();
    private readonly Commands _efCommands = new();

    protected abstract DbContextOptionsBuilder Use(string connectionString);

    protected abstract OrderHubDbContext Create(DbContextOptions options);

    protected abstract string TablesSql { get; }

    protected abstract void ShouldBeDuplicateKey(Exception? inner);

    public async Task InitializeAsync()
    {
        await rowsDatabase.CreateAsync();
        await efDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await rowsDatabase.DisposeAsync();
        await efDatabase.DisposeAsync();
    }

    [Fact]
    public void OrderHubs_order_path_rows_are_all_written_by_it()
    {
        using var db = Context(rows: true);
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
        var (rowsBefore, efBefore) = (_rowCommands.Count, _efCommands.Count);
        var saved = new List<int>();
        foreach (var rows in new[] { true, false })
        {
            await using var db = Context(rows);
            Graph.Add(db, ids);
            saved.Add(await db.SaveChangesAsync());
        }

        saved[0].ShouldBe(saved[1]);
        _rowCommands.Count.ShouldBe(rowsBefore);
        _efCommands.Count.ShouldBeGreaterThan(efBefore);
        (await DumpAsync(rowsDatabase)).ShouldBe(await DumpAsync(efDatabase));

        saved.Clear();
        foreach (var rows in new[] { true, false })
        {
            await using var db = Context(rows);
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
        _rowCommands.Count.ShouldBe(rowsBefore + 3, "the reads only");
        (await DumpAsync(rowsDatabase)).ShouldBe(await DumpAsync(efDatabase));
        (await DumpAsync(rowsDatabase)).ShouldContain("cooking");
    }

    [Fact]
    public async Task A_stale_concurrency_token_fails_the_whole_save_and_writes_nothing()
    {
        var ids = Graph.NewIds();
        await using (var db = Context(rows: true))
        {
            Graph.Add(db, ids);
            await db.SaveChangesAsync();
        }

        await using (var db = Context(rows: true))
        {
            var inbox = await db.InboxEvents.SingleAsync(e => e.Id == ids.Inbox);
            await db.InboxEvents.Where(e => e.Id == ids.Inbox).ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseOwner, "someone else"));
            inbox.State = InboxEventState.Processed;
            db.Cities.Add(new City { DotsCityId = "added-before-the-failure", Name = "x", CreatedAt = Graph.At });

            var failure = await Should.ThrowAsync<DbUpdateConcurrencyException>(db.SaveChangesAsync());
            failure.Entries.Single().Entity.ShouldBe(inbox);
        }

        await using var check = Context(rows: true);
        (await check.InboxEvents.SingleAsync(e => e.Id == ids.Inbox)).State.ShouldBe(InboxEventState.Received);
        (await check.Cities.AnyAsync(c => c.DotsCityId == "added-before-the-failure")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_duplicate_key_fails_as_EFs_does_and_writes_nothing()
    {
        var ids = Graph.NewIds();
        await using (var db = Context(rows: true))
        {
            Graph.Add(db, ids);
            await db.SaveChangesAsync();
        }

        await using (var db = Context(rows: true))
        {
            db.Cities.Add(new City { DotsCityId = "first-of-two", Name = "x", CreatedAt = Graph.At });
            db.InboxEvents.Add(new InboxEvent { CompanyId = ids.Company, WebhookId = "wh-1", EventType = "order.accepted", WebhookTimestamp = "1", ReceivedAt = Graph.At });
            var failure = await Should.ThrowAsync<DbUpdateException>(db.SaveChangesAsync());
            ShouldBeDuplicateKey(failure.InnerException);
        }

        await using var check = Context(rows: true);
        (await check.Cities.AnyAsync(c => c.DotsCityId == "first-of-two")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_save_with_a_delete_goes_to_EF_and_is_saved()
    {
        var ids = Graph.NewIds();
        await using (var db = Context(rows: true))
        {
            Graph.Add(db, ids);
            await db.SaveChangesAsync();
        }

        var before = _rowCommands.Count;
        await using (var db = Context(rows: true))
        {
            db.InboxEvents.Remove(await db.InboxEvents.SingleAsync(e => e.Id == ids.Unleased));
            db.Cities.Add(new City { DotsCityId = "with-a-delete", Name = "x", CreatedAt = Graph.At });
            await db.SaveChangesAsync();
        }

        _rowCommands.Count.ShouldBeGreaterThan(before + 1);
        await using var check = Context(rows: true);
        (await check.InboxEvents.AnyAsync(e => e.Id == ids.Unleased)).ShouldBeFalse();
        (await check.Cities.AnyAsync(c => c.DotsCityId == "with-a-delete")).ShouldBeTrue();
    }

    private OrderHubDbContext Context(bool rows)
    {
        var database = rows ? rowsDatabase : efDatabase;
        var options = Use(database.Settings["Database:ConnectionString"]!).AddInterceptors(rows ? _rowCommands : _efCommands);
        if (rows)
        {
            options.ReplaceService<Microsoft.EntityFrameworkCore.Update.ICommandBatchPreparer, RowCommandBatchPreparer>();
        }

        return Create(options.Options);
    }

    /// <summary>Every table's rows, ordered, as text: what two databases must agree on.</summary>
    private async Task<string> DumpAsync(ITestDatabase database)
    {
        await using var db = Context(database == rowsDatabase);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var dump = new StringBuilder();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = TablesSql;
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
        public static readonly DateTimeOffset At = new(2026, 12, 7, 6, 30, 15, 123, TimeSpan.Zero);

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

    /// <summary>Counts the commands that went through EF's command pipeline (not the schema listing or a dump).</summary>
    private sealed class Commands : DbCommandInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }
    }
}
