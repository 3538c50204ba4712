using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Tenancy;
using OrderHub.Domain.Users;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Api.Demo;

public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Seed the demo tenant at start-up (Development only by default).</summary>
    public bool Enabled { get; set; }

    /// <summary>The demo's API key: a published value, for a local demo only.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The demo company's inbound signing secret: a published value, for a local demo only.</summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>Where the demo pickup points' webhook POS lives (the built-in simulator).</summary>
    public string PosUrl { get; set; } = "http://127.0.0.1:5080/simulator/pos/orders";

    /// <summary>The demo POS's signing secret.</summary>
    public string PosSecret { get; set; } = "";

    /// <summary>The simulated Poster account of the Kyiv point (served by the simulator through <c>Poster:BaseUrlTemplate</c>).</summary>
    public string PosterAccount { get; set; } = "demo";

    /// <summary>Its token: a published value, for a local demo only.</summary>
    public string PosterToken { get; set; } = "";

    /// <summary>The demo users' passwords (admin, manager of Demo Pizza, support): published values, for a local demo only.</summary>
    public string AdminPassword { get; set; } = "";
    public string ManagerPassword { get; set; } = "";
    public string SupportPassword { get; set; } = "";
    /// <summary>The simulated Checkbox register's license key (company default fiscal connection); published, demo only.</summary>
    public string? CheckboxLicenseKey { get; set; }

    /// <summary>The simulated Checkbox cashier's PIN; published, demo only.</summary>
    public string? CheckboxPin { get; set; }

    /// <summary>The simulated Cashalot register's fiscal number (Площа Ринок's own connection).</summary>
    public string? CashalotNumFiscal { get; set; }

    /// <summary>The simulated Cashalot key's password; published, demo only.</summary>
    public string? CashalotKeyPassword { get; set; }
}

/// <summary>
/// Seeds a demo tenant that matches the sample events in the README: company "Demo Pizza" with the two pickup
/// points the samples name, every sample item mapped, Хрещатик on the simulated Poster (auto-sync on) and
/// Площа Ринок on the simulated webhook POS (auto-sync off).
/// </summary>
public static class DemoSeeder
{
    public const string CompanyKey = "demo-pizza";
    public const string DotsCompanyId = "b3c1f0a2-7d4e-4c8b-a9f1-2e5d6c7b8a90";
    public const string KyivAddressId = "a7e2d9c4-1b3f-4e6a-8d5c-9f0b1a2c3d4e";
    public const string LvivAddressId = "c4d5e6f7-0a1b-4c2d-9e8f-7a6b5c4d3e2f";

    /// <summary>The demo's cashiers at each point: the three panel users and the demo API key's user.</summary>
    public static readonly (string Name, string UserName)[] DemoCashiers =
    [
        ("Олена", "manager"),
        ("Андрій", "admin"),
        ("Ірина", "support"),
        ("Demo API", "demo"),
    ];

    public static IServiceCollection AddOrderHubDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.SectionName));
        var demo = configuration.GetSection(DemoOptions.SectionName).Get<DemoOptions>();
        if (demo is { Enabled: true, ApiKey.Length: > 0 })
        {
            services.PostConfigure<ApiKeyOptions>(o => o.ApiKeys.Add(new ApiKeyEntry { Name = "demo", Key = demo.ApiKey }));
        }

        return services;
    }

    public static async Task SeedDemoAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var demo = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoOptions>>().Value;
        if (!demo.Enabled)
        {
            return;
        }

        if (!StandardWebhookSignature.IsValidSecret(demo.SigningSecret) || !StandardWebhookSignature.IsValidSecret(demo.PosSecret))
        {
            throw new InvalidOperationException("Demo:SigningSecret and Demo:PosSecret must be whsec_ secrets.");
        }

        if (string.IsNullOrEmpty(demo.PosterToken))
        {
            throw new InvalidOperationException("Demo:PosterToken is required (the simulated Poster account's token).");
        }

        var db = sp.GetRequiredService<OrderHubDbContext>();
        if (!await db.Companies.AnyAsync(c => c.Key == CompanyKey, cancellationToken))
        {
            await SeedTenantAsync(sp, db, demo, cancellationToken);
        }

        await SeedUsersAsync(sp, db, demo, cancellationToken);
    }

    /// <summary>An admin, a manager of Demo Pizza and a support user of Demo Pizza, each once.</summary>
    private static async Task SeedUsersAsync(IServiceProvider sp, OrderHubDbContext db, DemoOptions demo, CancellationToken cancellationToken)
    {
        var hasher = sp.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<User>>();
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
        var companyId = await db.Companies.Where(c => c.Key == CompanyKey).Select(c => c.Id).SingleAsync(cancellationToken);
        var users = new (string Login, string Name, UserRole Role, string Password)[]
        {
            ("admin", "Demo Admin", UserRole.Admin, demo.AdminPassword),
            ("manager", "Demo Manager", UserRole.Manager, demo.ManagerPassword),
            ("support", "Demo Support", UserRole.Support, demo.SupportPassword),
        };
        foreach (var (login, name, role, password) in users.Where(u => u.Password.Length >= 10))
        {
            if (await db.Users.AnyAsync(u => u.LoginName == login, cancellationToken))
            {
                continue;
            }

            var user = new User { LoginName = login, DisplayName = name, Role = role, Language = "uk", CreatedAt = now, UpdatedAt = now };
            user.PasswordHash = hasher.HashPassword(user, password);
            if (role != UserRole.Admin)
            {
                user.Companies.Add(new UserCompany { UserId = user.Id, CompanyId = companyId });
            }

            db.Users.Add(user);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task SeedTenantAsync(IServiceProvider sp, OrderHubDbContext db, DemoOptions demo, CancellationToken cancellationToken)
    {
        var protector = sp.GetRequiredService<SecretProtector>();
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
        var kyiv = new City { DotsCityId = "kyiv", Name = "Київ", CreatedAt = now };
        var lviv = new City { DotsCityId = "lviv", Name = "Львів", CreatedAt = now };
        var company = new Company
        {
            CityId = kyiv.Id,
            DotsCompanyId = DotsCompanyId,
            Key = CompanyKey,
            Name = "Demo Pizza",
            SigningSecretProtected = protector.Protect(demo.SigningSecret),
            CreatedAt = now,
            SecretRotatedAt = now,
        };
        var khreshchatyk = new PickupPoint
        {
            CompanyId = company.Id, DotsAddressId = KyivAddressId, Name = "Хрещатик", Address = "Київ, вул. Хрещатик, 1", CreatedAt = now,
        };
        var rynok = new PickupPoint
        {
            CompanyId = company.Id, DotsAddressId = LvivAddressId, Name = "Площа Ринок", Address = "Львів, пл. Ринок, 1", CreatedAt = now,
        };
        db.AddRange(kyiv, lviv, company, khreshchatyk, rynok);
        // One point on (simulated) Poster with auto-sync on, one on a (simulated) webhook POS with auto-sync off:
        // a newcomer sees both paths, automatic and manual export.
        db.PosIntegrations.AddRange(
            new PosIntegration
            {
                PickupPointId = khreshchatyk.Id,
                Kind = PosKind.Poster,
                Enabled = true,
                AutoSyncOnAcceptance = true,
                PosterAccount = demo.PosterAccount,
                PosterSpotId = 1,
                SecretProtected = protector.Protect(demo.PosterToken),
                CreatedAt = now,
                UpdatedAt = now,
            },
            WebhookSimulator(rynok.Id, autoSync: false));

        var ids = new (ExternalIdKind Kind, string DotsId, string ExternalId, string Name, decimal? Price)[]
        {
            (ExternalIdKind.Product, "dots-prod-pizza-margherita", "101", "Піца Маргарита 30 см", 245.00m),
            (ExternalIdKind.Product, "dots-prod-cola", "201", "Coca-Cola", 42.00m),
            (ExternalIdKind.Variant, "dots-var-cola-05", "2011", "Coca-Cola 0,5 л", 42.00m),
            (ExternalIdKind.Product, "dots-prod-tiramisu", "301", "Тірамісу", 129.00m),
            (ExternalIdKind.Product, "dots-prod-burger-classic", "401", "Бургер класичний", 189.00m),
            (ExternalIdKind.Product, "dots-prod-fries", "501", "Картопля фрі", 59.00m),
            (ExternalIdKind.Variant, "dots-var-fries-large", "5012", "Картопля фрі велика", 79.00m),
            (ExternalIdKind.Modifier, "dots-mod-extra-mozzarella", "11", "Додаткова моцарела", 35.00m),
            (ExternalIdKind.Modifier, "dots-mod-thin-crust", "12", "Тонке тісто", 0m),
            (ExternalIdKind.Modifier, "dots-mod-no-onion", "13", "Без цибулі", 0m),
            (ExternalIdKind.Promotion, "dots-promo-2nd-pizza-20", "7", "Друга піца -20%", null),
        };
        // The company's Dots menu (as an upload of Dots' export would store it), so coverage is known: 100 %.
        db.DotsMenuItems.AddRange(ids.Select(i => new DotsMenuItem
        {
            CompanyId = company.Id, Kind = i.Kind, DotsId = i.DotsId, Name = i.Name, Price = i.Price,
            Source = DotsMenuItem.SourceUpload, FirstSeenAt = now, UpdatedAt = now,
        }));
        db.ExternalIds.AddRange(ids.Select(i => new ExternalIdMapping
        {
            CompanyId = company.Id,
            ScopeId = company.Id,
            Kind = i.Kind,
            DotsId = i.DotsId,
            ExternalId = i.ExternalId,
            Name = i.Name,
            UpdatedAt = now,
        }));
        if (demo is { CheckboxLicenseKey: { } license, CheckboxPin: { } pin, CashalotNumFiscal: { } numFiscal, CashalotKeyPassword: { } keyPassword })
        {
            // Fiscal receipts through the simulated providers: the company's default is Checkbox, Площа Ринок has
            // its own Cashalot register.
            db.FiscalConnections.AddRange(
                new FiscalConnection
                {
                    CompanyId = company.Id, ScopeId = company.Id, Name = "Checkbox (demo)", Provider = FiscalProvider.Checkbox, ReceiptsEnabled = true,
                    PinProtected = protector.Protect(pin), LicenseKeyProtected = protector.Protect(license), DefaultTaxCode = "1",
                    ShiftCloseAt = new TimeOnly(23, 50), CreatedAt = now, UpdatedAt = now,
                },
                new FiscalConnection
                {
                    CompanyId = company.Id, PickupPointId = rynok.Id, ScopeId = rynok.Id, Name = "Cashalot (demo)", Provider = FiscalProvider.Cashalot,
                    ReceiptsEnabled = true, DefaultTaxCode = "А", CreatedAt = now, UpdatedAt = now,
                    KeyMaterialProtected = protector.Protect(System.Text.Json.JsonSerializer.Serialize(new Integrations.Fiscal.CashalotKeys(
                        Convert.ToBase64String("demo-certificate"u8.ToArray()), Convert.ToBase64String("demo-private-key"u8.ToArray()), keyPassword))),
                });
            // Every demo panel user is a cashier at both points, so "mark paid" works for each of them; the manager is
            // the default cashier (automatic receipts), the demo API key's user a cashier too (the README's curl).
            foreach (var (pointId, fiscalNumber) in new[] { (khreshchatyk.Id, "4000000017"), (rynok.Id, numFiscal) })
            {
                db.FiscalEmployees.AddRange(DemoCashiers.Select(c => new FiscalEmployee
                {
                    CompanyId = company.Id, PickupPointId = pointId, Name = c.Name, UserName = c.UserName, FiscalNumber = fiscalNumber,
                    IsDefaultCashier = c.UserName == "manager", CreatedAt = now, UpdatedAt = now,
                }));
            }
        }

        await db.SaveChangesAsync(cancellationToken);

        PosIntegration WebhookSimulator(Guid pointId, bool autoSync) => new()
        {
            PickupPointId = pointId,
            Kind = PosKind.Webhook,
            Enabled = true,
            AutoSyncOnAcceptance = autoSync,
            WebhookUrl = demo.PosUrl,
            SecretProtected = protector.Protect(demo.PosSecret),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}
