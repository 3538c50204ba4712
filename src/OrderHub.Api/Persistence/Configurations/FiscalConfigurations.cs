using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Persistence.Configurations;

internal sealed class FiscalConnectionConfiguration : IEntityTypeConfiguration<FiscalConnection>
{
    public void Configure(EntityTypeBuilder<FiscalConnection> b)
    {
        b.ToTable("FiscalConnections");
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.Provider).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.PinProtected).HasMaxLength(Limits.Protected);
        b.Property(x => x.LicenseKeyProtected).HasMaxLength(Limits.Protected);
        b.Property(x => x.KeyMaterialProtected).HasMaxLength(32_768);
        b.Property(x => x.DefaultTaxCode).HasMaxLength(Limits.Enum);
        b.Property(x => x.ProductTaxCodes).HasMaxLength(65_536);
        b.Property(x => x.StatusMessage).HasMaxLength(Limits.Text);
        b.Property(x => x.StatusMessageKey).HasMaxLength(64);
        b.Property(x => x.StatusMessageArgs).HasMaxLength(Limits.Text);

        // One default per company (PickupPointId null) and one per point: the key is (company, point or company id).
        b.HasIndex(x => x.ScopeId).IsUnique();
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<PickupPoint>().WithMany().HasForeignKey(x => x.PickupPointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FiscalEmployeeConfiguration : IEntityTypeConfiguration<FiscalEmployee>
{
    public void Configure(EntityTypeBuilder<FiscalEmployee> b)
    {
        b.ToTable("FiscalEmployees");
        b.Property(x => x.Name).HasMaxLength(Limits.Name);
        b.Property(x => x.UserName).HasMaxLength(Limits.Actor);
        b.Property(x => x.FiscalNumber).HasMaxLength(Limits.Enum);
        b.HasIndex(x => new { x.PickupPointId, x.UserName }).IsUnique();
        b.HasOne<PickupPoint>().WithMany().HasForeignKey(x => x.PickupPointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FiscalReceiptConfiguration : IEntityTypeConfiguration<FiscalReceipt>
{
    public void Configure(EntityTypeBuilder<FiscalReceipt> b)
    {
        b.ToTable("FiscalReceipts");
        b.Property(x => x.DedupKey).HasMaxLength(Limits.Key + 16);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.Provider).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.CopyState).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.CashierName).HasMaxLength(Limits.Name);
        b.Property(x => x.RegisterFiscalNumber).HasMaxLength(Limits.Enum);
        b.Property(x => x.PaymentType).HasMaxLength(Limits.Enum);
        b.Property(x => x.Total).HasPrecision(18, 2);
        b.Property(x => x.Content).HasMaxLength(262_144);
        b.Property(x => x.Contact).HasMaxLength(Limits.Name);
        b.Property(x => x.ContactSource).HasMaxLength(Limits.Key);
        b.Property(x => x.BuyerName).HasMaxLength(Limits.Name);
        b.Property(x => x.BuyerTaxId).HasMaxLength(Limits.Enum);
        b.Property(x => x.FiscalCode).HasMaxLength(Limits.Key);
        b.Property(x => x.TaxUrl).HasMaxLength(Limits.Url);
        b.Property(x => x.Error).HasMaxLength(Limits.Text);
        b.Property(x => x.FixHint).HasMaxLength(Limits.Text);
        b.Property(x => x.RequestedBy).HasMaxLength(Limits.Actor);
        b.Property(x => x.LeaseOwner).HasMaxLength(Limits.Key);
        b.Property(x => x.Attempts).IsConcurrencyToken();
        b.Ignore(x => x.IsOpen);
        b.HasIndex(x => x.DedupKey).IsUnique();
        b.HasIndex(x => x.OrderId);
        b.HasIndex(x => new { x.State, x.NextAttemptAt });
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}
