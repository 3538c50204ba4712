using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Export;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.Inbound;

namespace OrderHub.Api.Processing;

/// <summary>
/// Wakes the queue whose rows a save added, or changed so that they wait to be claimed (inbox events, export
/// entries, fiscal receipts, alert messages), so use cases only add rows and save. A change that finishes a row
/// (an inbox round marking its events processed) wakes nothing: that woke the queue after each of its own rounds
/// for a claim that found nothing. After the save, not before: a row the engine could not yet see would wait for
/// the next poll. Registered after the interceptors that add rows while saving (alerts).
/// </summary>
public sealed class QueueWakeInterceptor(QueueWake wake) : SaveHooks
{
    private sealed class Queues
    {
        public bool[] Touched { get; } = new bool[Enum.GetValues<QueueName>().Length];
    }

    private readonly ConditionalWeakTable<DbContext, Queues> _pending = [];

    protected override void Saving(DbContext? context) => Mark(context);

    protected override void Saved(DbContext? context) => Wake(context);

    protected override void Ended(DbContext? context) => Forget(context);

    private void Mark(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        Queues? queues = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (QueueOf(entry.Entity) is not { } queue || !(entry.State == EntityState.Added || (entry.State == EntityState.Modified && Waiting(entry.Entity))))
            {
                continue;
            }

            queues ??= new Queues();
            queues.Touched[(int)queue] = true;
        }

        if (queues is not null)
        {
            _pending.AddOrUpdate(context, queues);
        }
    }

    private void Wake(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var queues) || !_pending.Remove(context))
        {
            return;
        }

        // Inside an explicit transaction the rows become visible at its commit, a moment later; an engine that
        // finds nothing yet sees them on its next round.
        for (var i = 0; i < queues.Touched.Length; i++)
        {
            if (queues.Touched[i])
            {
                wake.Notify((QueueName)i);
            }
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }

    private static QueueName? QueueOf(object entity) => entity switch
    {
        InboxEvent => QueueName.Inbox,
        ExportQueueEntry => QueueName.Export,
        FiscalReceipt => QueueName.Fiscal,
        AlertMessage => QueueName.Alerts,
        _ => null,
    };

    /// <summary>Whether a changed row waits to be claimed (again): released, retried or replayed rather than finished.</summary>
    private static bool Waiting(object entity) => entity switch
    {
        InboxEvent e => e.State == InboxEventState.Received,
        ExportQueueEntry e => e.State == ExportQueueState.Pending,
        FiscalReceipt r => r.State is FiscalReceiptState.Pending or FiscalReceiptState.SentToPrint or FiscalReceiptState.Unclear,
        AlertMessage a => a.State == AlertMessageState.Pending,
        _ => false,
    };
}
