using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderHub.Domain.Reconciliation;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Persistence.Configurations;

internal sealed class ReconciliationRunConfiguration : IEntityTypeConfiguration<ReconciliationRun>
{
    public void Configure(EntityTypeBuilder<ReconciliationRun> b)
    {
        b.ToTable("ReconciliationRuns");
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.Trigger).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.PosKind).HasMaxLength(Limits.Enum);
        b.Property(x => x.Error).HasMaxLength(Limits.Text);
        b.Property(x => x.ErrorKey).HasMaxLength(64);
        b.Property(x => x.ErrorArgs).HasMaxLength(Limits.Text);
        b.Property(x => x.RequestedBy).HasMaxLength(Limits.Actor);
        b.Ignore(x => x.Clean);

        // One run per point and day: the insert is the claim, so two instances never compare a day twice.
        b.HasIndex(x => new { x.PickupPointId, x.Day }).IsUnique();
        b.HasIndex(x => new { x.State, x.LeaseUntil });
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PickupPoint>().WithMany().HasForeignKey(x => x.PickupPointId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Findings).WithOne().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReconciliationFindingConfiguration : IEntityTypeConfiguration<ReconciliationFinding>
{
    public void Configure(EntityTypeBuilder<ReconciliationFinding> b)
    {
        b.ToTable("ReconciliationFindings");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.OrderNumber).HasMaxLength(Limits.Key);
        b.Property(x => x.ExportState).HasMaxLength(Limits.Enum);
        b.Property(x => x.PosOrderIds).HasMaxLength(Limits.Text);
        b.Property(x => x.RedrivenBy).HasMaxLength(Limits.Actor);
        b.HasIndex(x => x.RunId);
    }
}
