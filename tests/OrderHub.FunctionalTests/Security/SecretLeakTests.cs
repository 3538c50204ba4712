using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Tenancy.Cities;
using OrderHub.Api.Features.Tenancy.Companies;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Features.Tenancy.PosIntegrations;
using OrderHub.Api.Security;
using OrderHub.FunctionalTests.Configuration;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.FunctionalTests.Security;

public sealed class SqliteSecretLeakTests() : SecretLeakTests(new SqliteTestDatabase());

public sealed class PostgresSecretLeakTests() : SecretLeakTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerSecretLeakTests() : SecretLeakTests(new SqlServerTestDatabase());

/// <summary>
/// A full flow with every kind of secret (company signing secrets, a Poster token, generated and given webhook
/// POS secrets), logging at Trace: no secret appears in any log line, in any response after its one-time
/// display, or in the history.
/// </summary>
public abstract class SecretLeakTests(ITestDatabase database) : ProviderTestBase(database)
{
    private readonly RecordingHandler _recorder = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
    };

    [Fact]
    public async Task No_secret_appears_in_logs_responses_after_their_one_time_display_or_the_history()
    {
        var api = Factory.CreateDefaultClient(_recorder);
        api.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, OrderHubFactory.ApiKey);
        var posterToken = "771234:" + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        var givenWebhookSecret = StandardWebhookSignature.GenerateSecret();
        var shown = new List<string>();

        var city = await (await api.PostAsJsonAsync("/api/cities", new { dotsCityId = "kyiv", name = "Київ" })).ShouldBeAsync<CityDto>(HttpStatusCode.Created);
        var company = await (await api.PostAsJsonAsync("/api/companies",
            new { cityId = city.Id, dotsCompanyId = Fixtures.DotsCompanyId, key = "leak-test", name = "Leak Pizza" })).ShouldBeAsync<CompanyWithSecretDto>(HttpStatusCode.Created);
        shown.Add(_recorder.Bodies[^1]);
        var kyiv = await (await api.PostAsJsonAsync($"/api/companies/{company.Id}/pickup-points",
            new { dotsAddressId = Fixtures.KyivAddressId, name = "Kyiv" })).ShouldBeAsync<PickupPointDto>(HttpStatusCode.Created);
        var lviv = await (await api.PostAsJsonAsync($"/api/companies/{company.Id}/pickup-points",
            new { dotsAddressId = Fixtures.LvivAddressId, name = "Lviv" })).ShouldBeAsync<PickupPointDto>(HttpStatusCode.Created);
        (await api.PutAsJsonAsync($"/api/pickup-points/{kyiv.Id}/pos-integration",
            new { kind = "Poster", posterAccount = "leak", posterSpotId = 1, token = posterToken })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var generated = await (await api.PutAsJsonAsync($"/api/pickup-points/{lviv.Id}/pos-integration",
            new { kind = "Webhook", webhookUrl = "http://127.0.0.1:9/pos" })).ShouldBeAsync<SavedPosIntegrationDto>(HttpStatusCode.OK);
        shown.Add(_recorder.Bodies[^1]);
        var lvivIntegration = await (await api.PutAsJsonAsync($"/api/pickup-points/{lviv.Id}/pos-integration",
            new { kind = "Webhook", webhookUrl = "http://127.0.0.1:9/pos", secret = givenWebhookSecret, autoSyncOnAcceptance = false })).ShouldBeAsync<SavedPosIntegrationDto>(HttpStatusCode.OK);
        var rotated = await (await api.PostAsync($"/api/companies/{company.Id}/signing-secret/rotate", null)).ShouldBeAsync<CompanyWithSecretDto>(HttpStatusCode.OK);
        shown.Add(_recorder.Bodies[^1]);
        (await api.PutAsJsonAsync($"/api/companies/{company.Id}/external-ids", new
        {
            items = TestTenant.SampleIds.Select(i => new { kind = i.Kind.ToString(), dotsId = i.DotsId, externalId = i.ExternalId }),
        })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Signed deliveries with the old (still valid) and the new secret, and one forged.
        var oldSender = new DotsSender(Factory.CreateClient(), company.Key, company.SigningSecret, Factory.Clock);
        var newSender = new DotsSender(Factory.CreateClient(), company.Key, rotated.SigningSecret, Factory.Clock);
        (await oldSender.SendFixtureAsync(Fixtures.AcceptedDelivery)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await newSender.SendFixtureAsync(Fixtures.AcceptedPickupCash)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await new DotsSender(Factory.CreateClient(), company.Key, StandardWebhookSignature.GenerateSecret(), Factory.Clock)
            .SendRawAsync(Fixtures.Read(Fixtures.StatusChanged), "forged")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Operators look at everything; the Lviv order is exported by hand; the webhook POS reports back, signed.
        var orders = await (await api.GetAsync("/api/orders")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        foreach (var order in orders.GetProperty("items").EnumerateArray())
        {
            var id = order.GetProperty("id").GetGuid();
            (await api.GetAsync($"/api/orders/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await api.GetAsync($"/api/orders/{id}/payload")).StatusCode.ShouldBe(HttpStatusCode.OK);
            if (order.GetProperty("pickupPointId").GetGuid() == lviv.Id)
            {
                (await api.PostAsync($"/api/orders/{id}/export", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
                var report = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { orderId = id, status = "accepted" }));
                var now = Factory.Clock.GetUtcNow();
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/pos/{lvivIntegration.Id}") { Content = new ByteArrayContent(report) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add(StandardWebhookSignature.IdHeader, "pos-report-1");
                request.Headers.Add(StandardWebhookSignature.TimestampHeader, now.ToUnixTimeSeconds().ToString());
                request.Headers.Add(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(givenWebhookSecret, "pos-report-1", now, report));
                (await Factory.CreateClient().SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);
            }
        }

        foreach (var url in new[] { "/api/companies", $"/api/companies/{company.Id}", $"/api/companies/{company.Id}/pickup-points",
                     $"/api/pickup-points/{kyiv.Id}/pos-integration", $"/api/pickup-points/{lviv.Id}/pos-integration", "/api/unrouted" })
        {
            (await api.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        string[] secrets = [company.SigningSecret, rotated.SigningSecret, generated.GeneratedSecret!, givenWebhookSecret, posterToken];
        var needles = secrets.SelectMany(s => new[] { s, s.StartsWith("whsec_", StringComparison.Ordinal) ? s["whsec_".Length..] : s }).Distinct().ToList();

        // The test can fail: each shown secret really was in its one-time response, and the logs were captured at Trace.
        shown[0].ShouldContain(company.SigningSecret);
        shown[1].ShouldContain(generated.GeneratedSecret!);
        shown[2].ShouldContain(rotated.SigningSecret);
        var logs = Factory.Logs.Lines.ToList();
        logs.ShouldContain(l => l.Contains("handled in", StringComparison.Ordinal), "Debug lines were not captured");
        logs.ShouldContain(l => l.Contains("Microsoft.EntityFrameworkCore", StringComparison.Ordinal), "EF's log lines were not captured");

        var displays = shown.ToHashSet();
        foreach (var needle in needles)
        {
            logs.Where(l => l.Contains(needle, StringComparison.Ordinal)).ShouldBeEmpty($"a secret is in the logs");
            _recorder.Bodies.Where(b => !displays.Contains(b) && b.Contains(needle, StringComparison.Ordinal)).ShouldBeEmpty("a secret is in a response");
        }

        var history = await Factory.WithDbAsync(db => db.OrderActions.AsNoTracking().ToListAsync());
        history.Count.ShouldBeGreaterThan(4);
        var historyText = JsonSerializer.Serialize(history);
        foreach (var needle in needles)
        {
            historyText.ShouldNotContain(needle, Case.Sensitive, "a secret is in the history");
        }
    }
}
