using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Tenancy;

namespace OrderHub.UnitTests.Persistence;

/// <summary>
/// The gate is held by a save only while its transaction runs (BEGIN to COMMIT): not while EF detects changes and
/// builds the statements before, nor while it accepts them after. Real SQLite, in memory.
/// </summary>
public sealed class WriteGateInterceptorTests : IAsyncLifetime
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly WriteGate _gate = new(enabled: true);
    private readonly Probe _probe;

    public WriteGateInterceptorTests() => _probe = new Probe(_gate);

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        await using var db = Context();
        await db.Database.EnsureCreatedAsync();
        _probe.Clear();
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task A_save_takes_one_turn_from_begin_to_commit_and_none_while_it_prepares_or_after()
    {
        await using var db = Context();
        db.Cities.AddRange(City("kyiv"), City("lviv"));
        var before = db.Database.AutoTransactionBehavior;

        await db.SaveChangesAsync();

        _probe.Seen.ShouldBe(["saving: free", "begin: free", "insert: held", "insert: held", "committed: held", "saved: free"]);
        _gate.Held().Turns.ShouldBe(1);
        db.Database.AutoTransactionBehavior.ShouldBe(before);
    }

    [Fact]
    public async Task A_single_statement_save_takes_its_turn_too()
    {
        await using var db = Context();
        db.Cities.Add(City("odesa"));

        db.SaveChanges();

        _probe.Seen.ShouldBe(["saving: free", "begin: free", "insert: held", "committed: held", "saved: free"]);
        _gate.Held().Turns.ShouldBe(1);
    }

    [Fact]
    public async Task A_failed_save_gives_its_turn_back()
    {
        var city = City("kharkiv");
        await using (var db = Context())
        {
            db.Cities.Add(city);
            await db.SaveChangesAsync();
        }

        await using (var db = Context())
        {
            db.Cities.Add(City("dnipro"));
            db.Cities.Add(new City { Id = city.Id, DotsCityId = "again", Name = "again" });
            await Should.ThrowAsync<DbUpdateException>(db.SaveChangesAsync());
        }

        _gate.Held().Turns.ShouldBe(2);
        _gate.IsHeld.ShouldBeFalse();
    }

    [Fact]
    public async Task A_save_inside_an_explicit_transaction_leaves_the_turn_to_the_code_that_opened_it()
    {
        await using var db = Context();
        using (await _gate.EnterAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Cities.Add(City("poltava"));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        _gate.Held().Turns.ShouldBe(1);
    }

    [Fact]
    public async Task With_the_statements_built_first_a_save_of_many_rows_takes_one_turn_and_writes_them_all()
    {
        await using (var db = Context(buildFirst: true))
        {
            db.Cities.AddRange(Enumerable.Range(0, 50).Select(i => City($"city-{i}")));
            await db.SaveChangesAsync();
        }

        _probe.Seen.Count(s => s == "insert: held").ShouldBe(50);
        _probe.Seen.ShouldNotContain("insert: free");
        _gate.Held().Turns.ShouldBe(1);
        await using var check = Context();
        (await check.Cities.CountAsync()).ShouldBe(50);
    }

    [Fact]
    public void OrderHubs_model_lets_a_save_build_its_statements_before_it_begins()
    {
        // A foreign key to a key the database generates would make the executor build lazily again (slower under
        // the gate, still right): this says so when the model gains one.
        using var db = Context();
        PreparedBatchExecutor.BuildsFirst(db.Model).ShouldBeTrue();

        using var other = new ParentChildContext();
        PreparedBatchExecutor.BuildsFirst(other.Model).ShouldBeFalse();
    }

    private OrderHubDbContext Context(bool buildFirst = false)
    {
        var options = new DbContextOptionsBuilder<SqliteOrderHubDbContext>()
            .UseSqlite(_connection)
            .AddInterceptors(_probe, new WriteGateInterceptor(_gate));
        if (buildFirst)
        {
            options.ReplaceService<Microsoft.EntityFrameworkCore.Update.IBatchExecutor, PreparedBatchExecutor>();
        }

        return new SqliteOrderHubDbContext(options.Options);
    }

    private sealed class Parent
    {
        public int Id { get; set; }
    }

    private sealed class Child
    {
        public Guid Id { get; set; }

        public int ParentId { get; set; }
    }

    private sealed class ParentChildContext : DbContext
    {
        protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseSqlite("Data Source=:memory:");

        protected override void OnModelCreating(ModelBuilder model)
        {
            model.Entity<Parent>();
            model.Entity<Child>().HasOne<Parent>().WithMany().HasForeignKey(c => c.ParentId);
        }
    }

    private static City City(string id) => new() { DotsCityId = id, Name = id, CreatedAt = DateTimeOffset.UnixEpoch };

    /// <summary>
    /// Notes whether the gate is held at each step. Registered before the gate's interceptor, so at BEGIN it sees the
    /// moment before the turn is taken, and at the commit the moment before it is given back.
    /// </summary>
    private sealed class Probe(WriteGate gate) : SaveChangesInterceptor, IDbTransactionInterceptor, IDbCommandInterceptor
    {
        public List<string> Seen { get; } = [];

        private string State => gate.IsHeld ? "held" : "free";

        public void Clear() => Seen.Clear();

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Seen.Add($"saving: {State}");
            return result;
        }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Seen.Add($"saving: {State}");
            return ValueTask.FromResult(result);
        }

        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            Seen.Add($"saved: {State}");
            return result;
        }

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Seen.Add($"saved: {State}");
            return ValueTask.FromResult(result);
        }

        public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
        {
            Seen.Add($"begin: {State}");
            return result;
        }

        public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
            DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            Seen.Add($"begin: {State}");
            return ValueTask.FromResult(result);
        }

        public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Seen.Add($"committed: {State}");

        public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Seen.Add($"committed: {State}");
            return Task.CompletedTask;
        }

        public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Note(command);
            return result;
        }

        public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Note(command);
            return ValueTask.FromResult(result);
        }

        public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Note(command);
            return result;
        }

        public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Note(command);
            return ValueTask.FromResult(result);
        }

        private void Note(DbCommand command)
        {
            foreach (var statement in command.CommandText.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (statement.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase))
                {
                    Seen.Add($"insert: {State}");
                }
            }
        }
    }
}
