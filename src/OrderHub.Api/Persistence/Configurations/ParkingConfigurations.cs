using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderHub.Domain.Parking;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Persistence.Configurations;

internal sealed class ParkedQueueConfiguration : IEntityTypeConfiguration<ParkedQueue>
{
    public void Configure(EntityTypeBuilder<ParkedQueue> b)
    {
        b.ToTable("ParkedQueues");
        b.Property(x => x.Key).HasMaxLength(Limits.Key);
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.HasIndex(x => new { x.ScopeId, x.Key }).IsUnique();
        b.HasIndex(x => x.CompanyId);
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PickupPoint>().WithMany().HasForeignKey(x => x.PickupPointId).OnDelete(DeleteBehavior.Cascade);
    }
}
