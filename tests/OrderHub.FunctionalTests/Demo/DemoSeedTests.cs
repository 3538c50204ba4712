using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Demo;
using OrderHub.Api.Features.Catalog.Coverage;
using OrderHub.Api.Shared;
using OrderHub.Domain.Fiscal;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Demo;

/// <summary>
/// The demo tenant as a newcomer meets it: its Dots menu is seeded (coverage known and complete at both points, not
/// "100 % of nothing"), and each demo panel user marks an order paid in the panel in their own name.
/// </summary>
public abstract class DemoSeedTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const string SigningSecret = "whsec_eNdrGxJtfzH6Pk0AW2aZfUJEKZyEp50ZeZoUF5cL6l8=";

    private static readonly Dictionary<string, string> Passwords = new()
    {
        ["admin"] = "demo-admin-password", ["manager"] = "demo-manager-password", ["support"] = "demo-support-password",
    };

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Demo:Enabled"] = "true",
        ["Demo:ApiKey"] = "demo-api-key-for-the-test",
        ["Demo:SigningSecret"] = SigningSecret,
        ["Demo:PosSecret"] = "whsec_ez1R4o9NB08tCeuVrx10p7fntdmc/31+F93zonk+odE=",
        ["Demo:PosUrl"] = "http://127.0.0.1:9/simulator/pos/orders",
        ["Demo:PosterToken"] = "861052:0123456789abcdef0123456789abcdef",
        ["Demo:AdminPassword"] = Passwords["admin"],
        ["Demo:ManagerPassword"] = Passwords["manager"],
        ["Demo:SupportPassword"] = Passwords["support"],
        ["Demo:CheckboxLicenseKey"] = "demo-checkbox-license-key",
        ["Demo:CheckboxPin"] = "1234",
        ["Demo:CashalotNumFiscal"] = "4000123456",
        ["Demo:CashalotKeyPassword"] = "demo-key-password",
    };

    [Fact]
    public async Task The_demo_menu_makes_coverage_known_and_complete_and_every_demo_user_can_mark_an_order_paid()
    {
        var api = Factory.CreateApiClient();
        var companyId = await Factory.WithDbAsync(db => db.Companies.Where(c => c.Key == DemoSeeder.CompanyKey).Select(c => c.Id).SingleAsync());
        var points = await Factory.WithDbAsync(db => db.PickupPoints.AsNoTracking().Where(p => p.CompanyId == companyId).ToListAsync());
        points.Count.ShouldBe(2);
        foreach (var point in points)
        {
            var coverage = await api.GetFromJsonAsync<CoverageDto>($"/api/pickup-points/{point.Id}/coverage", HttpAssertions.Json);
            coverage!.Known.ShouldBeTrue(point.Name);
            coverage.DotsItems.ShouldBe(11);
            coverage.Percent.ShouldBe(100m);
            coverage.Complete.ShouldBeTrue();
        }

        var dots = new DotsSender(Factory.CreateClient(), DemoSeeder.CompanyKey, SigningSecret, Factory.Clock);
        foreach (var login in Passwords.Keys)
        {
            // A cash pickup order at Площа Ринок (Cashalot), not paid yet: the cashier marks it paid in the panel.
            var body = Fixtures.Json(Fixtures.AcceptedPickupCash);
            body["eventId"] = "evt_demo_" + login;
            body["order"]!["id"] = Guid.NewGuid().ToString();
            body["order"]!["number"] = "DT-DEMO-" + login;
            var orderId = (await (await dots.SendAsync(body)).ShouldBeProcessedAsync(HttpStatusCode.Accepted)).OrderId!.Value;

            var panel = new PanelClient(Factory);
            (await panel.SignInAsync(login, Passwords[login])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
            var page = $"/panel/orders/{orderId}";
            var marked = await panel.PostFormAsync(page, page + "?handler=MarkPaid", new Dictionary<string, string>());
            marked.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            var shown = await panel.GetPageAsync(marked.Headers.Location!.OriginalString);
            shown.ShouldNotContain("data-testid=\"error\"", customMessage: login);
            var receipt = await Factory.WithDbAsync(db => db.FiscalReceipts.AsNoTracking().SingleAsync(r => r.OrderId == orderId));
            receipt.Kind.ShouldBe(FiscalReceiptKind.Sale);
            (await Factory.WithDbAsync(db => db.FiscalEmployees.AsNoTracking().SingleAsync(e => e.Id == receipt.EmployeeId))).UserName.ShouldBe(login);
        }
    }
}

public sealed class SqliteDemoSeedTests() : DemoSeedTests(new SqliteTestDatabase());

public sealed class PostgresDemoSeedTests() : DemoSeedTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerDemoSeedTests() : DemoSeedTests(new SqlServerTestDatabase());
