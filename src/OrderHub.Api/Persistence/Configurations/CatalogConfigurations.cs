using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Persistence.Configurations;

internal sealed class PosCatalogItemConfiguration : IEntityTypeConfiguration<PosCatalogItem>
{
    public void Configure(EntityTypeBuilder<PosCatalogItem> b)
    {
        b.ToTable("PosCatalogItems");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.ExternalId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.ParentExternalId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.PreviousName).HasMaxLength(Limits.Name);
        b.Property(x => x.Price).HasPrecision(18, 2);
        b.Property(x => x.PreviousPrice).HasPrecision(18, 2);
        b.HasIndex(x => new { x.PickupPointId, x.Kind, x.ExternalId }).IsUnique();
        b.HasOne<PickupPoint>().WithMany().HasForeignKey(x => x.PickupPointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DotsMenuItemConfiguration : IEntityTypeConfiguration<DotsMenuItem>
{
    public void Configure(EntityTypeBuilder<DotsMenuItem> b)
    {
        b.ToTable("DotsMenuItems");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.DotsId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.PreviousName).HasMaxLength(Limits.Name);
        b.Property(x => x.Source).HasMaxLength(Limits.Enum);
        b.Property(x => x.Price).HasPrecision(18, 2);
        b.Property(x => x.PreviousPrice).HasPrecision(18, 2);
        b.HasIndex(x => new { x.CompanyId, x.Kind, x.DotsId }).IsUnique();
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}
