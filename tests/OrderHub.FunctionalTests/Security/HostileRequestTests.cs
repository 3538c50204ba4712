using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Security;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.FunctionalTests.Security;

public sealed class SqliteHostileRequestTests() : HostileRequestTests(new SqliteTestDatabase());

public sealed class PostgresHostileRequestTests() : HostileRequestTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerHostileRequestTests() : HostileRequestTests(new SqlServerTestDatabase());

/// <summary>
/// Runs <see cref="HostileCorpus"/> against one app: every request gets its expected 4xx as a ProblemDetails
/// (never a 5xx), nothing is stored except the documented cases, and the app is still alive afterwards.
/// </summary>
public abstract class HostileRequestTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const string OtherCompanyKey = "scoped-to-company-b-0123456789";
    private static readonly string PosSecret = StandardWebhookSignature.GenerateSecret();

    private readonly TestTenant _a = new TestTenant().WithAutoSync(false).WithWebhookPos("http://127.0.0.1:9/pos", PosSecret);
    private readonly TestTenant _b = new TestTenant().WithDotsCompanyId("dots-company-b");

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:ApiKeys:1:Name"] = "company-b",
        ["Auth:ApiKeys:1:Key"] = OtherCompanyKey,
        ["Auth:ApiKeys:1:Companies:0"] = _b.Key,
    };

    [Fact]
    public void The_corpus_has_at_least_50_requests_with_unique_names()
    {
        HostileCorpus.All.Length.ShouldBeGreaterThanOrEqualTo(50);
        HostileCorpus.All.Select(r => r.Name).ShouldBeUnique();
    }

    [Fact]
    public async Task Every_hostile_request_gets_its_4xx_ProblemDetails_and_stores_nothing()
    {
        await _a.CreateAsync(Factory);
        await _b.CreateAsync(Factory);
        (await _a.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedPickupCash)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var values = await Factory.WithDbAsync(async db => new Dictionary<string, string>
        {
            ["{key}"] = _a.Key,
            ["{company}"] = _a.CompanyId.ToString(),
            ["{point}"] = _a.KyivPointId.ToString(),
            ["{order}"] = (await db.Orders.SingleAsync()).Id.ToString(),
            ["{integration}"] = (await db.PosIntegrations.SingleAsync(i => i.PickupPointId == _a.KyivPointId)).Id.ToString(),
            ["{city}"] = (await db.Companies.SingleAsync(c => c.Id == _a.CompanyId)).CityId.ToString(),
        });
        var replayable = BuildRequest(
            new HostileRequest("valid", "POST", "/webhooks/dots/{key}", Fixtures.Read(Fixtures.AcceptedPickupCash), 200, Signing: Signing.Dots), values);

        var failures = new List<string>();
        foreach (var row in HostileCorpus.All)
        {
            var before = await CountsAsync();
            using var request = BuildRequest(row, values, replayable);
            var response = await Factory.CreateClient().SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            await SettleInboxAsync();
            var after = await CountsAsync();
            var problem = Check(row, response, body, before, after, await VerbatimAsync(row));
            if (problem is not null)
            {
                failures.Add($"{row.Name}: {problem} — {(int)response.StatusCode} {response.Content.Headers.ContentType} {Clip(body)}");
            }
        }

        failures.ShouldBeEmpty();
        (await Factory.CreateClient().GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Factory.CreateClient().GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Factory.CreateApiClient().GetAsync("/api/orders")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static string? Check(HostileRequest row, HttpResponseMessage response, string body, Counts before, Counts after, string? stored)
    {
        if ((int)response.StatusCode != row.Expect)
        {
            return $"expected {row.Expect}";
        }

        if (row.Expect >= 400)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return "not a ProblemDetails";
            }

            using var problem = JsonDocument.Parse(body);
            if (!problem.RootElement.TryGetProperty("status", out var status) || status.GetInt32() != row.Expect)
            {
                return "ProblemDetails without the status";
            }

            if (row.Field is not null && !(problem.RootElement.TryGetProperty("errors", out var errors) && errors.TryGetProperty(row.Field, out _)))
            {
                return $"'{row.Field}' is not named";
            }
        }

        return row.Keeps switch
        {
            Keeps.Nothing or Keeps.PointNameVerbatim or Keeps.CompanyNameVerbatim when after != before => $"stored something: {before} → {after}",
            Keeps.InboundEvent when after != before with { InboundEvents = before.InboundEvents + 1, OrderActions = after.OrderActions } =>
                $"kept more than the event: {before} → {after}",
            Keeps.InboxEvent when after != before with { InboxEvents = before.InboxEvents + 1, InboundEvents = after.InboundEvents, OrderActions = after.OrderActions }
                                  || after.InboundEvents > before.InboundEvents + 1 =>
                $"kept more than the event: {before} → {after}",
            Keeps.PointNameVerbatim or Keeps.CompanyNameVerbatim when stored != row.Verbatim => $"stored '{stored}', not verbatim",
            _ => null,
        };
    }

    private Task<string?> VerbatimAsync(HostileRequest row) => row.Keeps switch
    {
        Keeps.PointNameVerbatim => Factory.WithDbAsync(db => db.PickupPoints.Where(p => p.Id == _a.KyivPointId).Select(p => (string?)p.Name).SingleAsync()),
        Keeps.CompanyNameVerbatim => Factory.WithDbAsync(db => db.Companies.Where(c => c.Id == _a.CompanyId).Select(c => (string?)c.Name).SingleAsync()),
        _ => Task.FromResult<string?>(null),
    };

    private HttpRequestMessage BuildRequest(HostileRequest row, IReadOnlyDictionary<string, string> values, HttpRequestMessage? replayable = null)
    {
        var path = values.Aggregate(row.Path, (p, v) => p.Replace(v.Key, v.Value, StringComparison.Ordinal));
        var body = row.Body is null ? null : values.Aggregate(row.Body, (b, v) => b.Replace(v.Key, v.Value, StringComparison.Ordinal));
        var bytes = row.Bytes(body);
        var request = new HttpRequestMessage(new HttpMethod(row.Method), path);
        if (bytes is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(row.ContentType);
        }

        switch (row.Caller)
        {
            case Caller.Admin: request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, OrderHubFactory.ApiKey); break;
            case Caller.OtherCompany: request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, OtherCompanyKey); break;
            case Caller.WrongKey: request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, "not-a-configured-key-0123456789"); break;
        }

        var now = Factory.Clock.GetUtcNow();
        var webhookId = "hostile-" + Guid.NewGuid().ToString("N");
        var (secret, at) = row.Signing switch
        {
            Signing.Dots or Signing.DotsReplayed => (_a.Secret, now),
            Signing.DotsWrongSecret => (StandardWebhookSignature.GenerateSecret(), now),
            Signing.DotsStale => (_a.Secret, now.AddMinutes(-10)),
            Signing.DotsFuture => (_a.Secret, now.AddMinutes(10)),
            Signing.Pos => (PosSecret, now),
            _ => ((string?)null, now),
        };
        if (row.Signing == Signing.DotsReplayed)
        {
            foreach (var header in new[] { StandardWebhookSignature.IdHeader, StandardWebhookSignature.TimestampHeader, StandardWebhookSignature.SignatureHeader })
            {
                request.Headers.Add(header, replayable!.Headers.GetValues(header));
            }
        }
        else if (secret is not null)
        {
            request.Headers.Add(StandardWebhookSignature.IdHeader, webhookId);
            request.Headers.Add(StandardWebhookSignature.TimestampHeader, at.ToUnixTimeSeconds().ToString());
            request.Headers.Add(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(secret, webhookId, at, bytes ?? []));
        }

        return request;
    }

    private Task<Counts> CountsAsync() => Factory.WithDbAsync(async db => new Counts(
        await db.Orders.CountAsync(), await db.InboundEvents.CountAsync(), await db.OrderActions.CountAsync(), await db.ExportQueue.CountAsync(),
        await db.Companies.CountAsync(), await db.PickupPoints.CountAsync(), await db.PosIntegrations.CountAsync(), await db.ExternalIds.CountAsync(),
        await db.Cities.CountAsync(), await db.Users.CountAsync(), await db.UserApiKeys.CountAsync(), await db.InboxEvents.CountAsync()));

    /// <summary>Waits until every stored Dots event has been attempted at least once and none is in flight, so counts compare like with like.</summary>
    private async Task SettleInboxAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await Factory.WithDbAsync(db => db.InboxEvents.AnyAsync(e => e.State == Domain.Inbound.InboxEventState.Received && (e.Attempts == 0 || e.LeaseOwner != null))))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the inbox processes what it stored");
            await Task.Delay(20);
        }
    }

    private static string Clip(string body) => body.Length <= 400 ? body : body[..400] + "…";

    private sealed record Counts(
        int Orders, int InboundEvents, int OrderActions, int ExportQueue, int Companies, int PickupPoints, int PosIntegrations, int ExternalIds, int Cities, int Users, int ApiKeys, int InboxEvents);
}
