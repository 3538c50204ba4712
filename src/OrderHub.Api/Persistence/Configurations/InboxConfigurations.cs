using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Persistence.Configurations;

internal sealed class InboxEventConfiguration : IEntityTypeConfiguration<InboxEvent>
{
    public void Configure(EntityTypeBuilder<InboxEvent> b)
    {
        b.ToTable("InboxEvents");
        b.Property(x => x.WebhookId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.EventType).HasMaxLength(Limits.Key);
        b.Property(x => x.DotsOrderId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.OrderingKey).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.WebhookTimestamp).HasMaxLength(Limits.Enum);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.ParkedReason).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.Outcome).HasMaxLength(Limits.Enum);
        b.Property(x => x.LastError).HasMaxLength(Limits.Text);

        // Every claim raises Attempts and sets a new owner token: an outcome written through a tracked row fails
        // once the claim it was read under has been lost.
        b.Property(x => x.Attempts).IsConcurrencyToken();
        b.Property(x => x.LeaseOwner).HasMaxLength(Limits.Key).IsConcurrencyToken();
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.CompanyId, x.WebhookId }).IsUnique();
        b.HasIndex(x => new { x.State, x.NextAttemptAt });
        b.HasIndex(x => new { x.CompanyId, x.DotsOrderId });

        // The claim's question "does another claim hold this key?": one seek per candidate.
        b.HasIndex(x => new { x.CompanyId, x.OrderingKey, x.LeaseUntil });
    }
}
