using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.Persistence.Configurations;

internal sealed class PosFeedMessageConfiguration : IEntityTypeConfiguration<PosFeedMessage>
{
    public void Configure(EntityTypeBuilder<PosFeedMessage> b)
    {
        b.ToTable("PosFeedMessages");
        b.HasKey(x => x.Sequence);
        b.Property(x => x.Sequence).ValueGeneratedOnAdd();
        b.Property(x => x.MessageId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.Type).HasMaxLength(Limits.Key);
        b.HasIndex(x => new { x.IntegrationId, x.Sequence });
        b.HasIndex(x => new { x.IntegrationId, x.MessageId }).IsUnique();

        // Deleted with its order (retention): the feed window is the history's.
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PosFeedPositionConfiguration : IEntityTypeConfiguration<PosFeedPosition>
{
    public void Configure(EntityTypeBuilder<PosFeedPosition> b)
    {
        b.ToTable("PosFeedPositions");
        b.HasKey(x => x.IntegrationId);
        b.Property(x => x.IntegrationId).ValueGeneratedNever();
    }
}
