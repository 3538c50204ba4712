using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.TestOrders;

/// <summary>
/// Sends a clearly marked test order to the point's POS through the real export path (the export queue, the
/// same POS client and resilience): <c>[TEST]</c> starts its number and its comment, so the cashier sees it. Items are
/// chosen from the point's imported POS catalog, at the catalog's prices. It is sent whatever the point's mode
/// (a shadow point uses it to prove the connection) and never counts in dashboards, reconciliation or reports.
/// </summary>
public sealed record CreateTestOrderCommand : IRequest<TestOrderDto>
{
    [JsonIgnore]
    public Guid PickupPointId { get; init; }

    [JsonIgnore]
    public string Actor { get; init; } = "";

    /// <summary>The items, by their POS catalog ids (as <c>GET /api/pickup-points/{id}/pos-catalog</c> lists them).</summary>
    public IReadOnlyList<TestOrderItem>? Items { get; init; }

    /// <summary>Optional words for the cashier, after the <c>[TEST]</c> marker.</summary>
    public string? Comment { get; init; }

    /// <summary>
    /// The customer phone the POS gets (Poster requires one); default <see cref="CreateTestOrderHandler.DefaultPhone"/>,
    /// a number nobody has, so no real customer is created or called.
    /// </summary>
    public string? Phone { get; init; }
}

/// <param name="ProductId">The POS product id.</param>
/// <param name="VariantId">The POS variant (Poster modificator) id, when the product has variants.</param>
/// <param name="ModifierIds">POS modifier (Poster dish modification) ids, one of each.</param>
/// <param name="Quantity">Default 1.</param>
public sealed record TestOrderItem(string? ProductId, string? VariantId = null, IReadOnlyList<string>? ModifierIds = null, decimal? Quantity = null);

public sealed class CreateTestOrderValidator : AbstractValidator<CreateTestOrderCommand>
{
    public CreateTestOrderValidator()
    {
        RuleFor(c => c.Items).NotEmpty().WithMessageKey("valid.testOrder.items")
            .Must(i => i!.Count <= 20).WithMessageKey("valid.testOrder.maxItems", ("max", 20));
        RuleForEach(c => c.Items).ChildRules(item =>
        {
            item.RuleFor(i => i.ProductId).NotEmpty().MaximumLength(Limits.ExternalId);
            item.RuleFor(i => i.VariantId).MaximumLength(Limits.ExternalId);
            item.RuleFor(i => i.Quantity).GreaterThan(0).LessThanOrEqualTo(20).When(i => i.Quantity is not null);
        });
        RuleFor(c => c.Comment).MaximumLength(200);
        RuleFor(c => c.Phone).Matches(@"^\+?[0-9 ()-]{7,20}$").When(c => c.Phone is not null).WithMessageKey("valid.phone");
    }
}

public sealed class CreateTestOrderHandler(OrderHubDbContext db, AccessScope access, TimeProvider time, TestOrderReader reader)
    : IRequestHandler<CreateTestOrderCommand, TestOrderDto>
{
    public const string Marker = "[TEST]";
    public const string CreatedAction = "order.test_created";
    public const string DefaultPhone = "+380000000000";

    public async Task<TestOrderDto> Handle(CreateTestOrderCommand request, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        var point = await db.PickupPoints.AsNoTracking().FirstAsync(p => p.Id == request.PickupPointId, cancellationToken);
        var integration = (await EffectivePosIntegrations.ForPointAsync(db, point, cancellationToken))?.Integration;
        if (integration is null)
        {
            throw ProblemException.Conflict(Msg.Of("problem.testOrderNoPos"), Msg.Of("problem.testOrderNoPos.detail", ("point", point.Name)));
        }

        if (!integration.Enabled)
        {
            throw ProblemException.Conflict(Msg.Of("problem.testOrderPosDisabled"), Msg.Of("problem.testOrderPosDisabled.detail", ("point", point.Name)));
        }

        var catalog = (await db.PosCatalogItems.AsNoTracking()
                .Where(i => i.PickupPointId == point.Id && i.RemovedAt == null)
                .Select(i => new { i.Kind, i.ExternalId, i.Name, i.Price })
                .ToListAsync(cancellationToken))
            .GroupBy(i => (i.Kind, i.ExternalId)).ToDictionary(g => g.Key, g => g.First());

        var now = time.GetUtcNow();
        var order = new Order
        {
            CompanyId = point.CompanyId,
            PickupPointId = point.Id,
            DeliveryType = "pickup",
            PaymentType = "cash",
            Currency = "UAH",
            DotsStatus = "accepted",
            AcceptedBy = request.Actor,
            AcceptedAt = now,
            ReceivedAt = now,
            UpdatedAt = now,
            CustomerName = "OrderHub test",
            CustomerPhone = string.IsNullOrWhiteSpace(request.Phone) ? DefaultPhone : request.Phone.Trim(),
            IsTest = true,
        };
        order.DotsOrderId = $"test_{order.Id:N}";
        var testNumber = await db.Orders.CountAsync(o => o.PickupPointId == point.Id && o.IsTest, cancellationToken) + 1;
        order.Number = $"{Marker}-{testNumber}";
        order.Comment = $"{Marker} " + (string.IsNullOrWhiteSpace(request.Comment)
            ? "Тестове замовлення OrderHub, не готувати / OrderHub test order, do not prepare"
            : request.Comment.Trim());

        var items = request.Items!;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var product = catalog.GetValueOrDefault((ExternalIdKind.Product, item.ProductId!))
                ?? throw ProblemException.Invalid($"items[{i}].productId", Msg.Of("refusal.notInCatalog", ("id", item.ProductId), ("kind", Msg.Term("refusal.catalogKind.product"))));
            var variant = item.VariantId is null
                ? null
                : catalog.GetValueOrDefault((ExternalIdKind.Variant, item.VariantId))
                  ?? throw ProblemException.Invalid($"items[{i}].variantId", Msg.Of("refusal.notInCatalog", ("id", item.VariantId), ("kind", Msg.Term("refusal.catalogKind.variant"))));
            var line = new OrderLine
            {
                OrderId = order.Id,
                Position = i,
                DotsProductId = "test:" + product.ExternalId,
                DotsVariantId = variant is null ? null : "test:" + variant.ExternalId,
                Name = variant is null ? product.Name : $"{product.Name} ({variant.Name})",
                Quantity = item.Quantity ?? 1,
                Price = variant?.Price ?? product.Price ?? 0,
                ExternalProductId = product.ExternalId,
                ExternalVariantId = variant?.ExternalId,
            };
            var modifierIds = item.ModifierIds ?? [];
            for (var m = 0; m < modifierIds.Count; m++)
            {
                var modifier = catalog.GetValueOrDefault((ExternalIdKind.Modifier, modifierIds[m]))
                    ?? throw ProblemException.Invalid($"items[{i}].modifierIds[{m}]", Msg.Of("refusal.notInCatalog", ("id", modifierIds[m]), ("kind", Msg.Term("refusal.catalogKind.modifier"))));
                line.Modifiers.Add(new OrderLineModifier
                {
                    OrderLineId = line.Id,
                    Position = m,
                    DotsModifierId = "test:" + modifier.ExternalId,
                    Name = modifier.Name,
                    Quantity = 1,
                    Price = modifier.Price ?? 0,
                    ExternalId = modifier.ExternalId,
                });
            }

            order.Lines.Add(line);
        }

        order.Total = order.ComputedTotal;
        order.MarkQueued();
        db.Orders.Add(order);
        db.ExportQueue.Add(new ExportQueueEntry
        {
            OrderId = order.Id,
            PickupPointId = point.Id,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        });
        db.Record(order, now, CreatedAction, ActionOutcome.Info,
            Msg.Of("testOrder.created", ("number", order.Number), ("items", order.Lines.Count), ("total", order.Total), ("currency", order.Currency), ("point", point.Name)),
            request.Actor);
        db.Record(order, now, Actions.ExportQueued, ActionOutcome.Success, Msg.Of("export.queued", ("point", point.Name)), request.Actor);
        await db.SaveChangesAsync(cancellationToken);
        return await reader.ReadAsync(point.Id, order.Id, cancellationToken);
    }
}
