using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using OrderHub.Api.Persistence;
using OrderHub.Domain;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Export;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.Inbound;

namespace OrderHub.Api.Processing;

/// <summary>One claim: lease up to <paramref name="Count"/> due rows to <paramref name="Token"/> until <paramref name="LeaseUntil"/>.</summary>
public sealed record LeaseClaim(int Count, DateTimeOffset Now, DateTimeOffset LeaseUntil, string Token);

/// <summary>
/// The one place with provider-specific claim SQL. SQLite and PostgreSQL: select the due candidates, then one
/// conditional UPDATE that re-checks the lease row by row (PostgreSQL re-evaluates it after waiting for a row
/// another claim locked; SQLite has one writer), so of two racing instances exactly one takes each row. SQL
/// Server: <see cref="SqlServerClaimSql"/>, one statement that passes rows other instances hold locked. Both set
/// the same columns per queue and return the ids this claim won.
/// </summary>
public abstract class ClaimSql
{
    private static readonly ClaimSql Portable = new PortableClaimSql(oneWriter: false);
    private static readonly ClaimSql SqlServer = new SqlServerClaims();

    private static readonly ClaimSql Sqlite = new PortableClaimSql(oneWriter: true);

    public static ClaimSql For(DatabaseFacade database) => database.ProviderName switch
    {
        "Microsoft.EntityFrameworkCore.SqlServer" => SqlServer,
        "Microsoft.EntityFrameworkCore.Sqlite" => Sqlite,
        _ => Portable,
    };

    /// <summary>Leases due rows of <paramref name="queue"/> and returns the ids this claim won (outside any transaction).</summary>
    public abstract Task<List<Guid>> ClaimAsync(OrderHubDbContext db, QueueName queue, LeaseClaim claim, CancellationToken cancellationToken);

    /// <summary>
    /// The export entries <paramref name="ids"/>, tracked, for an outcome write inside the caller's transaction:
    /// once read they cannot be claimed by anyone else until that transaction ends, so the caller checks each
    /// claim (owner token, attempt count, state) in memory and saves the new values with its other rows. SQLite:
    /// a plain read (the transaction began immediate and holds the one writer lock). PostgreSQL: <c>FOR UPDATE</c>
    /// (a claim racing for a row waits, then re-checks its lease condition and finds it released). SQL Server:
    /// <c>UPDLOCK</c> (<see cref="SqlServerClaimSql.HeldExport"/>), which a claim's <c>READPAST</c> passes.
    /// </summary>
    public static IQueryable<ExportQueueEntry> HeldExportEntries(OrderHubDbContext db, IReadOnlyList<Guid> ids) => db.Database.ProviderName switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => db.ExportQueue.Where(e => ids.Contains(e.Id)),
        "Microsoft.EntityFrameworkCore.SqlServer" => db.ExportQueue.FromSqlRaw(SqlServerClaimSql.HeldExport, SqlServerClaimSql.Ids(ids)),
        _ => db.ExportQueue.FromSql($"""SELECT * FROM "ExportQueue" WHERE "Id" = ANY({ids.ToArray()}) FOR UPDATE"""),
    };

    /// <summary>
    /// Frees the rows still leased under <paramref name="tokenPrefix"/> (this instance before its restart): they are
    /// claimable again at once. An export entry freed so may have reached the POS, and is looked up before it is sent.
    /// </summary>
    public static Task<int> ReleaseAsync(OrderHubDbContext db, QueueName queue, string tokenPrefix, CancellationToken cancellationToken) => queue switch
    {
        QueueName.Inbox => Release(db.InboxEvents.Where(e => e.State == InboxEventState.Received), tokenPrefix, null, cancellationToken),
        QueueName.Export => Release(db.ExportQueue.Where(e => e.State == ExportQueueState.Pending), tokenPrefix,
            set => set.SetProperty(e => e.MayHaveReachedPos, true), cancellationToken),
        QueueName.Fiscal => Release(db.FiscalReceipts.Where(FiscalDue), tokenPrefix, null, cancellationToken),
        QueueName.Alerts => Release(db.AlertMessages.Where(m => m.State == AlertMessageState.Pending), tokenPrefix, null, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(queue)),
    };

    /// <summary>Receipts still to be sent, printed or made clear.</summary>
    private static readonly Expression<Func<FiscalReceipt, bool>> FiscalDue = r =>
        r.State == FiscalReceiptState.Pending || r.State == FiscalReceiptState.SentToPrint || r.State == FiscalReceiptState.Unclear;

    private static Task<int> Release<T>(IQueryable<T> held, string tokenPrefix, Action<UpdateSettersBuilder<T>>? also, CancellationToken cancellationToken)
        where T : class, ILeasedRow =>
        held.Where(r => r.LeaseOwner != null && r.LeaseOwner.StartsWith(tokenPrefix))
            .ExecuteUpdateAsync(set =>
            {
                also?.Invoke(set);
                set.SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null).SetProperty(r => r.LeaseOwner, (string?)null);
            }, cancellationToken);

    /// <param name="oneWriter">
    /// SQLite: choosing and leasing run in one immediate transaction (one writer: nothing changes in between), so
    /// the update finds the chosen rows by their key alone. With the due condition repeated in it, SQLite's planner
    /// answered the update from the (state, next attempt) index instead: every due row's entry read on every claim,
    /// the whole backlog each time (5–10 ms a claim behind a few thousand events).
    /// </param>
    private sealed class PortableClaimSql(bool oneWriter) : ClaimSql
    {
        public override Task<List<Guid>> ClaimAsync(OrderHubDbContext db, QueueName queue, LeaseClaim claim, CancellationToken cancellationToken)
        {
            var now = claim.Now;
            return queue switch
            {
                // Passes over the events whose ordering key (their pickup point) another claim still holds: a key's
                // events are applied by one round at a time, so a round may be large and the key's arrival order is
                // kept. On PostgreSQL two claims racing at the same moment can both take one key's events (each row
                // still goes to exactly one of them); only their order can suffer then, never the exactly-once.
                QueueName.Inbox => Claim(db, oneWriter, db.InboxEvents.Where(e => e.State == InboxEventState.Received),
                    q => q.Where(e => e.OrderingKey == null || !db.InboxEvents.Any(held =>
                            held.CompanyId == e.CompanyId && held.OrderingKey == e.OrderingKey && held.LeaseUntil >= now))
                        .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id),
                    claim, null, cancellationToken),
                QueueName.Export => Claim(db, oneWriter, db.ExportQueue.Where(e => e.State == ExportQueueState.Pending),
                    q => q.OrderBy(e => e.NextAttemptAt).ThenBy(e => e.CreatedAt), claim,
                    set => set
                        // A lease that ran out with no outcome: that attempt may have reached the POS.
                        .SetProperty(e => e.MayHaveReachedPos, e => e.MayHaveReachedPos || e.LeaseOwner != null)
                        .SetProperty(e => e.FirstAttemptAt, e => e.FirstAttemptAt ?? now)
                        .SetProperty(e => e.UpdatedAt, now),
                    cancellationToken),
                QueueName.Fiscal => Claim(db, oneWriter, db.FiscalReceipts.Where(FiscalDue),
                    q => q.OrderBy(r => r.NextAttemptAt), claim, set => set.SetProperty(r => r.UpdatedAt, now), cancellationToken),
                QueueName.Alerts => Claim(db, oneWriter, db.AlertMessages.Where(m => m.State == AlertMessageState.Pending),
                    q => q.OrderBy(m => m.NextAttemptAt).ThenBy(m => m.CreatedAt), claim, null, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(queue)),
            };
        }

        private static async Task<List<Guid>> Claim<T>(
            OrderHubDbContext db, bool oneWriter, IQueryable<T> waiting, Func<IQueryable<T>, IOrderedQueryable<T>> order, LeaseClaim claim,
            Action<UpdateSettersBuilder<T>>? also, CancellationToken cancellationToken)
            where T : class, ILeasedRow
        {
            var (now, token, leaseUntil) = (claim.Now, claim.Token, claim.LeaseUntil);
            var due = waiting.Where(r => r.NextAttemptAt <= now && (r.LeaseUntil == null || r.LeaseUntil < now));
            void Lease(UpdateSettersBuilder<T> set)
            {
                also?.Invoke(set);
                set.SetProperty(r => r.LeaseUntil, (DateTimeOffset?)leaseUntil)
                    .SetProperty(r => r.LeaseOwner, token)
                    .SetProperty(r => r.Attempts, r => r.Attempts + 1);
            }

            if (oneWriter)
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var chosen = await order(due.AsNoTracking()).Select(r => r.Id).Take(claim.Count).ToListAsync(cancellationToken);
                if (chosen.Count > 0)
                {
                    await db.Set<T>().Where(r => chosen.Contains(r.Id)).ExecuteUpdateAsync(Lease, cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                return chosen;
            }

            var candidates = await order(due.AsNoTracking()).Select(r => r.Id).Take(claim.Count).ToListAsync(cancellationToken);
            if (candidates.Count == 0)
            {
                return [];
            }

            var updated = await due.Where(r => candidates.Contains(r.Id)).ExecuteUpdateAsync(Lease, cancellationToken);
            if (updated == candidates.Count)
            {
                return candidates;
            }

            // Another instance took some of them first: the ones that carry this token are ours.
            return updated == 0
                ? []
                : await waiting.AsNoTracking().Where(r => r.LeaseOwner == token && candidates.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken);
        }
    }

    private sealed class SqlServerClaims : ClaimSql
    {
        public override Task<List<Guid>> ClaimAsync(OrderHubDbContext db, QueueName queue, LeaseClaim claim, CancellationToken cancellationToken)
        {
            var sql = queue switch
            {
                QueueName.Inbox => SqlServerClaimSql.Inbox,
                QueueName.Export => SqlServerClaimSql.Export,
                QueueName.Fiscal => SqlServerClaimSql.Fiscal,
                QueueName.Alerts => SqlServerClaimSql.Alert,
                _ => throw new ArgumentOutOfRangeException(nameof(queue)),
            };
            return SqlServerClaimSql.ClaimAsync(db, sql, claim.Count, claim.Now, claim.LeaseUntil, claim.Token, cancellationToken);
        }
    }
}
