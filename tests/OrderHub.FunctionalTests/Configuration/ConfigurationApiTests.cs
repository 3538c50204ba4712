using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AutoMapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Features.Tenancy.Cities;
using OrderHub.Api.Features.Tenancy.Companies;
using OrderHub.Api.Features.Tenancy.ExternalIds;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Features.Tenancy.PosIntegrations;
using OrderHub.Api.Security;
using OrderHub.Domain.Tenancy;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.FunctionalTests.Configuration;

public sealed class SqliteConfigurationApiTests() : ConfigurationApiTests(new SqliteTestDatabase());

public sealed class PostgresConfigurationApiTests() : ConfigurationApiTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerConfigurationApiTests() : ConfigurationApiTests(new SqlServerTestDatabase());

/// <summary>The configuration API over HTTP: cities, companies and their secrets, pickup points, POS integrations, external ids.</summary>
public abstract class ConfigurationApiTests(ITestDatabase database) : ProviderTestBase(database)
{
    private readonly RecordingHandler _recorder = new();
    private HttpClient? _api;

    private HttpClient Api => _api ??= CreateApi();

    [Fact]
    public async Task A_company_created_through_the_api_gets_its_secret_once_and_receives_signed_webhooks()
    {
        var city = await CreateCityAsync();
        var company = await CreateCompanyAsync(city.Id, Fixtures.DotsCompanyId);
        StandardWebhookSignature.IsValidSecret(company.SigningSecret).ShouldBeTrue();
        _recorder.Bodies[^1].ShouldContain(company.SigningSecret);
        var afterCreate = _recorder.Bodies.Count;
        await CreatePointAsync(company.Id, Fixtures.KyivAddressId);

        var response = await new DotsSender(Factory.CreateClient(), company.Key, company.SigningSecret, Factory.Clock)
            .SendFixtureAsync(Fixtures.AcceptedDelivery);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var shown = await (await Api.GetAsync($"/api/companies/{company.Id}")).ShouldBeAsync<CompanyDto>(HttpStatusCode.OK);
        shown.Key.ShouldBe(company.Key);
        shown.PreviousSecretExpiresAt.ShouldBeNull();
        (await Api.GetAsync("/api/companies")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Api.PutAsJsonAsync($"/api/companies/{company.Id}", new { cityId = city.Id, dotsCompanyId = Fixtures.DotsCompanyId, name = "Renamed" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        _recorder.Bodies.Skip(afterCreate).ShouldAllBe(b => !b.Contains(company.SigningSecret));
        var stored = await Factory.WithDbAsync(db => db.Companies.SingleAsync(c => c.Id == company.Id));
        stored.SigningSecretProtected.ShouldNotContain(company.SigningSecret);
        stored.Name.ShouldBe("Renamed");
    }

    [Fact]
    public async Task A_signing_secret_Dots_issued_is_stored_write_only_validated_audited_and_the_old_one_stays_valid_for_24_hours()
    {
        var city = await CreateCityAsync();
        var company = await CreateCompanyAsync(city.Id, Fixtures.DotsCompanyId);
        await CreatePointAsync(company.Id, Fixtures.KyivAddressId);
        var url = $"/api/companies/{company.Id}/signing-secret";

        await (await Api.PutAsJsonAsync(url, new { signingSecret = "not-a-secret" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "signingSecret");
        await (await Api.PutAsJsonAsync(url, new { signingSecret = "whsec_" + Convert.ToBase64String(new byte[8]) })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "signingSecret");
        await (await Api.PutAsJsonAsync(url, new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "signingSecret");
        await (await Api.PutAsJsonAsync($"/api/companies/{Guid.NewGuid()}/signing-secret", new { signingSecret = StandardWebhookSignature.GenerateSecret() }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await Factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.EntityType == "Company" && e.Action != "created"))).ShouldBe(0, "refusals change nothing");

        var issued = StandardWebhookSignature.GenerateSecret();
        var before = _recorder.Bodies.Count;
        var answer = await Api.PutAsJsonAsync(url, new { signingSecret = issued });
        var text = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldNotContain(issued, customMessage: "write-only: never returned");
        (await answer.Content.ReadFromJsonAsync<CompanyDto>(HttpAssertions.Json))!.PreviousSecretExpiresAt!.Value
            .ShouldBe(Factory.Clock.GetUtcNow().AddHours(24), TimeSpan.FromSeconds(1));
        (await Api.GetStringAsync($"/api/companies/{company.Id}")).ShouldNotContain(issued);
        _recorder.Bodies.Skip(before).ShouldAllBe(b => !b.Contains(issued));

        var audit = await Factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == "Company" && e.EntityId == company.Id.ToString()).ToListAsync());
        var change = audit.Where(e => e.Action != "created").ShouldHaveSingleItem();
        change.Actor.ShouldBe("user:" + OrderHubFactory.ApiKeyName);
        (change.Before + change.After).ShouldNotContain(issued);
        (change.Before + change.After).ShouldNotContain(company.SigningSecret);

        // Dots signs with its secret; the replaced one is accepted for 24 h, then refused.
        var body = Fixtures.Read(Fixtures.AcceptedDelivery);
        var sender = new DotsSender(Factory.CreateClient(), company.Key, issued, Factory.Clock);
        (await sender.SendRawAsync(body, "wh-issued")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await sender.SendRawAsync(body, "wh-old", signingSecret: company.SigningSecret)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        Factory.Clock.Advance(TimeSpan.FromHours(25));
        (await sender.SendRawAsync(body, "wh-old-late", signingSecret: company.SigningSecret)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await sender.SendRawAsync(body, "wh-issued-late")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Rotation_returns_a_new_secret_once_and_keeps_the_old_one_valid_for_24_hours()
    {
        var city = await CreateCityAsync();
        var company = await CreateCompanyAsync(city.Id, Fixtures.DotsCompanyId);
        await CreatePointAsync(company.Id, Fixtures.KyivAddressId);

        var rotated = await (await Api.PostAsync($"/api/companies/{company.Id}/signing-secret/rotate", null))
            .ShouldBeAsync<CompanyWithSecretDto>(HttpStatusCode.OK);

        rotated.SigningSecret.ShouldNotBe(company.SigningSecret);
        StandardWebhookSignature.IsValidSecret(rotated.SigningSecret).ShouldBeTrue();
        rotated.PreviousSecretExpiresAt!.Value.ShouldBe(Factory.Clock.GetUtcNow().AddHours(24), TimeSpan.FromSeconds(1));
        var afterRotate = _recorder.Bodies.Count;
        var body = Fixtures.Read(Fixtures.AcceptedDelivery);
        var sender = new DotsSender(Factory.CreateClient(), company.Key, company.SigningSecret, Factory.Clock);
        (await sender.SendRawAsync(body, "wh-old")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await sender.SendRawAsync(body, "wh-new", signingSecret: rotated.SigningSecret)).StatusCode.ShouldBe(HttpStatusCode.Accepted); // verified and stored (then a duplicate by meaning)

        Factory.Clock.Advance(TimeSpan.FromHours(25));
        (await sender.SendRawAsync(body, "wh-old-late")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await sender.SendRawAsync(body, "wh-new-late", signingSecret: rotated.SigningSecret)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await Api.GetAsync($"/api/companies/{company.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Api.GetAsync("/api/companies")).StatusCode.ShouldBe(HttpStatusCode.OK);
        _recorder.Bodies.Skip(afterRotate).ShouldAllBe(b => !b.Contains(rotated.SigningSecret) && !b.Contains(company.SigningSecret));
        await (await Api.PostAsync($"/api/companies/{Guid.NewGuid()}/signing-secret/rotate", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_webhook_integration_keeps_its_secret_write_only_and_keeps_it_when_omitted()
    {
        var point = await CreatePointAsync((await CreateCompanyAsync((await CreateCityAsync()).Id)).Id, "addr-1");
        var url = $"/api/pickup-points/{point.Id}/pos-integration";

        var created = await (await Api.PutAsJsonAsync(url, new { kind = "Webhook", webhookUrl = "https://pos.example.com/orders" }))
            .ShouldBeAsync<SavedPosIntegrationDto>(HttpStatusCode.OK);

        StandardWebhookSignature.IsValidSecret(created.GeneratedSecret).ShouldBeTrue();
        created.HasSecret.ShouldBeTrue();
        created.Enabled.ShouldBeTrue();
        var generated = created.GeneratedSecret!;
        var afterCreate = _recorder.Bodies.Count;
        (await (await Api.GetAsync(url)).ShouldBeAsync<PosIntegrationDto>(HttpStatusCode.OK)).HasSecret.ShouldBeTrue();

        var kept = await (await Api.PutAsJsonAsync(url, new { kind = "webhook", webhookUrl = "http://192.0.2.5:8080/pos", autoSyncOnAcceptance = true, autoSyncOverrideReason = "no Dots menu in this test: coverage is unknown" }))
            .ShouldBeAsync<SavedPosIntegrationDto>(HttpStatusCode.OK);
        kept.GeneratedSecret.ShouldBeNull();
        kept.AutoSyncOnAcceptance.ShouldBeTrue();
        (await StoredSecretAsync(point.Id)).ShouldBe(generated);

        var mine = StandardWebhookSignature.GenerateSecret();
        var disabled = await (await Api.PutAsJsonAsync(url, new { kind = "Webhook", webhookUrl = "http://192.0.2.5:8080/pos", secret = mine, enabled = false }))
            .ShouldBeAsync<SavedPosIntegrationDto>(HttpStatusCode.OK);
        disabled.Enabled.ShouldBeFalse();
        disabled.DisabledReason.ShouldNotBeNull();
        (await StoredSecretAsync(point.Id)).ShouldBe(mine);
        var enabled = await (await Api.PutAsJsonAsync(url, new { kind = "Webhook", webhookUrl = "http://192.0.2.5:8080/pos", enabled = true }))
            .ShouldBeAsync<PosIntegrationDto>(HttpStatusCode.OK);
        enabled.Enabled.ShouldBeTrue();
        enabled.DisabledReason.ShouldBeNull();

        await (await Api.PutAsJsonAsync(url, new { kind = "Poster", posterAccount = "pizza-1", posterSpotId = 3 }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "token");
        (await Factory.WithDbAsync(db => db.PosIntegrations.SingleAsync(i => i.PickupPointId == point.Id))).Kind.ShouldBe(PosKind.Webhook);
        var poster = await (await Api.PutAsJsonAsync(url, new { kind = "Poster", posterAccount = "pizza-1", posterSpotId = 3, token = "123456:abcdefTOKEN" }))
            .ShouldBeAsync<PosIntegrationDto>(HttpStatusCode.OK);
        poster.Kind.ShouldBe("Poster");
        poster.WebhookUrl.ShouldBeNull();
        poster.HasSecret.ShouldBeTrue();
        (await StoredSecretAsync(point.Id)).ShouldBe("123456:abcdefTOKEN");
        (await Api.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        _recorder.Bodies.Skip(afterCreate).ShouldAllBe(b => !b.Contains(generated) && !b.Contains(mine) && !b.Contains("abcdefTOKEN"));

        (await Api.DeleteAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await Api.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await Api.DeleteAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_deprecated_useCompanyDefaults_names_are_still_accepted_and_a_contradiction_is_refused()
    {
        var company = await CreateCompanyAsync((await CreateCityAsync()).Id);
        var point = await CreatePointAsync(company.Id, "addr-deprecated");
        point.UseCompanyExternalIds.ShouldBeTrue();

        var changed = await (await Api.PutAsJsonAsync($"/api/pickup-points/{point.Id}", new { useCompanyDefaults = false }))
            .ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        changed.GetProperty("useCompanyExternalIds").GetBoolean().ShouldBeFalse();
        changed.GetProperty("useCompanyDefaults").GetBoolean().ShouldBeFalse();

        await (await Api.PutAsJsonAsync($"/api/pickup-points/{point.Id}", new { useCompanyExternalIds = true, useCompanyDefaults = false }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "useCompanyDefaults");
        (await (await Api.GetAsync($"/api/pickup-points/{point.Id}")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK))
            .GetProperty("useCompanyExternalIds").GetBoolean().ShouldBeFalse("a refused request changes nothing");

        await (await Api.PutAsJsonAsync($"/api/pickup-points/{point.Id}/pos-integration",
                new { kind = "Webhook", webhookUrl = "https://pos.example/orders", inheritCompanyCredentials = true, useCompanyDefaults = false }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "useCompanyDefaults");
    }

    [Fact]
    public async Task External_ids_are_stored_in_bulk_all_or_nothing_and_the_effective_view_says_inherited_or_overridden()
    {
        var company = await CreateCompanyAsync((await CreateCityAsync()).Id);
        var point = await CreatePointAsync(company.Id, "addr-1", useCompanyExternalIds: false);
        var companyIds = $"/api/companies/{company.Id}/external-ids";
        var pointIds = $"/api/pickup-points/{point.Id}/external-ids";

        (await (await Api.PutAsJsonAsync(companyIds, Items(("Product", "p1", "101"), ("Product", "p2", "102"), ("Modifier", "m1", "11"))))
            .ShouldBeAsync<UpsertExternalIdsResult>(HttpStatusCode.OK)).ShouldBe(new UpsertExternalIdsResult(3, 0));
        (await (await Api.PutAsJsonAsync(pointIds, Items(("Product", "p1", "999"))))
            .ShouldBeAsync<UpsertExternalIdsResult>(HttpStatusCode.OK)).ShouldBe(new UpsertExternalIdsResult(1, 0));

        var effective = await EffectiveAsync(point.Id);
        effective["Product:p1"].ShouldBe(("999", "overridden"));
        effective["Product:p2"].ShouldBe(("102", "inherited"));
        effective["Modifier:m1"].ShouldBe(("11", "inherited"));

        (await Api.PutAsJsonAsync($"/api/pickup-points/{point.Id}", new { useCompanyExternalIds = true })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await EffectiveAsync(point.Id))["Product:p1"].ShouldBe(("101", "inherited"));

        var bad = Items(("Product", "p3", "103"), ("Product", "p2", "202"), ("Variant", "v1", ""));
        await (await Api.PutAsJsonAsync(companyIds, bad)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "items[2].externalId");
        await (await Api.PutAsJsonAsync(companyIds, Items(("Product", "p3", "103"), ("Product", "p3", "104"))))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "items[1].dotsId");
        await (await Api.PutAsJsonAsync(companyIds, Items(("Dish", "p3", "103")))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "items[0].kind");
        var tooMany = new { items = Enumerable.Range(0, 5001).Select(i => new { kind = "Product", dotsId = $"d{i}", externalId = $"{i}" }) };
        await (await Api.PutAsJsonAsync(companyIds, tooMany)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "items");
        var products = await (await Api.GetAsync($"{companyIds}?kind=product")).ShouldBeAsync<List<ExternalIdDto>>(HttpStatusCode.OK);
        products.Select(p => (p.DotsId, p.ExternalId)).ShouldBe([("p1", "101"), ("p2", "102")]);

        var many = new { items = Enumerable.Range(0, 5000).Select(i => new { kind = "Variant", dotsId = $"v{i}", externalId = $"{i}", name = $"Variant {i}" }) };
        (await (await Api.PutAsJsonAsync(companyIds, many)).ShouldBeAsync<UpsertExternalIdsResult>(HttpStatusCode.OK)).Created.ShouldBe(5000);
        (await (await Api.PutAsJsonAsync(companyIds, Items(("Product", "p2", "202"))))
            .ShouldBeAsync<UpsertExternalIdsResult>(HttpStatusCode.OK)).ShouldBe(new UpsertExternalIdsResult(0, 1));

        var delete = new HttpRequestMessage(HttpMethod.Delete, companyIds)
        {
            Content = JsonContent.Create(new { items = new[] { new { kind = "Product", dotsId = "p1" }, new { kind = "Modifier", dotsId = "m1" }, new { kind = "Promotion", dotsId = "none" } } }),
        };
        (await (await Api.SendAsync(delete)).ShouldBeAsync<DeleteExternalIdsResult>(HttpStatusCode.OK)).Deleted.ShouldBe(2);
        var left = await (await Api.GetAsync($"{companyIds}?kind=Product")).ShouldBeAsync<List<ExternalIdDto>>(HttpStatusCode.OK);
        left.Select(p => (p.DotsId, p.ExternalId)).ShouldBe([("p2", "202")]);
        (await EffectiveAsync(point.Id)).ContainsKey("Product:p1").ShouldBeTrue(); // the point's own override is still there...
        (await EffectiveAsync(point.Id))["Product:p1"].ShouldBe((null, "missing")); // ...but ignored under company defaults
        await (await Api.GetAsync($"{companyIds}?kind=Dish")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "kind");
        await (await Api.GetAsync($"/api/companies/{Guid.NewGuid()}/external-ids")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await Api.GetAsync($"/api/pickup-points/{Guid.NewGuid()}/external-ids/effective")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await Api.PutAsJsonAsync($"/api/pickup-points/{Guid.NewGuid()}/external-ids", Items(("Product", "p1", "1"))))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_400_naming_the_field()
    {
        var city = await CreateCityAsync();
        var company = await CreateCompanyAsync(city.Id);
        var point = await CreatePointAsync(company.Id, "addr-1");
        var integration = $"/api/pickup-points/{point.Id}/pos-integration";

        await (await Api.PostAsJsonAsync("/api/cities", new { name = "Одеса" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "dotsCityId");
        await (await Api.PostAsJsonAsync("/api/companies", new { cityId = city.Id, dotsCompanyId = "dc-x", key = "Bad Key!", name = "X" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "key");
        await (await Api.PostAsJsonAsync("/api/companies", new { cityId = city.Id, dotsCompanyId = "dc-x", key = "ab", name = "X" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "key");
        await (await Api.PostAsJsonAsync("/api/companies", new { cityId = Guid.NewGuid(), dotsCompanyId = "dc-x", key = "good-key", name = "X" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "cityId");
        await (await Api.PostAsJsonAsync($"/api/companies/{company.Id}/pickup-points", new { dotsAddressId = "a2", name = "P", timeZone = "Mars/Olympus" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "timeZone");
        await (await Api.PutAsJsonAsync($"/api/pickup-points/{point.Id}", new { timeZone = "FLE Standard Time" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "timeZone");
        await (await Api.PutAsJsonAsync(integration, new { kind = "Fax" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "kind");
        await (await Api.PutAsJsonAsync(integration, new { kind = "Webhook", webhookUrl = "ftp://pos.example.com" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "webhookUrl");
        await (await Api.PutAsJsonAsync(integration, new { kind = "Webhook", webhookUrl = "/relative" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "webhookUrl");
        await (await Api.PutAsJsonAsync(integration, new { kind = "Webhook", webhookUrl = "https://pos.example.com", secret = "not-a-secret" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "secret");
        await (await Api.PutAsJsonAsync(integration, new { kind = "Poster", posterAccount = "pizza", posterSpotId = 0, token = "t" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "posterSpotId");
        await (await Api.PutAsJsonAsync(integration, new { kind = "Poster", posterAccount = "Pizza_1", posterSpotId = 1, token = "t" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "posterAccount");

        (await CountAsync(db => db.Companies)).ShouldBe(1);
        (await CountAsync(db => db.PickupPoints)).ShouldBe(1);
        (await CountAsync(db => db.PosIntegrations)).ShouldBe(0);
        (await (await Api.GetAsync($"/api/pickup-points/{point.Id}")).ShouldBeAsync<PickupPointDto>(HttpStatusCode.OK)).TimeZone.ShouldBe("Europe/Kyiv");
    }

    [Fact]
    public async Task Unknown_ids_are_404_and_taken_natural_keys_are_409()
    {
        var city = await CreateCityAsync("kyiv");
        var company = await CreateCompanyAsync(city.Id, "dots-co-1", "pizza");
        var point = await CreatePointAsync(company.Id, "addr-1");

        await (await Api.PostAsJsonAsync("/api/cities", new { dotsCityId = "kyiv", name = "Київ 2" })).ShouldBeProblemAsync(HttpStatusCode.Conflict, "dotsCityId");
        var lviv = await CreateCityAsync("lviv");
        await (await Api.PutAsJsonAsync($"/api/cities/{lviv.Id}", new { dotsCityId = "kyiv", name = "Львів" })).ShouldBeProblemAsync(HttpStatusCode.Conflict, "dotsCityId");
        (await (await Api.PutAsJsonAsync($"/api/cities/{lviv.Id}", new { dotsCityId = "lviv", name = "Lviv" })).ShouldBeAsync<CityDto>(HttpStatusCode.OK)).Name.ShouldBe("Lviv");
        await (await Api.PostAsJsonAsync("/api/companies", new { cityId = city.Id, dotsCompanyId = "dots-co-2", key = "pizza", name = "X" }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "key");
        await (await Api.PostAsJsonAsync("/api/companies", new { cityId = city.Id, dotsCompanyId = "dots-co-1", key = "pizza-2", name = "X" }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "dotsCompanyId");
        await (await Api.PostAsJsonAsync($"/api/companies/{company.Id}/pickup-points", new { dotsAddressId = "addr-1", name = "Again" }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "dotsAddressId");
        var other = await CreateCompanyAsync(city.Id, "dots-co-3", "sushi");
        await CreatePointAsync(other.Id, "addr-1"); // unique per company only

        var unknown = Guid.NewGuid();
        foreach (var url in new[]
                 {
                     $"/api/cities/{unknown}", $"/api/companies/{unknown}", $"/api/companies/{unknown}/pickup-points",
                     $"/api/pickup-points/{unknown}", $"/api/pickup-points/{unknown}/pos-integration", $"/api/pickup-points/{point.Id}/pos-integration",
                 })
        {
            await (await Api.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        await (await Api.PutAsJsonAsync($"/api/companies/{unknown}", new { cityId = city.Id, dotsCompanyId = "d", name = "n" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await Api.PutAsJsonAsync($"/api/pickup-points/{unknown}", new { name = "n" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await Api.PostAsJsonAsync($"/api/companies/{unknown}/pickup-points", new { dotsAddressId = "a", name = "n" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await Api.PutAsJsonAsync($"/api/pickup-points/{unknown}/pos-integration", new { kind = "Webhook", webhookUrl = "https://x.example" }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await Factory.CreateClient().GetAsync("/api/cities")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await (await Api.GetAsync($"/api/companies/{company.Id}/pickup-points")).ShouldBeAsync<List<PickupPointDto>>(HttpStatusCode.OK)).Count.ShouldBe(1);
        (await (await Api.GetAsync($"/api/companies?cityId={city.Id}")).ShouldBeAsync<List<CompanyDto>>(HttpStatusCode.OK)).Count.ShouldBe(2);
        (await (await Api.GetAsync("/api/cities")).ShouldBeAsync<List<CityDto>>(HttpStatusCode.OK)).Count.ShouldBe(2);
    }

    [Fact]
    public void The_apps_AutoMapper_configuration_is_valid() =>
        Factory.Services.GetRequiredService<IMapper>().ConfigurationProvider.AssertConfigurationIsValid();

    private HttpClient CreateApi()
    {
        var client = Factory.CreateDefaultClient(_recorder);
        client.DefaultRequestHeaders.Add("X-Api-Key", OrderHubFactory.ApiKey);
        return client;
    }

    private async Task<CityDto> CreateCityAsync(string? dotsCityId = null) =>
        await (await Api.PostAsJsonAsync("/api/cities", new { dotsCityId = dotsCityId ?? "city-" + Guid.NewGuid().ToString("N")[..8], name = "Київ" }))
            .ShouldBeAsync<CityDto>(HttpStatusCode.Created);

    private async Task<CompanyWithSecretDto> CreateCompanyAsync(Guid cityId, string? dotsCompanyId = null, string? key = null) =>
        await (await Api.PostAsJsonAsync("/api/companies", new
            {
                cityId,
                dotsCompanyId = dotsCompanyId ?? "dots-" + Guid.NewGuid().ToString("N"),
                key = key ?? "co-" + Guid.NewGuid().ToString("N")[..10],
                name = "Test Pizza",
            }))
            .ShouldBeAsync<CompanyWithSecretDto>(HttpStatusCode.Created);

    private async Task<PickupPointDto> CreatePointAsync(Guid companyId, string dotsAddressId, bool? useCompanyExternalIds = null)
    {
        var point = await (await Api.PostAsJsonAsync($"/api/companies/{companyId}/pickup-points",
                new { dotsAddressId, name = "Хрещатик", address = "Київ, вул. Хрещатик, 1", timeZone = "Europe/Kyiv", useCompanyExternalIds }))
            .ShouldBeAsync<PickupPointDto>(HttpStatusCode.Created);
        point.UseCompanyExternalIds.ShouldBe(useCompanyExternalIds ?? true);
        return point;
    }

    private static object Items(params (string Kind, string DotsId, string ExternalId)[] items) =>
        new { items = items.Select(i => new { kind = i.Kind, dotsId = i.DotsId, externalId = i.ExternalId, name = "Item " + i.DotsId }) };

    private async Task<Dictionary<string, (string? ExternalId, string Source)>> EffectiveAsync(Guid pointId)
    {
        var items = await (await Api.GetAsync($"/api/pickup-points/{pointId}/external-ids/effective"))
            .ShouldBeAsync<List<EffectiveExternalIdDto>>(HttpStatusCode.OK);
        return items.ToDictionary(i => $"{i.Kind}:{i.DotsId}", i => (i.ExternalId, i.Source));
    }

    private Task<string?> StoredSecretAsync(Guid pointId) => Factory.WithDbAsync(async db =>
    {
        var integration = await db.PosIntegrations.AsNoTracking().SingleAsync(i => i.PickupPointId == pointId);
        return integration.SecretProtected is null ? null : Factory.Services.GetRequiredService<SecretProtector>().Unprotect(integration.SecretProtected);
    });
}
