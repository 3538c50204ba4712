using System.Text;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Pos;
using OrderHub.Integrations.Poster;

namespace OrderHub.Api.Features.Webhooks.ReceivePosterEvent;

/// <summary>
/// A verified Poster hook that an online order changed (<c>incoming_order</c>): the change carries no status, so
/// the order is read back from Poster and its status recorded, once per hook (<c>duplicate</c> after that).
/// </summary>
/// <param name="Body">The hook's raw bytes, kept as the inbound event's payload.</param>
public sealed record ApplyPosterOrderStatusCommand(PosterWebhook Hook, ReadOnlyMemory<byte> Body) : IRequest<PosterEventReceipt>;

public sealed class ApplyPosterOrderStatusHandler(
    OrderHubDbContext db,
    IEnumerable<IPosClient> clients,
    PosRequestBuilder requests,
    TimeProvider time) : IRequestHandler<ApplyPosterOrderStatusCommand, PosterEventReceipt>
{
    public async Task<PosterEventReceipt> Handle(ApplyPosterOrderStatusCommand request, CancellationToken cancellationToken)
    {
        var hook = request.Hook;
        // Poster's online order ids are unique per account, so at most one order matches.
        var onAccount = await EffectivePosIntegrations.OnPosterAccountAsync(db, hook.Account, cancellationToken);
        var accountPoints = onAccount.Keys.ToList();
        var matched = await db.Orders.FirstOrDefaultAsync(o => accountPoints.Contains(o.PickupPointId) && o.PosOrderId == hook.ObjectId, cancellationToken);
        var found = matched is null ? null : new { Order = matched, onAccount[matched.PickupPointId].Integration };
        if (found is null)
        {
            return new PosterEventReceipt("unknown_order", []);
        }

        var target = found.Order;
        var dedupKey = $"poster:{hook.Account}:{hook.ObjectId}:{hook.Time}";
        if (await db.InboundEvents.AnyAsync(e => e.CompanyId == target.CompanyId && e.DedupKey == dedupKey, cancellationToken))
        {
            return new PosterEventReceipt("duplicate", [target.Id]);
        }

        var client = clients.First(c => c.Kind == PosKind.Poster);
        var status = await client.GetOrderStatusAsync(requests.Target(found.Integration), hook.ObjectId, cancellationToken);
        if (status.Outcome != PosPushOutcome.Delivered)
        {
            // Poster retries the hook; the status is read again then.
            throw new ProblemException(StatusCodes.Status503ServiceUnavailable, "Poster could not be read back",
                $"Reading online order {hook.ObjectId} from Poster failed: {status.Message}");
        }

        var now = time.GetUtcNow();
        db.InboundEvents.Add(new InboundEvent
        {
            CompanyId = target.CompanyId,
            WebhookId = dedupKey,
            DedupKey = dedupKey,
            EventType = "poster.incoming_order.changed",
            DotsOrderId = target.DotsOrderId,
            OrderId = target.Id,
            State = InboundEventState.Processed,
            ReceivedAt = now,
            RawPayload = Encoding.UTF8.GetString(request.Body.Span),
        });
        db.RecordPosStatus(target, now, status.PosStatus!,
            status.PosStatus == "rejected"
                ? Msg.Of("pos.cashierRejected").With("detail", Msg.From(status.MessageRef) ?? Msg.Of("text", ("text", status.Message)))
                : Msg.From(status.MessageRef) ?? Msg.Of("text", ("text", status.Message)), "poster");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return new PosterEventReceipt("duplicate", [target.Id]);
        }

        return new PosterEventReceipt("applied", [target.Id]);
    }
}
