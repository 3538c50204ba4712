using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Catalog;
using OrderHub.Api.Features.Catalog.Coverage;
using OrderHub.Api.Features.Catalog.Drift;
using OrderHub.Api.Features.Tenancy.ExternalIds;
using OrderHub.Api.Features.Tenancy.PosIntegrations;
using OrderHub.Api.Shared;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Integrations.Webhooks;
using OrderHub.Simulators;

namespace OrderHub.FunctionalTests.Catalog;

/// <summary>
/// Test connection, POS catalog import, coverage with suggestions, bulk accept, the auto-sync gate and menu
/// drift, through HTTP against the Poster and webhook POS simulators on loopback.
/// </summary>
public abstract class CatalogTests(ITestDatabase database) : ProviderTestBase(database)
{
    /// <summary>PostgreSQL keeps microseconds; the test clock has 100 ns ticks.</summary>
    private static readonly TimeSpan Precision = TimeSpan.FromMilliseconds(1);

    protected PosSimulatorServer Pos { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Poster:BaseUrlTemplate"] = Pos.PosterBaseUrlTemplate,
        ["Pos:Resilience:AttemptTimeout"] = "00:00:10",
        ["Pos:Resilience:MinimumThroughput"] = "1000",
    };

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

    private HttpClient Api => _api ??= Factory.CreateApiClient();

    private HttpClient? _api;

    [Fact]
    public async Task Poster_test_connection_passes_then_names_a_bad_token_and_an_unknown_spot()
    {
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithAutoSync(false).CreateAsync(Factory);
        var url = $"/api/pickup-points/{tenant.KyivPointId}/pos-integration";

        var ok = await (await Api.PostAsync(url + "/test", null)).ShouldBeAsync<PosConnectionCheckDto>(HttpStatusCode.OK);
        ok.Ok.ShouldBeTrue(ok.Message);
        ok.Message.ShouldContain("spot 1 'Хрещатик' exists");
        ok.CheckedAt.ShouldBe(Factory.Clock.GetUtcNow());
        var stored = await (await Api.GetAsync(url)).ShouldBeAsync<PosIntegrationDto>(HttpStatusCode.OK);
        stored.LastCheckOk.ShouldBe(true);
        stored.LastCheckAt!.Value.ShouldBe(Factory.Clock.GetUtcNow(), Precision);

        await SavePosterAsync(url, token: "861052:ffffffffffffffffffffffffffffffff", spot: 1);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var badToken = await (await Api.PostAsync(url + "/test", null)).ShouldBeAsync<PosConnectionCheckDto>(HttpStatusCode.OK);
        badToken.Ok.ShouldBeFalse();
        badToken.Reason.ShouldBe("PosAuthRejected");
        badToken.Message.ShouldContain("bad token");
        badToken.FixHint!.ShouldContain("API token");

        await SavePosterAsync(url, token: PosSimulatorServer.PosterToken, spot: 9);
        var badSpot = await (await Api.PostAsync(url + "/test", null)).ShouldBeAsync<PosConnectionCheckDto>(HttpStatusCode.OK);
        badSpot.Ok.ShouldBeFalse();
        badSpot.Reason.ShouldBe("PosSpotNotFound");
        badSpot.Message.ShouldContain("spot 9");
        badSpot.FixHint!.ShouldContain("1 'Хрещатик'");

        // The same tests read with Accept-Language: uk: message and hint in Ukrainian (the row keeps the English).
        foreach (var (spot, message, hint) in new[] { (1L, "заклад 1 «Хрещатик» існує", (string?)null), (9L, "Токен працює, але закладу 9 немає", "Використайте один із: 1 'Хрещатик'") })
        {
            await SavePosterAsync(url, token: PosSimulatorServer.PosterToken, spot: spot);
            using var ukrainian = new HttpRequestMessage(HttpMethod.Post, url + "/test");
            ukrainian.Headers.AcceptLanguage.ParseAdd("uk");
            var inUkrainian = await (await Api.SendAsync(ukrainian)).ShouldBeAsync<PosConnectionCheckDto>(HttpStatusCode.OK);
            inUkrainian.Message.ShouldContain(message);
            if (hint is not null)
            {
                inUkrainian.FixHint!.ShouldContain(hint);
            }
        }

        var last = await (await Api.GetAsync(url)).ShouldBeAsync<PosIntegrationDto>(HttpStatusCode.OK);
        last.LastCheckOk.ShouldBe(false);
        last.LastCheckReason.ShouldBe("PosSpotNotFound");
        last.LastCheckAt!.Value.ShouldBe(Factory.Clock.GetUtcNow(), Precision);
        last.LastCheckFixHint.ShouldBe(badSpot.FixHint);

        // The token never leaves: not in the answer, not in the stored check.
        (await (await Api.GetAsync(url)).Content.ReadAsStringAsync()).ShouldNotContain("0123456789abcdef");
    }

    [Fact]
    public async Task Webhook_test_connection_sends_a_signed_ping_and_reports_a_refused_signature_and_an_unreachable_POS()
    {
        var tenant = await new TestTenant().WithWebhookPos(Pos.WebhookPosUrl, Pos.WebhookSecret).WithAutoSync(false).CreateAsync(Factory);
        var url = $"/api/pickup-points/{tenant.KyivPointId}/pos-integration";

        var ok = await (await Api.PostAsync(url + "/test", null)).ShouldBeAsync<PosConnectionCheckDto>(HttpStatusCode.OK);
        ok.Ok.ShouldBeTrue(ok.Message);
        var target = Pos.Stats().Targets.Single(t => t.Target == "pos/orders");
        target.Received.ShouldBe(1);
        target.Rejected.ShouldBe(0);

        (await Api.PutAsJsonAsync(url, new { kind = "Webhook", webhookUrl = Pos.WebhookPosUrl, secret = StandardWebhookSignature.GenerateSecret() }))
            .EnsureSuccessStatusCode();
        var refused = await (await Api.PostAsync(url + "/test", null)).ShouldBeAsync<PosConnectionCheckDto>(HttpStatusCode.OK);
        refused.Ok.ShouldBeFalse();
        refused.Reason.ShouldBe("PosAuthRejected");
        refused.Message.ShouldContain("signature");
        refused.FixHint!.ShouldContain("whsec_");
        Pos.Stats().Targets.Single(t => t.Target == "pos/orders").Rejected.ShouldBe(1);

        (await Api.PutAsJsonAsync(url, new { kind = "Webhook", webhookUrl = "http://127.0.0.1:9/pos" })).EnsureSuccessStatusCode();
        var unreachable = await (await Api.PostAsync(url + "/test", null)).ShouldBeAsync<PosConnectionCheckDto>(HttpStatusCode.OK);
        unreachable.Ok.ShouldBeFalse();
        unreachable.Reason.ShouldBe("PosUnreachable");
        unreachable.FixHint!.ShouldContain("http://127.0.0.1:9/pos");
        (await (await Api.GetAsync(url)).ShouldBeAsync<PosIntegrationDto>(HttpStatusCode.OK)).LastCheckReason.ShouldBe("PosUnreachable");
    }

    [Fact]
    public async Task Poster_catalog_import_coverage_suggests_the_right_items_and_bulk_accept_reaches_100_percent()
    {
        SetPosterMenu();
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithAutoSync(false)
            .WithoutMapping("dots-prod-tiramisu").WithoutMapping("dots-prod-burger-classic")
            .WithoutMapping("dots-var-fries-large").WithoutMapping("dots-mod-no-onion")
            .CreateAsync(Factory);
        await SendBothSamplesAsync(tenant);

        var menu = await (await Api.PostAsync($"/api/companies/{tenant.CompanyId}/dots-menu/from-orders", null)).ShouldBeAsync<DotsMenuResult>(HttpStatusCode.OK);
        menu.Added.ShouldBe(11); // 5 products, 2 variants, 3 modifiers, 1 promotion

        var import = await (await Api.PostAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-catalog/refresh", null)).ShouldBeAsync<CatalogImportResult>(HttpStatusCode.OK);
        import.Source.ShouldBe("poster");
        import.Added.ShouldBe(PosterItemCount);
        var catalog = await Api.GetFromJsonAsync<JsonElement>($"/api/pickup-points/{tenant.KyivPointId}/pos-catalog", HttpAssertions.Json);
        var items = catalog.GetProperty("items").EnumerateArray().ToList();
        items.Count.ShouldBe(PosterItemCount);
        var fries = items.Single(i => i.GetProperty("externalId").GetString() == "5012");
        fries.GetProperty("kind").GetString().ShouldBe("Variant");
        fries.GetProperty("name").GetString().ShouldBe("Картопля фрі велика");
        fries.GetProperty("price").GetDecimal().ShouldBe(79m);
        fries.GetProperty("parentExternalId").GetString().ShouldBe("501");
        var mozzarella = items.Single(i => i.GetProperty("externalId").GetString() == "11");
        mozzarella.GetProperty("kind").GetString().ShouldBe("Modifier");
        mozzarella.GetProperty("price").GetDecimal().ShouldBe(35m);
        items.ShouldNotContain(i => i.GetProperty("externalId").GetString() == "999", "a hidden product is not sold");

        var coverage = await Api.GetFromJsonAsync<CoverageDto>($"/api/pickup-points/{tenant.KyivPointId}/coverage", HttpAssertions.Json);
        coverage!.DotsItems.ShouldBe(11);
        coverage.MappedItems.ShouldBe(7);
        coverage.Percent.ShouldBe(63.63m);
        coverage.Complete.ShouldBeFalse();
        coverage.AcceptTarget.ShouldBe("company");
        coverage.Kinds.Single(k => k.Kind == "Product").ShouldBe(new KindCoverageDto("Product", 5, 3, 60m));
        coverage.Kinds.Single(k => k.Kind == "Variant").ShouldBe(new KindCoverageDto("Variant", 2, 1, 50m));
        coverage.Kinds.Single(k => k.Kind == "Modifier").ShouldBe(new KindCoverageDto("Modifier", 3, 2, 66.66m));
        coverage.Kinds.Single(k => k.Kind == "Promotion").ShouldBe(new KindCoverageDto("Promotion", 1, 1, 100m));
        var suggested = coverage.Missing.ToDictionary(m => m.DotsId, m => m.Suggestion?.ExternalId);
        suggested.ShouldBe(new Dictionary<string, string?>
        {
            ["dots-prod-tiramisu"] = "301",        // "Тирамісу" at Poster, "Тірамісу" in Dots; the hidden "Тірамісу (архів)" is not offered
            ["dots-prod-burger-classic"] = "401",  // not the cheese burger: the price breaks the tie
            ["dots-var-fries-large"] = "5012",
            ["dots-mod-no-onion"] = "13",
        }, ignoreOrder: true);
        coverage.Missing.Single(m => m.DotsId == "dots-prod-burger-classic").Alternatives.ShouldContain(a => a.ExternalId == "402");

        // An id the catalog does not have is refused, naming the item; nothing is stored.
        var bad = await Api.PostAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/coverage/accept",
            new { items = new[] { new { kind = "Product", dotsId = "dots-prod-tiramisu", externalId = "301" }, new { kind = "Product", dotsId = "dots-prod-burger-classic", externalId = "777" } } });
        await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "items[1].externalId");
        (await CountAsync(db => db.ExternalIds.Where(m => m.CompanyId == tenant.CompanyId))).ShouldBe(7);

        var accepted = await (await Api.PostAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/coverage/accept",
                new { items = coverage.Missing.Select(m => new { kind = m.Kind, dotsId = m.DotsId, externalId = m.Suggestion!.ExternalId }) }))
            .ShouldBeAsync<AcceptSuggestionsResult>(HttpStatusCode.OK);
        accepted.Target.ShouldBe("company");
        accepted.Created.ShouldBe(4);
        accepted.Coverage.Percent.ShouldBe(100m);
        accepted.Coverage.Complete.ShouldBeTrue();
        accepted.Coverage.Missing.ShouldBeEmpty();

        // Stored through the external-id upsert: the effective view shows them inherited from the company.
        var effective = await Api.GetFromJsonAsync<List<EffectiveExternalIdDto>>($"/api/pickup-points/{tenant.KyivPointId}/external-ids/effective", HttpAssertions.Json);
        var tiramisu = effective!.Single(e => e.DotsId == "dots-prod-tiramisu");
        tiramisu.ExternalId.ShouldBe("301");
        tiramisu.Source.ShouldBe("inherited");
        tiramisu.Name.ShouldBe("Тірамісу");
    }

    [Fact]
    public async Task Auto_sync_is_refused_below_100_percent_and_allowed_with_a_recorded_override()
    {
        SetPosterMenu();
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithAutoSync(false)
            .WithoutMapping("dots-prod-tiramisu").CreateAsync(Factory);
        var upload = await Api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/dots-menu", new
        {
            products = new object[]
            {
                new { id = "dots-prod-pizza-margherita", name = "Піца Маргарита 30 см", price = 245.00m, modifiers = new[] { new { id = "dots-mod-extra-mozzarella", name = "Додаткова моцарела", price = 35m } } },
                new { id = "dots-prod-tiramisu", name = "Тірамісу", price = 129.00m },
            },
        });
        (await upload.ShouldBeAsync<DotsMenuResult>(HttpStatusCode.OK)).Added.ShouldBe(3);
        (await Api.PostAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-catalog/refresh", null)).EnsureSuccessStatusCode();
        var url = $"/api/pickup-points/{tenant.KyivPointId}/pos-integration";

        var refused = await Api.PutAsJsonAsync(url, PosterBody(autoSync: true));
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("coverage").GetDecimal().ShouldBe(66.66m);
        problem.GetProperty("missingCount").GetInt32().ShouldBe(1);
        problem.GetProperty("missing")[0].GetProperty("dotsId").GetString().ShouldBe("dots-prod-tiramisu");
        problem.GetProperty("missing")[0].GetProperty("suggestion").GetString().ShouldBe("301");
        problem.GetProperty("detail").GetString()!.ShouldContain("Тірамісу");
        (await Api.GetFromJsonAsync<PosIntegrationDto>(url, HttpAssertions.Json))!.AutoSyncOnAcceptance.ShouldBeFalse();

        var blank = await Api.PutAsJsonAsync(url, PosterBody(autoSync: true, reason: "  "));
        await blank.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "autoSyncOverrideReason");

        var overridden = await (await Api.PutAsJsonAsync(url, PosterBody(autoSync: true, reason: "Tiramisu is off the menu this week")))
            .ShouldBeAsync<PosIntegrationDto>(HttpStatusCode.OK);
        overridden.AutoSyncOnAcceptance.ShouldBeTrue();
        var stored = await Api.GetFromJsonAsync<PosIntegrationDto>(url, HttpAssertions.Json);
        stored!.AutoSyncOnAcceptance.ShouldBeTrue();
        stored.AutoSyncOverrideReason.ShouldBe("Tiramisu is off the menu this week");
        stored.AutoSyncOverrideBy.ShouldBe("user:" + OrderHubFactory.ApiKeyName);
        stored.AutoSyncOverrideAt!.Value.ShouldBe(Factory.Clock.GetUtcNow(), Precision);
        stored.AutoSyncOverrideCoverage.ShouldBe(66.66m);
        stored.AutoSyncOverrideMissing!.ShouldContain("dots-prod-tiramisu");
        var history = await Factory.WithDbAsync(db => db.OrderActions.Where(a => a.CompanyId == tenant.CompanyId && a.Action == SavePosIntegrationHandler.AutoSyncOverrideAction).ToListAsync());
        history.ShouldHaveSingleItem().Actor.ShouldBe("user:" + OrderHubFactory.ApiKeyName);
        history[0].Message.ShouldContain("66.66 %");
        history[0].Details!.ShouldContain("Tiramisu is off the menu this week");
        var audit = await (await Api.GetAsync($"/api/audit?companyId={tenant.CompanyId}&entityType=PosIntegration&pageSize=200"))
            .ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        audit.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("after").ToString().Contains("Tiramisu is off the menu this week", StringComparison.Ordinal))
            .ShouldHaveSingleItem().GetProperty("actor").GetString().ShouldBe("user:" + OrderHubFactory.ApiKeyName);

        // Full coverage needs no override: off, map the rest, on again.
        (await Api.PutAsJsonAsync(url, PosterBody(autoSync: false))).EnsureSuccessStatusCode();
        (await Api.PostAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/coverage/accept",
            new { items = new[] { new { kind = "Product", dotsId = "dots-prod-tiramisu", externalId = "301" } } })).EnsureSuccessStatusCode();
        (await Api.PutAsJsonAsync(url, PosterBody(autoSync: true))).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Drift_reports_removed_renamed_and_repriced_POS_items_Dots_changes_and_new_Dots_items_each_with_a_fix()
    {
        SetPosterMenu();
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithAutoSync(false).CreateAsync(Factory);
        await SendBothSamplesAsync(tenant);
        (await Api.PostAsync($"/api/companies/{tenant.CompanyId}/dots-menu/from-orders", null)).EnsureSuccessStatusCode();
        (await Api.PostAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-catalog/refresh", null)).EnsureSuccessStatusCode();
        var clean = await Api.GetFromJsonAsync<DriftDto>($"/api/pickup-points/{tenant.KyivPointId}/drift", HttpAssertions.Json);
        clean!.Findings.ShouldBe(0, JsonSerializer.Serialize(clean));

        Factory.Clock.Advance(TimeSpan.FromMinutes(5));
        lock (Pos.PosterMenu)
        {
            Pos.PosterMenu.Single(p => p.ProductId == 301).Name = "Тирамісу класичне";
            Pos.PosterMenu.Single(p => p.ProductId == 101).Price = 26500;
            Pos.PosterMenu.RemoveAll(p => p.ProductId == 501);
        }

        var refresh = await (await Api.PostAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-catalog/refresh", null)).ShouldBeAsync<CatalogImportResult>(HttpStatusCode.OK);
        refresh.Changed.ShouldBe(2);
        refresh.Removed.ShouldBe(2); // the fries and their large variant

        // Dots renames the pizza and starts selling lemonade (seen in a new order).
        var order = Fixtures.Json(Fixtures.AcceptedPickupCash);
        order["eventId"] = "evt_drift_" + Guid.NewGuid().ToString("N");
        order["order"]!["id"] = Guid.NewGuid().ToString();
        order["order"]!["number"] = "DT-DRIFT-1";
        order["order"]!["items"]![0]!["productId"] = "dots-prod-lemonade";
        order["order"]!["items"]![0]!["name"] = "Лимонад домашній";
        order["order"]!["items"]![0]!["modifiers"] = new System.Text.Json.Nodes.JsonArray();
        order["order"]!["items"]![0]!["price"] = 189.0;
        (await tenant.Sender(Factory).SendAsync(order)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var pizza = Fixtures.Json(Fixtures.AcceptedDelivery);
        pizza["eventId"] = "evt_drift_" + Guid.NewGuid().ToString("N");
        pizza["order"]!["id"] = Guid.NewGuid().ToString();
        pizza["order"]!["number"] = "DT-DRIFT-2";
        pizza["order"]!["items"]![0]!["name"] = "Піца Маргарита 32 см";
        (await tenant.Sender(Factory).SendAsync(pizza)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await Api.PostAsync($"/api/companies/{tenant.CompanyId}/dots-menu/from-orders", null)).EnsureSuccessStatusCode();

        var drift = await Api.GetFromJsonAsync<DriftDto>($"/api/pickup-points/{tenant.KyivPointId}/drift", HttpAssertions.Json);
        drift!.MissingInPos.Select(s => (s.DotsId, s.ExternalId)).ShouldBe([("dots-prod-fries", "501"), ("dots-var-fries-large", "5012")], ignoreOrder: true);
        var gone = drift.MissingInPos.Single(s => s.ExternalId == "501");
        gone.PosName.ShouldBe("Картопля фрі");
        gone.RemovedAt!.Value.ShouldBe(Factory.Clock.GetUtcNow(), Precision);
        gone.Source.ShouldBe("inherited");
        gone.Fix.Text.ShouldContain("will be refused");

        var renamed = drift.Changed.Single(c => c.Side == "pos" && c.ExternalId == "301");
        renamed.Change.ShouldBe("renamed");
        renamed.PreviousName.ShouldBe("Тирамісу");
        renamed.Name.ShouldBe("Тирамісу класичне");
        renamed.Fix.Path.ShouldBe($"/api/pickup-points/{tenant.KyivPointId}/coverage/accept");
        var repriced = drift.Changed.Single(c => c.Side == "pos" && c.ExternalId == "101");
        repriced.Change.ShouldBe("repriced");
        (repriced.PreviousPrice, repriced.Price).ShouldBe((245m, 265m));
        var dotsRename = drift.Changed.Single(c => c.Side == "dots");
        dotsRename.DotsId.ShouldBe("dots-prod-pizza-margherita");
        dotsRename.PreviousName.ShouldBe("Піца Маргарита 30 см");
        dotsRename.Name.ShouldBe("Піца Маргарита 32 см");
        dotsRename.CounterpartName.ShouldBe("Піца Маргарита");
        drift.Changed.Count.ShouldBe(3);
        var lemonade = drift.UnmappedDotsItems.ShouldHaveSingleItem();
        lemonade.DotsId.ShouldBe("dots-prod-lemonade");
        lemonade.Suggestion!.ExternalId.ShouldBe("701");
        drift.Findings.ShouldBe(2 + 3 + 1);

        // Each fix is one call: confirming the renamed tiramisu and accepting the lemonade clears both findings.
        foreach (var fix in new[] { renamed.Fix, lemonade.Fix })
        {
            (await Api.PostAsync(fix.Path, JsonContent.Create(fix.Body))).EnsureSuccessStatusCode();
        }

        var after = await Api.GetFromJsonAsync<DriftDto>($"/api/pickup-points/{tenant.KyivPointId}/drift", HttpAssertions.Json);
        after!.Changed.ShouldNotContain(c => c.ExternalId == "301");
        after.UnmappedDotsItems.ShouldBeEmpty();
        after.Findings.ShouldBe(4);
    }

    [Fact]
    public async Task A_webhook_POS_catalog_is_uploaded_refused_when_malformed_and_cannot_be_refreshed_from_the_POS()
    {
        var tenant = await new TestTenant().WithWebhookPos(Pos.WebhookPosUrl, Pos.WebhookSecret).WithAutoSync(false).CreateAsync(Factory);
        var url = $"/api/pickup-points/{tenant.KyivPointId}/pos-catalog";

        var malformed = await Api.PutAsJsonAsync(url, new { products = new object[] { new { id = "P1", name = "Pizza" }, new { id = "P2", price = -1 } } });
        var problem = await malformed.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "products[1].name");
        problem.GetProperty("errors").TryGetProperty("products[1].price", out _).ShouldBeTrue();
        (await CountAsync(db => db.PosCatalogItems)).ShouldBe(0);

        var uploaded = await (await Api.PutAsJsonAsync(url, new
        {
            products = new object[] { new { id = "P1", name = "Pizza Margherita", price = 245m, variants = new[] { new { id = "P1-L", name = "Large", price = 300m } } } },
            modifiers = new[] { new { id = "M1", name = "Extra cheese", price = 35m } },
            promotions = new[] { new { id = "PR1", name = "Second pizza -20%" } },
        })).ShouldBeAsync<CatalogImportResult>(HttpStatusCode.OK);
        uploaded.Source.ShouldBe("upload");
        uploaded.Added.ShouldBe(4);
        var kinds = (await Api.GetFromJsonAsync<JsonElement>(url, HttpAssertions.Json)).GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("kind").GetString(), i.GetProperty("externalId").GetString())).ToList();
        kinds.ShouldBe([("Product", "P1"), ("Variant", "P1-L"), ("Modifier", "M1"), ("Promotion", "PR1")], ignoreOrder: true);

        var refresh = await Api.PostAsync(url + "/refresh", null);
        (await refresh.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("fixHint").GetString()!.ShouldContain("PUT");

        // The same catalog as a spreadsheet exports it: semicolons, a quoted cell, a decimal comma.
        var badCsv = await Api.PutAsync(url + "/csv", new StringContent("kind,id,name,price\nProduct,P9,,abc\n", System.Text.Encoding.UTF8, "text/csv"));
        var csvProblem = await badCsv.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "csv[2].name");
        csvProblem.GetProperty("errors").TryGetProperty("csv[2].price", out _).ShouldBeTrue();
        var wrongType = await Api.PutAsync(url + "/csv", new StringContent("kind,id,name\nProduct,P9,Pizza\n", System.Text.Encoding.UTF8, "text/plain"));
        await wrongType.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        using var huge = new HttpRequestMessage(HttpMethod.Put, url + "/csv")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("kind,id,name\n" + new string('x', 2 * 1024 * 1024)))),
        };
        huge.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        huge.Headers.TransferEncodingChunked = true;
        await (await Api.SendAsync(huge)).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await CountAsync(db => db.PosCatalogItems.Where(i => i.RemovedAt == null))).ShouldBe(4);

        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var csv = await (await Api.PutAsync(url + "/csv", new StringContent(
                "kind;id;name;price;parentId\r\nProduct;P1;\"Pizza; Margherita\";245,00;\r\nModifier;M2;Extra bacon;40;P1\r\n", System.Text.Encoding.UTF8, "text/csv")))
            .ShouldBeAsync<CatalogImportResult>(HttpStatusCode.OK);
        (csv.Added, csv.Changed, csv.Removed, csv.Total).ShouldBe((1, 1, 3, 2));
        var pizza = (await Api.GetFromJsonAsync<PosCatalogDto>(url, HttpAssertions.Json))!.Items.Single(i => i.ExternalId == "P1");
        (pizza.Name, pizza.PreviousName, pizza.Price).ShouldBe(("Pizza; Margherita", "Pizza Margherita", 245m));
    }

    /// <summary>Items <see cref="SetPosterMenu"/> puts in the catalog of spot 1.</summary>
    private const int PosterItemCount = 8 + 2 + 3;

    /// <summary>A Poster menu with the samples' dishes under Poster's own names, a look-alike, a hidden product and lemonade.</summary>
    private void SetPosterMenu()
    {
        lock (Pos.PosterMenu)
        {
            Pos.PosterMenu.AddRange(
            [
                new SimulatedProduct
                {
                    ProductId = 101, Name = "Піца Маргарита", Price = 24500,
                    DishModifiers = [new() { Id = 11, Name = "Додаткова моцарела", Price = 35 }, new() { Id = 12, Name = "Тонке тісто", Price = 0 }],
                },
                new SimulatedProduct { ProductId = 201, Name = "Coca-Cola", Price = 4200, Variants = [new() { Id = 2011, Name = "0.5 л", Price = 4200 }] },
                new SimulatedProduct { ProductId = 301, Name = "Тирамісу", Price = 12900 },
                new SimulatedProduct { ProductId = 401, Name = "Бургер класичний", Price = 18900, DishModifiers = [new() { Id = 13, Name = "Без цибулі", Price = 0 }] },
                new SimulatedProduct { ProductId = 402, Name = "Бургер класичний", Price = 22900 },
                new SimulatedProduct { ProductId = 501, Name = "Картопля фрі", Price = 5900, Variants = [new() { Id = 5012, Name = "велика", Price = 7900 }] },
                new SimulatedProduct { ProductId = 701, Name = "Лимонад домашній", Price = 6900 },
                new SimulatedProduct { ProductId = 801, Name = "Еспресо", Price = 4500 },
                new SimulatedProduct { ProductId = 999, Name = "Тірамісу (архів)", Price = 12900, Hidden = true },
            ]);
        }
    }

    private async Task SendBothSamplesAsync(TestTenant tenant)
    {
        var sender = tenant.Sender(Factory);
        (await sender.SendFixtureAsync(Fixtures.AcceptedDelivery)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await sender.SendFixtureAsync(Fixtures.AcceptedPickupCash)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task With_no_Dots_menu_coverage_is_unknown_and_auto_sync_needs_a_reason_until_the_menu_is_known_and_mapped()
    {
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithAutoSync(false).CreateAsync(Factory);
        var coverage = await Api.GetFromJsonAsync<CoverageDto>($"/api/pickup-points/{tenant.KyivPointId}/coverage", HttpAssertions.Json);
        coverage!.Known.ShouldBeFalse();
        coverage.DotsItems.ShouldBe(0);
        coverage.Percent.ShouldBe(0m, "unknown is not 100 % of nothing");
        coverage.Complete.ShouldBeFalse();

        // The point's own integration: 409 naming the way out, then on with a recorded reason (no coverage figure).
        var url = $"/api/pickup-points/{tenant.KyivPointId}/pos-integration";
        var problem = await (await Api.PutAsJsonAsync(url, PosterBody(autoSync: true))).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("title").GetString().ShouldBe("Mapping coverage is unknown");
        problem.GetProperty("coverageKnown").GetBoolean().ShouldBeFalse();
        problem.GetProperty("fixHint").GetString()!.ShouldContain($"/api/companies/{tenant.CompanyId}/dots-menu");
        (await Api.GetFromJsonAsync<PosIntegrationDto>(url, HttpAssertions.Json))!.AutoSyncOnAcceptance.ShouldBeFalse();
        var overridden = await (await Api.PutAsJsonAsync(url, PosterBody(autoSync: true, reason: "the POS takes every item by name")))
            .ShouldBeAsync<PosIntegrationDto>(HttpStatusCode.OK);
        overridden.AutoSyncOnAcceptance.ShouldBeTrue();
        overridden.AutoSyncOverrideCoverage.ShouldBeNull();
        (await Factory.WithDbAsync(db => db.OrderActions.SingleAsync(a => a.CompanyId == tenant.CompanyId && a.Action == SavePosIntegrationHandler.AutoSyncOverrideAction)))
            .Message.ShouldContain("unknown mapping coverage");

        // The company default, for Lviv (no integration of its own): the same gate.
        await Factory.WithDbAsync(async db =>
        {
            db.PosIntegrations.Remove(await db.PosIntegrations.SingleAsync(i => i.PickupPointId == tenant.LvivPointId));
            return await db.SaveChangesAsync();
        });
        var company = $"/api/companies/{tenant.CompanyId}/pos-integration";
        var companyProblem = await (await Api.PutAsJsonAsync(company, new { kind = "Webhook", webhookUrl = Pos.WebhookPosUrl, secret = Pos.WebhookSecret, autoSyncOnAcceptance = true }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        companyProblem.GetProperty("title").GetString().ShouldBe("Mapping coverage is unknown");
        var lviv = companyProblem.GetProperty("points").EnumerateArray().ShouldHaveSingleItem();
        (!lviv.TryGetProperty("coverage", out var percent) || percent.ValueKind == JsonValueKind.Null).ShouldBeTrue("no coverage figure when it is unknown");

        // A known, fully mapped menu: no reason needed.
        (await Api.PutAsJsonAsync(url, PosterBody(autoSync: false))).EnsureSuccessStatusCode();
        (await Api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/dots-menu", new
        {
            products = new object[] { new { id = "dots-prod-cola", name = "Кола", price = 45.00m, variants = new[] { new { id = "dots-var-cola-05", name = "Кола 0,5", price = 45m } } } },
        })).EnsureSuccessStatusCode();
        coverage = await Api.GetFromJsonAsync<CoverageDto>($"/api/pickup-points/{tenant.KyivPointId}/coverage", HttpAssertions.Json);
        coverage!.Known.ShouldBeTrue();
        coverage.Percent.ShouldBe(100m);
        coverage.Complete.ShouldBeTrue();
        // The menu has no modifier and no promotion: those kinds have nothing to count, so no percentage.
        coverage.Kinds.Single(k => k.Kind == "Modifier").ShouldBe(new KindCoverageDto("Modifier", 0, 0, null));
        coverage.Kinds.Single(k => k.Kind == "Promotion").ShouldBe(new KindCoverageDto("Promotion", 0, 0, null));
        coverage.Kinds.Single(k => k.Kind == "Product").ShouldBe(new KindCoverageDto("Product", 1, 1, 100m));
        await TestUsers.CreateAsync(Factory, "olha", "admin");
        var panel = new PanelClient(Factory);
        await panel.SignInAsync("olha", TestUsers.Password);
        var page = await panel.GetPageAsync($"/panel/points/{tenant.KyivPointId}/coverage");
        var modifiers = page[page.IndexOf("data-kind=\"Modifier\"", StringComparison.Ordinal)..];
        modifiers = modifiers[..modifiers.IndexOf("</div>", StringComparison.Ordinal)];
        modifiers.ShouldContain("немає позицій цього виду");
        modifiers.ShouldNotContain("%");
        page.ShouldNotContain("(0 / 0)");
        (await Api.PutAsJsonAsync(url, PosterBody(autoSync: true))).EnsureSuccessStatusCode();
    }

    private async Task SavePosterAsync(string url, string token, long spot) =>
        (await Api.PutAsJsonAsync(url, new { kind = "Poster", posterAccount = PosSimulatorServer.PosterAccount, posterSpotId = spot, token }))
        .EnsureSuccessStatusCode();

    private static object PosterBody(bool autoSync, string? reason = null) => new
    {
        kind = "Poster",
        posterAccount = PosSimulatorServer.PosterAccount,
        posterSpotId = 1,
        autoSyncOnAcceptance = autoSync,
        autoSyncOverrideReason = reason,
    };
}

public sealed class SqliteCatalogTests() : CatalogTests(new SqliteTestDatabase());

public sealed class PostgresCatalogTests() : CatalogTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerCatalogTests() : CatalogTests(new SqlServerTestDatabase());
