using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>
/// Builds a company matching the contract samples, with valid defaults: both sample pickup points, a webhook
/// POS at each, and every sample item mapped as a company default. Tests change only what they are about.
/// </summary>
public sealed class TestTenant
{
    public static readonly (ExternalIdKind Kind, string DotsId, string ExternalId)[] SampleIds =
    [
        (ExternalIdKind.Product, "dots-prod-pizza-margherita", "101"),
        (ExternalIdKind.Product, "dots-prod-cola", "201"),
        (ExternalIdKind.Variant, "dots-var-cola-05", "2011"),
        (ExternalIdKind.Product, "dots-prod-tiramisu", "301"),
        (ExternalIdKind.Product, "dots-prod-burger-classic", "401"),
        (ExternalIdKind.Product, "dots-prod-fries", "501"),
        (ExternalIdKind.Variant, "dots-var-fries-large", "5012"),
        (ExternalIdKind.Modifier, "dots-mod-extra-mozzarella", "11"),
        (ExternalIdKind.Modifier, "dots-mod-thin-crust", "12"),
        (ExternalIdKind.Modifier, "dots-mod-no-onion", "13"),
        (ExternalIdKind.Promotion, "dots-promo-2nd-pizza-20", "7"),
    ];

    private readonly HashSet<string> _unmapped = [];
    private bool _autoSync = true;
    private bool _withIntegration = true;
    private bool _withLviv = true;
    private string _dotsCompanyId = Fixtures.DotsCompanyId;
    private Func<PickupPoint, PosIntegration>? _integration;

    public string Key { get; } = "co-" + Guid.NewGuid().ToString("N")[..10];

    public string Secret { get; } = StandardWebhookSignature.GenerateSecret();

    public Guid CompanyId { get; private set; }

    public Guid KyivPointId { get; private set; }

    public Guid LvivPointId { get; private set; }

    public TestTenant WithoutMapping(string dotsId)
    {
        _unmapped.Add(dotsId);
        return this;
    }

    public TestTenant WithAutoSync(bool on)
    {
        _autoSync = on;
        return this;
    }

    public TestTenant WithoutIntegration()
    {
        _withIntegration = false;
        return this;
    }

    /// <summary>Every pickup point on Poster: account, spot 1 at Kyiv and 2 at Lviv, and a token.</summary>
    public TestTenant WithPoster(string account, string token)
    {
        _integration = point => new PosIntegration
        {
            PickupPointId = point.Id,
            Kind = PosKind.Poster,
            PosterAccount = account,
            PosterSpotId = point.DotsAddressId == Fixtures.KyivAddressId ? 1 : 2,
            SecretProtected = token,
        };
        return this;
    }

    /// <summary>Every pickup point on a webhook POS at <paramref name="url"/> signing with <paramref name="secret"/>.</summary>
    public TestTenant WithWebhookPos(string url, string secret)
    {
        _integration = point => new PosIntegration
        {
            PickupPointId = point.Id,
            Kind = PosKind.Webhook,
            WebhookUrl = url,
            SecretProtected = secret,
        };
        return this;
    }

    /// <summary>Another Dots company id than the samples' (unique per company), for a second tenant.</summary>
    public TestTenant WithDotsCompanyId(string dotsCompanyId)
    {
        _dotsCompanyId = dotsCompanyId;
        return this;
    }

    public TestTenant WithoutLvivPoint()
    {
        _withLviv = false;
        return this;
    }

    public async Task<TestTenant> CreateAsync(OrderHubFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>();
        var now = factory.Clock.GetUtcNow();

        var city = new City { DotsCityId = "kyiv-" + Key, Name = "Київ", CreatedAt = now };
        var company = new Company
        {
            CityId = city.Id,
            DotsCompanyId = _dotsCompanyId,
            Key = Key,
            Name = "Test Pizza",
            SigningSecretProtected = protector.Protect(Secret),
            CreatedAt = now,
            SecretRotatedAt = now,
        };
        var kyiv = new PickupPoint { CompanyId = company.Id, DotsAddressId = Fixtures.KyivAddressId, Name = "Хрещатик", CreatedAt = now };
        db.AddRange(city, company, kyiv);
        var points = new List<PickupPoint> { kyiv };
        if (_withLviv)
        {
            var lviv = new PickupPoint { CompanyId = company.Id, DotsAddressId = Fixtures.LvivAddressId, Name = "Площа Ринок", CreatedAt = now };
            db.Add(lviv);
            points.Add(lviv);
            LvivPointId = lviv.Id;
        }

        if (_withIntegration)
        {
            db.PosIntegrations.AddRange(points.Select(p =>
            {
                var integration = _integration?.Invoke(p) ?? new PosIntegration
                {
                    PickupPointId = p.Id,
                    Kind = PosKind.Webhook,
                    WebhookUrl = "http://127.0.0.1:9/pos",
                    SecretProtected = StandardWebhookSignature.GenerateSecret(),
                };
                integration.AutoSyncOnAcceptance = _autoSync;
                integration.SecretProtected = protector.Protect(integration.SecretProtected!);
                integration.CreatedAt = now;
                integration.UpdatedAt = now;
                return integration;
            }));
        }

        db.ExternalIds.AddRange(SampleIds.Where(i => !_unmapped.Contains(i.DotsId)).Select(i => new ExternalIdMapping
        {
            CompanyId = company.Id,
            ScopeId = company.Id,
            Kind = i.Kind,
            DotsId = i.DotsId,
            ExternalId = i.ExternalId,
            UpdatedAt = now,
        }));
        await db.SaveChangesAsync();

        CompanyId = company.Id;
        KyivPointId = kyiv.Id;
        return this;
    }

    public DotsSender Sender(OrderHubFactory factory) => new(factory.CreateClient(), Key, Secret, factory.Clock);
}
