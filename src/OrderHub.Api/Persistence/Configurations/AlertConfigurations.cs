using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Persistence.Configurations;

internal sealed class TelegramBotConfiguration : IEntityTypeConfiguration<TelegramBot>
{
    public void Configure(EntityTypeBuilder<TelegramBot> b)
    {
        b.ToTable("TelegramBots");
        b.Property(x => x.TokenProtected).HasMaxLength(Limits.Protected);
        b.Property(x => x.WebhookSecretProtected).HasMaxLength(Limits.Protected);
        b.HasIndex(x => x.CompanyId).IsUnique();
        b.HasIndex(x => x.BotId).IsUnique();
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TelegramChatConfiguration : IEntityTypeConfiguration<TelegramChat>
{
    public void Configure(EntityTypeBuilder<TelegramChat> b)
    {
        b.ToTable("TelegramChats");
        b.Property(x => x.Title).HasMaxLength(Limits.Name);
        b.Property(x => x.MinRegisterAmount).HasPrecision(18, 2);
        b.Property(x => x.MinDiscountPercent).HasPrecision(5, 2);
        b.Property(x => x.Language).HasMaxLength(8).HasDefaultValue("uk");
        // One role per chat and company: a chat is a point's managers' chat or the owners' chat.
        b.HasIndex(x => new { x.CompanyId, x.ChatId }).IsUnique();
        b.HasIndex(x => x.ChatId);
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<PickupPoint>().WithMany().HasForeignKey(x => x.PickupPointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TelegramChatCodeConfiguration : IEntityTypeConfiguration<TelegramChatCode>
{
    public void Configure(EntityTypeBuilder<TelegramChatCode> b)
    {
        b.ToTable("TelegramChatCodes");
        b.Property(x => x.CodePrefix).HasMaxLength(16);
        b.Property(x => x.CodeHash).HasMaxLength(Limits.Key);
        b.HasIndex(x => new { x.CompanyId, x.CodePrefix });
        b.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlertMessageConfiguration : IEntityTypeConfiguration<AlertMessage>
{
    public void Configure(EntityTypeBuilder<AlertMessage> b)
    {
        b.ToTable("AlertMessages");
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(Limits.Enum);
        b.Property(x => x.Kind).HasMaxLength(Limits.Key);
        b.Property(x => x.GroupKey).HasMaxLength(Limits.Name);
        b.Property(x => x.GroupHeading).HasMaxLength(Limits.Text);
        b.Property(x => x.Line).HasMaxLength(Limits.Text);
        b.Property(x => x.Text).HasMaxLength(8192);
        b.Property(x => x.Keyboard).HasMaxLength(Limits.Url);
        b.Property(x => x.DedupKey).HasMaxLength(Limits.Name);
        b.Property(x => x.LeaseOwner).HasMaxLength(Limits.Key);
        b.Property(x => x.LastError).HasMaxLength(Limits.Text);
        // Attempts rises with every claim, so an outcome written from a stale claim fails.
        b.Property(x => x.Attempts).IsConcurrencyToken();
        b.HasIndex(x => new { x.State, x.NextAttemptAt });
        // NULLs are distinct in unique indexes on both databases: only keyed messages are held to one per chat.
        b.HasIndex(x => new { x.TelegramChatRowId, x.DedupKey }).IsUnique();
        b.HasIndex(x => new { x.CompanyId, x.CreatedAt });
    }
}

internal sealed class RegisterOperationConfiguration : IEntityTypeConfiguration<RegisterOperation>
{
    public void Configure(EntityTypeBuilder<RegisterOperation> b)
    {
        b.ToTable("RegisterOperations");
        b.Property(x => x.PosterAccount).HasMaxLength(Limits.Key);
        b.Property(x => x.TransactionId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.TypeHistory).HasMaxLength(Limits.Enum);
        b.Property(x => x.Risk).HasMaxLength(Limits.Enum);
        b.Property(x => x.UserId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.RegisterId).HasMaxLength(Limits.ExternalId);
        b.Property(x => x.ValueText).HasMaxLength(Limits.Text);
        b.Property(x => x.DedupKey).HasMaxLength(Limits.Name);
        b.Property(x => x.Value).HasPrecision(18, 3);
        b.Property(x => x.Value2).HasPrecision(18, 3);
        b.Property(x => x.Value3).HasPrecision(18, 3);
        b.Property(x => x.Amount).HasPrecision(18, 2);
        b.HasIndex(x => new { x.CompanyId, x.DedupKey }).IsUnique();
        b.HasIndex(x => new { x.PickupPointId, x.HappenedAt });
        b.HasIndex(x => new { x.PosterAccount, x.TransactionId });
        b.HasOne<PickupPoint>().WithMany().HasForeignKey(x => x.PickupPointId).OnDelete(DeleteBehavior.Cascade);
    }
}
