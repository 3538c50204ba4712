using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Shadow;
using OrderHub.Api.Features.TestOrders;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using static OrderHub.FunctionalTests.Infrastructure.Eventually;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.GoLive;

/// <summary>
/// Issue 18, before go-live, through HTTP, the real dispatcher and the POS simulators on loopback: a shadow point
/// sends nothing and keeps the request it would have sent with the problems found; its readiness adds up; going
/// live passes the coverage gate and is audited; a [TEST] order reaches the simulated Poster and webhook POS.
/// </summary>
public abstract class GoLiveTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const string PosterTarget = "poster/" + PosSimulatorServer.PosterAccount;
    private const string WebhookTarget = "pos/orders";

    protected PosSimulatorServer Pos { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Dispatcher:Enabled"] = "true",
        ["Dispatcher:PollInterval"] = "00:00:00.200",
        ["Dispatcher:DrainTimeout"] = "00:00:05",
        ["Poster:BaseUrlTemplate"] = Pos.PosterBaseUrlTemplate,
        ["PosterApp:ApplicationSecret"] = PosSimulatorServer.PosterAppSecret,
        ["Pos:Resilience:AttemptTimeout"] = "00:00:10",
        ["Pos:Resilience:MinimumThroughput"] = "1000",
    };

    private HttpClient Api => Factory.CreateApiClient();

    public override async Task InitializeAsync()
    {
        await Pos.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Pos.DisposeAsync();
    }

    [Fact]
    public async Task A_shadow_point_sends_nothing_and_keeps_the_would_be_request_with_its_problems_and_its_readiness_adds_up()
    {
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).CreateAsync(Factory);
        await SetModeAsync(tenant.KyivPointId, "Shadow");
        // The POS catalog prices the pizza at 250 (the order says 245) and has no tiramisu (mapped to 301).
        await UploadCatalogAsync(tenant.KyivPointId, pizzaPrice: 250m, withTiramisu: false);

        var withProblems = await AcceptAsync(tenant, Fixtures.Json(Fixtures.AcceptedDelivery));
        var clean = await AcceptAsync(tenant, ColaOnly());
        await WaitForShadowRunsAsync(withProblems, clean);

        // Nothing reached any simulated POS: the history rows above show the shadow work ran.
        Pos.Orders().ShouldBeEmpty();
        Pos.Stats().Received.ShouldBe(0);
        (await Factory.WithDbAsync(db => db.ExportQueue.CountAsync())).ShouldBe(0);

        var order = await GetOrderAsync(withProblems);
        order.GetProperty("exportState").GetString().ShouldBe(nameof(ExportState.Shadowed));
        order.GetProperty("isTest").GetBoolean().ShouldBeFalse();
        var shadow = order.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("action").GetString() == ShadowExport.Action);
        shadow.GetProperty("outcome").GetString().ShouldBe("Warning");
        var details = JsonDocument.Parse(shadow.GetProperty("details").GetString()!).RootElement;
        details.GetProperty("wouldHaveSent").GetBoolean().ShouldBeTrue();
        details.GetProperty("clean").GetBoolean().ShouldBeFalse();
        var request = details.GetProperty("request").GetString()!;
        request.ShouldStartWith("POST incomingOrders.createIncomingOrder?token=***");
        request.ShouldContain("\"product_id\":101");
        request.ShouldContain("\"product_id\":301");
        request.ShouldNotContain(PosSimulatorServer.PosterToken);
        request.ShouldNotContain("+380671234567");
        var problems = details.GetProperty("problems").EnumerateArray().ToList();
        problems.Select(p => p.GetProperty("kind").GetString()).ShouldBe(["UnknownProduct", "PriceDifference"], ignoreOrder: true);
        var unknown = problems.Single(p => p.GetProperty("kind").GetString() == "UnknownProduct");
        unknown.GetProperty("posId").GetString().ShouldBe("301");
        unknown.GetProperty("message").GetString()!.ShouldContain("301");
        var price = problems.Single(p => p.GetProperty("kind").GetString() == "PriceDifference");
        price.GetProperty("posId").GetString().ShouldBe("101");
        price.GetProperty("orderPrice").GetDecimal().ShouldBe(245m);
        price.GetProperty("posPrice").GetDecimal().ShouldBe(250m);
        (await GetOrderAsync(clean)).GetProperty("history").EnumerateArray()
            .Single(h => h.GetProperty("action").GetString() == ShadowExport.Action).GetProperty("outcome").GetString().ShouldBe("Success");

        // Readiness: 2 orders, 1 clean; each problem kind once, with its fix and its link; in Ukrainian too.
        var readiness = await (await Api.GetAsync($"/api/pickup-points/{tenant.KyivPointId}/shadow-readiness"))
            .ShouldBeAsync<ShadowReadinessDto>(HttpStatusCode.OK);
        readiness.Mode.ShouldBe("Shadow");
        readiness.Days.ShouldBe(7);
        readiness.Orders.ShouldBe(2);
        readiness.Clean.ShouldBe(1);
        readiness.CleanPercent.ShouldBe(50m);
        readiness.Problems.Select(p => (p.Kind, p.Orders)).ShouldBe([("PriceDifference", 1), ("UnknownProduct", 1)], ignoreOrder: true);
        readiness.Problems.Single(p => p.Kind == "UnknownProduct").FixUrl.ShouldBe($"/panel/points/{tenant.KyivPointId}/mappings");
        readiness.Problems.ShouldAllBe(p => p.FixHint.Length > 0 && p.Title.Length > 0 && p.Examples.Count == 1);
        using var uk = new HttpRequestMessage(HttpMethod.Get, $"/api/pickup-points/{tenant.KyivPointId}/shadow-readiness?days=1");
        uk.Headers.AcceptLanguage.ParseAdd("uk");
        var ukrainian = await (await Api.SendAsync(uk)).ShouldBeAsync<ShadowReadinessDto>(HttpStatusCode.OK);
        ukrainian.Problems.Single(p => p.Kind == "PriceDifference").Examples[0].ShouldContain("коштує в POS 250.00");
        await (await Api.GetAsync($"/api/pickup-points/{tenant.KyivPointId}/shadow-readiness?days=0")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "days");
    }

    [Fact]
    public async Task Going_live_below_full_coverage_is_refused_naming_the_mode_and_at_full_coverage_is_allowed_and_audited()
    {
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken)
            .WithoutMapping("dots-prod-tiramisu").CreateAsync(Factory);
        (await Api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/dots-menu", new
        {
            products = new object[]
            {
                new { id = "dots-prod-pizza-margherita", name = "Піца Маргарита 30 см", price = 245.00m },
                new { id = "dots-prod-tiramisu", name = "Тірамісу", price = 129.00m },
            },
        })).EnsureSuccessStatusCode();
        await SetModeAsync(tenant.KyivPointId, "Shadow");

        var refused = await Api.PutAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-integration/mode", new { mode = "Live" });
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict, "mode");
        problem.GetProperty("field").GetString().ShouldBe("mode");
        problem.GetProperty("coverage").GetDecimal().ShouldBe(50m);
        problem.GetProperty("missing")[0].GetProperty("dotsId").GetString().ShouldBe("dots-prod-tiramisu");
        (await ModeAsync(tenant.KyivPointId)).ShouldBe("Shadow");
        await (await Api.PutAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-integration/mode", new { mode = "Sideways" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "mode");

        (await Api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/external-ids", new
        {
            items = new[] { new { kind = "Product", dotsId = "dots-prod-tiramisu", externalId = "301" } },
        })).EnsureSuccessStatusCode();
        // Still in shadow: this order is rehearsed, not sent.
        var order = await AcceptAsync(tenant, Fixtures.Json(Fixtures.AcceptedDelivery));
        await WaitForShadowRunsAsync(order);
        Pos.Orders().ShouldBeEmpty();

        (await SetModeAsync(tenant.KyivPointId, "Live")).Mode.ShouldBe("Live");
        (await ModeAsync(tenant.KyivPointId)).ShouldBe("Live");
        (await (await Api.GetAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-integration")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK))
            .GetProperty("mode").GetString().ShouldBe("Live");

        var audit = await (await Api.GetAsync($"/api/audit?companyId={tenant.CompanyId}&entityType=PosIntegration&pageSize=200"))
            .ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        var toLive = audit.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("after").ToString().Contains("\"Live\"", StringComparison.Ordinal)
                        && e.GetProperty("before").ToString().Contains("\"Shadow\"", StringComparison.Ordinal))
            .ShouldHaveSingleItem();
        toLive.GetProperty("actor").GetString().ShouldBe("user:" + OrderHubFactory.ApiKeyName);
        var history = await Factory.WithDbAsync(db => db.OrderActions
            .Where(a => a.CompanyId == tenant.CompanyId && a.Action == SetPosModeHandler.ModeChangedAction).OrderBy(a => a.Id).ToListAsync());
        history.Select(h => h.Message).ShouldBe([
            "The POS integration of pickup point 'Хрещатик' switched from live to shadow mode.",
            "The POS integration of pickup point 'Хрещатик' switched from shadow to live mode.",
        ]);

        // Live: exported by hand, the shadowed order reaches Poster with exactly the request the shadow run kept.
        (await Api.PostAsJsonAsync($"/api/orders/{order}/export", new { })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitUntilAsync(() => Factory.WithDbAsync(db => db.Orders.AnyAsync(o => o.Id == order && o.ExportState == ExportState.Exported)), "the live export");
        Pos.Orders(PosterTarget).Count.ShouldBe(1);
        var rows = (await GetOrderAsync(order)).GetProperty("history").EnumerateArray().ToList();
        string Request(string action) => JsonDocument.Parse(rows.Single(h => h.GetProperty("action").GetString() == action).GetProperty("details").GetString()!)
            .RootElement.GetProperty("request").GetString()!;
        Request(ShadowExport.Action).ShouldBe(Request("export.attempt"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_test_order_reaches_the_POS_with_its_TEST_marker_and_can_be_taken_off_the_register(bool poster)
    {
        var tenant = await (poster
            ? new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken)
            : new TestTenant().WithWebhookPos(Pos.WebhookPosUrl, Pos.WebhookSecret)).CreateAsync(Factory);
        // A shadow point too: a test order proves the connection before go-live.
        await SetModeAsync(tenant.KyivPointId, "Shadow");
        await UploadCatalogAsync(tenant.KyivPointId, pizzaPrice: 245m, withTiramisu: true);
        var url = $"/api/pickup-points/{tenant.KyivPointId}/test-orders";

        await (await Api.PostAsJsonAsync(url, new { items = new[] { new { productId = "999" } } })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "items[0].productId");
        var created = await (await Api.PostAsJsonAsync(url, new
        {
            items = new object[]
            {
                new { productId = "101", modifierIds = new[] { "11" } },
                new { productId = "201", variantId = "2011", quantity = 2 },
            },
            comment = "перевірка зв'язку",
        })).ShouldBeAsync<TestOrderDto>(HttpStatusCode.Created);
        created.Number.ShouldBe("[TEST]-1");
        created.Comment.ShouldBe("[TEST] перевірка зв'язку");
        created.Total.ShouldBe(245m + 35m + 2 * 42m);

        await WaitUntilAsync(() => Factory.WithDbAsync(db => db.Orders.AnyAsync(o => o.Id == created.Id && o.ExportState == ExportState.Exported)), "the test order's export");
        var received = Pos.Orders(poster ? PosterTarget : WebhookTarget).ShouldHaveSingleItem();
        var body = JsonSerializer.SerializeToElement(received.Body);
        if (poster)
        {
            var comment = body.GetProperty("comment").GetString()!;
            comment.ShouldStartWith("[TEST] перевірка зв'язку");
            comment.ShouldContain("[Dots #[TEST]-1]");
            var products = body.GetProperty("products").EnumerateArray().ToList();
            products.Select(p => p.GetProperty("product_id").GetInt64()).ShouldBe([101L, 201L]);
            products[1].GetProperty("modificator_id").GetInt64().ShouldBe(2011);
            products[1].GetProperty("count").GetDecimal().ShouldBe(2);
        }
        else
        {
            body.GetProperty("order").GetProperty("number").GetString().ShouldBe("[TEST]-1");
            body.GetProperty("order").GetProperty("comment").GetString().ShouldBe("[TEST] перевірка зв'язку");
            body.GetProperty("order").GetProperty("totalMinor").GetInt64().ShouldBe(36400);
        }

        var shown = await (await Api.GetAsync($"{url}/{created.Id}")).ShouldBeAsync<TestOrderDto>(HttpStatusCode.OK);
        shown.State.ShouldBe("Exported");
        shown.PosOrderId.ShouldBe(received.PosOrderId);
        shown.LastAttempt.ShouldNotBeNull().Outcome.ShouldBe("Success");
        shown.LastAttempt.PosOrderId.ShouldBe(received.PosOrderId);
        shown.LastAttempt.Request.ShouldNotBeNull();
        if (poster)
        {
            shown.LastAttempt.Request.ShouldContain("token=***");
        }

        (await (await Api.GetAsync(url)).ShouldBeAsync<List<TestOrderDto>>(HttpStatusCode.OK)).ShouldHaveSingleItem().Id.ShouldBe(created.Id);
        (await GetOrderAsync(created.Id)).GetProperty("isTest").GetBoolean().ShouldBeTrue();
        // The point is in shadow mode and its only order is a test order: nothing counts in its readiness.
        (await (await Api.GetAsync($"/api/pickup-points/{tenant.KyivPointId}/shadow-readiness")).ShouldBeAsync<ShadowReadinessDto>(HttpStatusCode.OK)).Orders.ShouldBe(0);

        var cancelled = await (await Api.PostAsync($"{url}/{created.Id}/cancel", null)).ShouldBeAsync<TestOrderDto>(HttpStatusCode.OK);
        cancelled.Cancel.Requested.ShouldBeTrue();
        if (poster)
        {
            // Poster has no cancel call: the answer says what to do at the register, and nothing more is sent.
            cancelled.Cancel.Instructions.ShouldContain("[Dots #[TEST]-1]");
            cancelled.LastAttempt!.Action.ShouldBe("pos.register_action_needed");
            Pos.Orders(PosterTarget).Count.ShouldBe(1);
        }
        else
        {
            await WaitUntilAsync(() => Task.FromResult(Pos.Orders(WebhookTarget).Any(o => o.Kind == "cancel")), "the webhook POS's cancellation");
            var cancel = JsonSerializer.SerializeToElement(Pos.Orders(WebhookTarget).Single(o => o.Kind == "cancel").Body);
            cancel.GetProperty("type").GetString().ShouldBe("pos-order.cancelled");
            cancel.GetProperty("order").GetProperty("number").GetString().ShouldBe("[TEST]-1");
        }

        await (await Api.PostAsync($"{url}/{created.Id}/cancel", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    private async Task<PosModeDto> SetModeAsync(Guid pointId, string mode) =>
        await (await Api.PutAsJsonAsync($"/api/pickup-points/{pointId}/pos-integration/mode", new { mode })).ShouldBeAsync<PosModeDto>(HttpStatusCode.OK);

    private Task<string> ModeAsync(Guid pointId) =>
        Factory.WithDbAsync(db => db.PosIntegrations.Where(i => i.PickupPointId == pointId).Select(i => i.Mode.ToString()).SingleAsync());

    private async Task UploadCatalogAsync(Guid pointId, decimal pizzaPrice, bool withTiramisu)
    {
        var products = new List<object>
        {
            new { id = "101", name = "Піца Маргарита", price = pizzaPrice, modifiers = new[] { new { id = "11", name = "Додаткова моцарела", price = 35m }, new { id = "12", name = "Тонке тісто", price = 0m } } },
            new { id = "201", name = "Coca-Cola", price = 42m, variants = new[] { new { id = "2011", name = "0.5 л", price = 42m } } },
        };
        if (withTiramisu)
        {
            products.Add(new { id = "301", name = "Тирамісу", price = 129m });
        }

        (await Api.PutAsJsonAsync($"/api/pickup-points/{pointId}/pos-catalog", new
        {
            products,
            promotions = new[] { new { id = "7", name = "Друга піца -20%" } },
        })).EnsureSuccessStatusCode();
    }

    /// <summary>The delivery sample with only its three colas (at the catalog's price), as another order.</summary>
    private static System.Text.Json.Nodes.JsonObject ColaOnly()
    {
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        body["eventId"] = "evt_golive_cola";
        var order = body["order"]!.AsObject();
        order["id"] = Guid.NewGuid().ToString();
        order["number"] = "DT-200001";
        var cola = order["items"]!.AsArray().Single(i => i!["productId"]!.GetValue<string>() == "dots-prod-cola")!.DeepClone();
        order["items"] = new System.Text.Json.Nodes.JsonArray(cola);
        order["promotions"] = new System.Text.Json.Nodes.JsonArray();
        order["total"] = 3 * 42m + 60m;
        return body;
    }

    private async Task<Guid> AcceptAsync(TestTenant tenant, System.Text.Json.Nodes.JsonObject body)
    {
        var receipt = await (await tenant.Sender(Factory).SendAsync(body)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        return receipt.OrderId!.Value;
    }

    private Task WaitForShadowRunsAsync(params Guid[] orders) =>
        WaitUntilAsync(async () => await Factory.WithDbAsync(db =>
            db.OrderActions.CountAsync(a => a.OrderId != null && orders.Contains(a.OrderId.Value) && a.Action == ShadowExport.Action)) == orders.Length,
            "the shadow runs' history rows");

    private async Task<JsonElement> GetOrderAsync(Guid order) =>
        await (await Api.GetAsync($"/api/orders/{order}")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
}

public sealed class SqliteGoLiveTests() : GoLiveTests(new SqliteTestDatabase());

public sealed class PostgresGoLiveTests() : GoLiveTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerGoLiveTests() : GoLiveTests(new SqlServerTestDatabase());
