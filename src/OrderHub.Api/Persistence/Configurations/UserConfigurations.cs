using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderHub.Domain.Auditing;
using OrderHub.Domain.Tenancy;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("Users");
        b.Property(x => x.LoginName).HasMaxLength(Limits.Key);
        b.Property(x => x.DisplayName).HasMaxLength(Limits.Name);
        b.Property(x => x.Role).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.PasswordHash).HasMaxLength(Limits.Name);
        b.Property(x => x.Language).HasMaxLength(8);
        b.Property(x => x.SecurityStamp).HasMaxLength(Limits.Key);
        b.Property(x => x.ParkedVisibility).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.HasIndex(x => x.LoginName).IsUnique();
        b.HasMany(x => x.Companies).WithOne().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserCompanyConfiguration : IEntityTypeConfiguration<UserCompany>
{
    public void Configure(EntityTypeBuilder<UserCompany> b)
    {
        b.ToTable("UserCompanies");
        b.HasKey(x => new { x.UserId, x.CompanyId });
        b.HasIndex(x => x.CompanyId);
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserApiKeyConfiguration : IEntityTypeConfiguration<UserApiKey>
{
    public void Configure(EntityTypeBuilder<UserApiKey> b)
    {
        b.ToTable("UserApiKeys");
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.Prefix).HasMaxLength(Limits.Enum);
        b.Property(x => x.KeyHash).HasMaxLength(Limits.Key);
        b.HasIndex(x => x.Prefix);
        b.HasIndex(x => x.UserId);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditEntries");
        b.Property(x => x.Actor).HasMaxLength(Limits.Actor);
        b.Property(x => x.EntityType).HasMaxLength(Limits.Action);
        b.Property(x => x.EntityId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.Action).HasMaxLength(Limits.Action);
        b.HasIndex(x => x.At);
        b.HasIndex(x => new { x.CompanyId, x.At });
        b.HasIndex(x => new { x.EntityType, x.EntityId });
    }
}
