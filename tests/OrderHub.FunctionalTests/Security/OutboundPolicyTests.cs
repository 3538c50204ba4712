using System.Net;
using System.Net.Http.Json;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Security;

public sealed class SqliteOutboundPolicyTests() : OutboundPolicyTests(new SqliteTestDatabase());

public sealed class PostgresOutboundPolicyTests() : OutboundPolicyTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerOutboundPolicyTests() : OutboundPolicyTests(new SqlServerTestDatabase());

/// <summary>
/// Server-side request forgery: a tenant-set webhook POS URL may not reach OrderHub's own networks (loopback,
/// private, link-local, CGNAT, multicast) unless the network is allow-listed. Here nothing on loopback is.
/// </summary>
public abstract class OutboundPolicyTests(ITestDatabase database) : ProviderTestBase(database)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // Replaces the fixture's loopback allow-list with documentation networks only.
        ["Outbound:AllowedPrivateNetworks:0"] = "192.0.2.0/24",
        ["Outbound:AllowedPrivateNetworks:1"] = "2001:db8::/32",
    };

    public static TheoryData<string> Forbidden() => new()
    {
        "http://127.0.0.1:8080/pos",
        "http://127.1.2.3/pos",
        "http://10.1.2.3/pos",
        "http://172.20.0.5/pos",
        "http://192.168.1.1/pos",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/pos",
        "http://224.0.0.1/pos",
        "http://0.0.0.0:5432/",
        "http://[::1]:5432/",
        "http://[fd00::1]/pos",
        "http://[fe80::1]/pos",
        "http://[::ffff:127.0.0.1]/pos",
        "http://2130706433/pos",
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public async Task A_webhook_URL_to_a_private_or_loopback_address_is_refused_at_save_naming_the_field(string url)
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var api = Factory.CreateApiClient();

        var point = await api.PutAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-integration",
            new { kind = "Webhook", webhookUrl = url, enabled = true });
        var company = await api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/pos-integration",
            new { kind = "Webhook", webhookUrl = url });

        (await point.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "webhookUrl")).GetRawText().ShouldContain("not allowed");
        (await company.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "webhookUrl")).GetRawText().ShouldContain("not allowed");
    }

    [Fact]
    public async Task A_public_or_allow_listed_address_is_accepted_at_save()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var api = Factory.CreateApiClient();

        foreach (var url in new[] { "https://pos.example.com/orders", "http://192.0.2.10/orders", "http://[2001:db8::10]/orders", "http://8.8.8.8/orders" })
        {
            var saved = await api.PutAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-integration", new { kind = "Webhook", webhookUrl = url, enabled = true });
            saved.StatusCode.ShouldBe(HttpStatusCode.OK, url + ": " + await saved.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_host_name_that_resolves_to_loopback_is_refused_when_connecting_and_the_POS_receives_nothing()
    {
        await using var pos = new PosSimulatorServer();
        await pos.StartAsync();
        var port = new Uri(pos.BaseUrl).Port;
        var tenant = await new TestTenant().WithWebhookPos($"http://localhost:{port}/pos/orders", pos.WebhookSecret).CreateAsync(Factory);

        var check = await (await Factory.CreateApiClient().PostAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-integration/test", null))
            .ShouldBeAsync<PosConnectionCheckView>(HttpStatusCode.OK);

        check.Ok.ShouldBeFalse();
        check.Reason.ShouldBe("PosUnreachable");
        check.Message.ShouldContain("address not allowed");
        check.FixHint.ShouldNotBeNull().ShouldContain("Outbound:AllowedPrivateNetworks");
        pos.Stats().Received.ShouldBe(0);
    }

    private sealed record PosConnectionCheckView(bool Ok, string Message, string? Reason, string? FixHint);
}

public sealed class SqliteOutboundHttpsOnlyTests() : OutboundHttpsOnlyTests(new SqliteTestDatabase());

/// <summary>In production, tenant-set URLs are https only.</summary>
public abstract class OutboundHttpsOnlyTests(ITestDatabase database) : ProviderTestBase(database)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Outbound:AllowHttp"] = "false" };

    [Fact]
    public async Task A_plain_http_webhook_URL_is_refused_at_save_and_when_sending()
    {
        await using var pos = new PosSimulatorServer();
        await pos.StartAsync();
        var tenant = await new TestTenant().WithWebhookPos(pos.WebhookPosUrl, pos.WebhookSecret).CreateAsync(Factory);
        var api = Factory.CreateApiClient();

        var saved = await api.PutAsJsonAsync($"/api/pickup-points/{tenant.LvivPointId}/pos-integration",
            new { kind = "Webhook", webhookUrl = "http://pos.example.com/orders", enabled = true });
        (await saved.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "webhookUrl")).GetRawText().ShouldContain("https");

        var check = await (await api.PostAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-integration/test", null)).Content.ReadAsStringAsync();
        check.ShouldContain("\"ok\":false");
        check.ShouldContain("PosUnreachable");
        pos.Stats().Received.ShouldBe(0);
    }
}
