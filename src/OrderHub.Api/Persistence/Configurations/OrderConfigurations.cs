using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Persistence.Configurations;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.ToTable("Orders");
        b.Property(x => x.DotsOrderId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.Number).HasMaxLength(Limits.Key);
        b.Property(x => x.DotsStatus).HasMaxLength(Limits.Key);
        b.Property(x => x.CancelReason).HasMaxLength(Limits.Name);
        b.Property(x => x.ExportState).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.Problem).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.ParkedQueue).HasMaxLength(Limits.Key);
        b.Property(x => x.ParkedBy).HasMaxLength(Limits.Name);
        b.Property(x => x.ParkedByRole).HasMaxLength(Limits.Enum);
        b.Property(x => x.DeliveryType).HasMaxLength(Limits.Enum);
        b.Property(x => x.PaymentType).HasMaxLength(Limits.Enum);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.DeliveryPrice).HasPrecision(18, 2);
        b.Property(x => x.Total).HasPrecision(18, 2);
        b.Property(x => x.Comment).HasMaxLength(Limits.Text);
        b.Property(x => x.AcceptedBy).HasMaxLength(Limits.Actor);
        b.Property(x => x.PosOrderId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.PosStatus).HasMaxLength(Limits.Key);
        b.Property(x => x.CustomerName).HasMaxLength(Limits.Name);
        b.Property(x => x.CustomerPhone).HasMaxLength(Limits.Key);
        b.Property(x => x.CustomerEmail).HasMaxLength(Limits.Name);
        b.OwnsOne(x => x.Address, a =>
        {
            a.Property(x => x.Street).HasMaxLength(Limits.Name).HasColumnName("AddressStreet");
            a.Property(x => x.House).HasMaxLength(Limits.Key).HasColumnName("AddressHouse");
            a.Property(x => x.Entrance).HasMaxLength(Limits.Key).HasColumnName("AddressEntrance");
            a.Property(x => x.Floor).HasMaxLength(Limits.Key).HasColumnName("AddressFloor");
            a.Property(x => x.Apartment).HasMaxLength(Limits.Key).HasColumnName("AddressApartment");
            a.Property(x => x.Comment).HasMaxLength(Limits.Text).HasColumnName("AddressComment");
            a.Property(x => x.ReceiptContact).HasMaxLength(Limits.Name).HasColumnName("AddressReceiptContact");
            a.Property(x => x.Phones).HasMaxLength(Limits.Text).HasColumnName("AddressPhones");
        });
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Promotions).WithOne().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PickupPoint>().WithMany().HasForeignKey(x => x.PickupPointId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.CompanyId, x.DotsOrderId }).IsUnique();

        // The list's filters (point, state, company) each with its sort, ReceivedAt DESC, Id DESC, so a page
        // is an index range read backwards with no sort; (ReceivedAt, Id) for the unfiltered list and retention.
        b.HasIndex(x => new { x.PickupPointId, x.ExportState, x.ReceivedAt, x.Id });
        b.HasIndex(x => new { x.PickupPointId, x.ReceivedAt, x.Id });
        b.HasIndex(x => new { x.CompanyId, x.ReceivedAt, x.Id });
        b.HasIndex(x => new { x.ReceivedAt, x.Id });

        // Retention finds payloads still kept without walking the months it already pruned.
        b.HasIndex(x => x.ReceivedAt, "IX_Orders_ReceivedAt_PayloadKept").HasFilter("\"RawPayloadPrunedAt\" IS NULL");
    }
}

internal sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> b)
    {
        b.ToTable("OrderLines");
        b.Property(x => x.DotsProductId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.DotsVariantId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.Quantity).HasPrecision(18, 3);
        b.Property(x => x.Price).HasPrecision(18, 2);
        b.Property(x => x.ExternalProductId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.ExternalVariantId).HasMaxLength(Limits.ExternalId);
        b.HasMany(x => x.Modifiers).WithOne().HasForeignKey(x => x.OrderLineId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OrderLineModifierConfiguration : IEntityTypeConfiguration<OrderLineModifier>
{
    public void Configure(EntityTypeBuilder<OrderLineModifier> b)
    {
        b.ToTable("OrderLineModifiers");
        b.Property(x => x.DotsModifierId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.DotsGroupId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.Quantity).HasPrecision(18, 3);
        b.Property(x => x.Price).HasPrecision(18, 2);
        b.Property(x => x.ExternalId).HasMaxLength(Limits.ExternalId);
    }
}

internal sealed class OrderPromotionConfiguration : IEntityTypeConfiguration<OrderPromotion>
{
    public void Configure(EntityTypeBuilder<OrderPromotion> b)
    {
        b.ToTable("OrderPromotions");
        b.Property(x => x.DotsPromotionId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.Discount).HasPrecision(18, 2);
        b.Property(x => x.ExternalId).HasMaxLength(Limits.ExternalId);
    }
}

internal sealed class OrderActionConfiguration : IEntityTypeConfiguration<OrderAction>
{
    public void Configure(EntityTypeBuilder<OrderAction> b)
    {
        b.ToTable("OrderActions");
        b.Property(x => x.Action).HasMaxLength(Limits.Action);
        b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.Actor).HasMaxLength(Limits.Actor);
        b.Property(x => x.Reason).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.FixHint).HasMaxLength(Limits.Text);
        b.Property(x => x.Message).HasMaxLength(Limits.Text);
        b.Property(x => x.MessageKey).HasMaxLength(64);
        b.Property(x => x.MessageArgs).HasMaxLength(Limits.Text);
        b.Property(x => x.FixHintKey).HasMaxLength(64);
        b.Property(x => x.FixHintArgs).HasMaxLength(Limits.Text);
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<InboundEvent>().WithMany().HasForeignKey(x => x.InboundEventId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CompanyId, x.At });

        // An order's timeline: its rows in the order they were written.
        b.HasIndex(x => new { x.OrderId, x.Id });
    }
}

internal sealed class InboundEventConfiguration : IEntityTypeConfiguration<InboundEvent>
{
    public void Configure(EntityTypeBuilder<InboundEvent> b)
    {
        b.ToTable("InboundEvents");
        b.Property(x => x.WebhookId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.DedupKey).HasMaxLength(Limits.Name);
        b.Property(x => x.EventType).HasMaxLength(Limits.Key);
        b.Property(x => x.DotsOrderId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.DotsAddressId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(x => new { x.CompanyId, x.WebhookId }).IsUnique();
        b.HasIndex(x => new { x.CompanyId, x.DedupKey }).IsUnique();
        b.HasIndex(x => new { x.State, x.ReceivedAt });
        b.HasIndex(x => x.ReceivedAt, "IX_InboundEvents_ReceivedAt_PayloadKept").HasFilter("\"RawPayloadPrunedAt\" IS NULL AND \"RawPayload\" IS NOT NULL");
    }
}

internal sealed class ExportQueueEntryConfiguration : IEntityTypeConfiguration<ExportQueueEntry>
{
    public void Configure(EntityTypeBuilder<ExportQueueEntry> b)
    {
        b.ToTable("ExportQueue");
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Ignore(x => x.MessageId);

        // Every claim raises Attempts, so a tracked change to an entry (cancel, re-queue) fails instead of
        // overwriting a claim made after it was read.
        b.Property(x => x.Attempts).IsConcurrencyToken();
        b.Property(x => x.LeaseOwner).HasMaxLength(Limits.Key);
        b.Property(x => x.LastError).HasMaxLength(Limits.Text);
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.OrderId, x.Kind }).IsUnique();
        b.HasIndex(x => new { x.State, x.NextAttemptAt });
    }
}
