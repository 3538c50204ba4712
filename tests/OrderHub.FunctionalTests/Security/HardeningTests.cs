using System.Net;
using System.Net.Http.Json;
using System.Text;
using OrderHub.Api.Features.Webhooks.ReceiveDotsEvent;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Security;

public sealed class SqliteHardeningTests() : HardeningTests(new SqliteTestDatabase());

public sealed class PostgresHardeningTests() : HardeningTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerHardeningTests() : HardeningTests(new SqlServerTestDatabase());

/// <summary>Smaller findings of the hostile probe: headers, duplicate properties, idempotency by webhook-id.</summary>
public abstract class HardeningTests(ITestDatabase database) : ProviderTestBase(database)
{
    [Fact]
    public async Task The_panel_sends_a_content_security_policy_nosniff_and_a_referrer_policy_and_the_API_nosniff()
    {
        var panel = await new PanelClient(Factory).Http.GetAsync("/panel/sign-in");
        panel.StatusCode.ShouldBe(HttpStatusCode.OK);
        var csp = panel.Headers.GetValues("Content-Security-Policy").Single();
        var scripts = csp.Split(';').Select(d => d.Trim()).Where(d => d.StartsWith("script-src", StringComparison.Ordinal) || d.StartsWith("default-src", StringComparison.Ordinal)).ToList();
        scripts.ShouldBe(["default-src 'self'", "script-src 'self'"]);
        csp.ShouldContain("frame-ancestors 'none'");
        panel.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        panel.Headers.GetValues("Referrer-Policy").Single().ShouldBe("same-origin");
        // Only the panel's own script file (progressive enhancement), never inline script.
        var html = await panel.Content.ReadAsStringAsync();
        System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*>", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            .Select(m => m.Value).ShouldAllBe(tag => tag.StartsWith("<script src=\"/panel/panel.js", StringComparison.Ordinal));
        System.Text.RegularExpressions.Regex.IsMatch(html, "<script[^>]*>[^<]+</script>", System.Text.RegularExpressions.RegexOptions.IgnoreCase).ShouldBeFalse();

        var api = await Factory.CreateApiClient().GetAsync("/api/orders");
        api.StatusCode.ShouldBe(HttpStatusCode.OK);
        api.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        var refused = await Factory.CreateClient().GetAsync("/api/orders");
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        refused.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
    }

    [Fact]
    public async Task A_property_written_twice_in_an_API_body_is_a_400_naming_it()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var content = new StringContent("""{"kind":"Webhook","webhookUrl":"https://pos.example.com/a","webhookUrl":"https://pos.example.com/b"}""",
            Encoding.UTF8, "application/json");

        var response = await Factory.CreateApiClient().PutAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-integration", content);

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "webhookUrl")).GetRawText().ShouldContain("more than once");
    }

    [Fact]
    public async Task A_property_written_twice_in_a_Dots_event_is_a_400_naming_it_and_nothing_is_stored()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var json = Fixtures.Read(Fixtures.AcceptedDelivery);
        var twice = json.Replace("\"companyId\":", "\"companyId\": \"someone-else\", \"companyId\":", StringComparison.Ordinal);
        twice.ShouldNotBe(json);

        var response = await tenant.Sender(Factory).SendRawAsync(twice, "evt_twice");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "order.companyId");
        (await CountAsync(db => db.InboundEvents)).ShouldBe(0);
        (await CountAsync(db => db.Orders)).ShouldBe(0);
    }

    [Fact]
    public async Task Idempotency_is_by_webhook_id_which_need_not_equal_the_event_id()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);
        var body = Fixtures.Read(Fixtures.AcceptedDelivery);

        var first = await sender.SendRawAsync(body, "msg_2c6f1e0b7a9d");
        var again = await sender.SendRawAsync(body, "msg_2c6f1e0b7a9d");

        (await first.ShouldBeProcessedAsync(HttpStatusCode.Accepted)).Outcome.ShouldBe("applied");
        await again.ShouldBeAsync<OrderHub.Api.Features.Webhooks.ReceiveDotsEvent.DotsEventAccepted>(HttpStatusCode.OK);
        (await CountAsync(db => db.Orders)).ShouldBe(1);
    }

    [Fact]
    public async Task A_Poster_webhook_with_a_forged_log_line_in_its_account_is_refused_or_logged_escaped()
    {
        var content = new StringContent(
            """{"account":"acct\nwarn: forged line","object":"incoming_order","object_id":"1","action":"changed","time":"1","verify":"x"}""",
            Encoding.UTF8, "application/json");

        var response = await Factory.CreateClient().PostAsync("/webhooks/poster", content);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "account");
        Factory.Logs.Lines.ShouldNotContain(l => l.Contains("\nwarn: forged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_long_Poster_account_is_refused_and_a_failed_sign_in_name_is_logged_escaped_and_capped()
    {
        var content = new StringContent(
            $$"""{"account":"{{new string('a', 5000)}}","object":"incoming_order","object_id":"1","action":"changed","time":"1","verify":"x"}""",
            Encoding.UTF8, "application/json");
        (await (await Factory.CreateClient().PostAsync("/webhooks/poster", content)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "account"))
            .GetRawText().ShouldNotContain(new string('a', 100));

        var panel = new PanelClient(Factory);
        (await panel.SignInAsync("nobody\nwarn: OrderHub.Api[0] forged " + new string('x', 500), "wrong-password")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var line = Factory.Logs.Lines.Single(l => l.Contains("Sign-in of nobody", StringComparison.Ordinal));
        line.ShouldNotContain("\nwarn:");
        line.ShouldContain("nobody\\u000awarn:");
        line.ShouldNotContain(new string('x', 100));
    }
}
