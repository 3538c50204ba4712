using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Persistence.Configurations;

internal sealed class CityConfiguration : IEntityTypeConfiguration<City>
{
    public void Configure(EntityTypeBuilder<City> b)
    {
        b.ToTable("Cities");
        b.Property(x => x.DotsCityId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.HasIndex(x => x.DotsCityId).IsUnique();
    }
}

internal sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> b)
    {
        b.ToTable("Companies");
        b.Property(x => x.DotsCompanyId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.Key).HasMaxLength(Limits.Key);
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.SigningSecretProtected).HasMaxLength(Limits.Protected);
        b.Property(x => x.PreviousSigningSecretProtected).HasMaxLength(Limits.Protected);
        b.HasIndex(x => x.Key).IsUnique();
        b.HasIndex(x => x.DotsCompanyId).IsUnique();
        b.HasOne<City>().WithMany().HasForeignKey(x => x.CityId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PickupPointConfiguration : IEntityTypeConfiguration<PickupPoint>
{
    public void Configure(EntityTypeBuilder<PickupPoint> b)
    {
        b.ToTable("PickupPoints");
        b.Property(x => x.DotsAddressId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.Address).HasMaxLength(Limits.Text);
        b.Property(x => x.TimeZone).HasMaxLength(Limits.Key);
        b.HasIndex(x => new { x.CompanyId, x.DotsAddressId }).IsUnique();
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PosIntegrationConfiguration : IEntityTypeConfiguration<PosIntegration>
{
    public void Configure(EntityTypeBuilder<PosIntegration> b)
    {
        b.ToTable("PosIntegrations");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.PosterAccount).HasMaxLength(Limits.Key);
        b.Property(x => x.WebhookUrl).HasMaxLength(Limits.Url);
        b.Property(x => x.SecretProtected).HasMaxLength(Limits.Protected);
        b.Property(x => x.DisabledReason).HasMaxLength(Limits.Text);
        b.Property(x => x.LastCheckMessage).HasMaxLength(Limits.Text);
        b.Property(x => x.LastCheckReason).HasMaxLength(Limits.Enum);
        b.Property(x => x.LastCheckFixHint).HasMaxLength(Limits.Text);
        b.Property(x => x.AutoSyncOverrideBy).HasMaxLength(Limits.Actor);
        b.Property(x => x.AutoSyncOverrideReason).HasMaxLength(Limits.Text);
        b.Property(x => x.AutoSyncOverrideCoverage).HasPrecision(5, 2);
        b.Property(x => x.AutoSyncOverrideMissing).HasMaxLength(Limits.Text);

        // Shadow mode (issue 18)
        b.Property(x => x.Mode).HasConversion<string>().HasMaxLength(Limits.Enum).HasDefaultValue(PosMode.Live).HasSentinel(PosMode.Live);

        b.HasIndex(x => x.PickupPointId).IsUnique();
        b.HasOne<PickupPoint>().WithMany().HasForeignKey(x => x.PickupPointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CompanyPosIntegrationConfiguration : IEntityTypeConfiguration<CompanyPosIntegration>
{
    public void Configure(EntityTypeBuilder<CompanyPosIntegration> b)
    {
        b.ToTable("CompanyPosIntegrations");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.PosterAccount).HasMaxLength(Limits.Key);
        b.Property(x => x.WebhookUrl).HasMaxLength(Limits.Url);
        b.Property(x => x.SecretProtected).HasMaxLength(Limits.Protected);
        b.HasIndex(x => x.CompanyId).IsUnique();
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ExternalIdMappingConfiguration : IEntityTypeConfiguration<ExternalIdMapping>
{
    public void Configure(EntityTypeBuilder<ExternalIdMapping> b)
    {
        b.ToTable("ExternalIds");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.DotsId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.ExternalId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.HasIndex(x => new { x.ScopeId, x.Kind, x.DotsId }).IsUnique();
        b.HasIndex(x => new { x.CompanyId, x.Kind });
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PickupPoint>().WithMany().HasForeignKey(x => x.PickupPointId).OnDelete(DeleteBehavior.Cascade);
    }
}
