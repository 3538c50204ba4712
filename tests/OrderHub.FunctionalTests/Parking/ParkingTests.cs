using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Parking;

public sealed class SqliteParkingTests() : ParkingTests(new SqliteTestDatabase());

public sealed class PostgresParkingTests() : ParkingTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerParkingTests() : ParkingTests(new SqlServerTestDatabase());

/// <summary>
/// Parked orders: named queues with company defaults and per-point overrides, orders waiting for export put in
/// them, and each user's visibility (own, same role, all).
/// </summary>
public abstract class ParkingTests(ITestDatabase database) : ProviderTestBase(database)
{
    private readonly TestTenant _tenant = new TestTenant().WithAutoSync(false);

    private HttpClient Admin => _admin ??= Factory.CreateApiClient();

    private HttpClient? _admin;

    [Fact]
    public async Task A_points_queues_are_the_company_defaults_renamed_where_it_overrides_them_then_its_own()
    {
        await _tenant.CreateAsync(Factory);
        await SaveQueuesAsync();

        var effective = await Admin.GetFromJsonAsync<JsonElement>($"/api/pickup-points/{_tenant.KyivPointId}/parked-queues/effective");
        effective.EnumerateArray().Select(q => (q.GetProperty("key").GetString(), q.GetProperty("name").GetString(), q.GetProperty("source").GetString()))
            .ShouldBe([("hall", "Зала", "company"), ("bar", "Бар на терасі", "overridden"), ("vip", "VIP", "point")]);
        var lviv = await Admin.GetFromJsonAsync<JsonElement>($"/api/pickup-points/{_tenant.LvivPointId}/parked-queues/effective");
        lviv.EnumerateArray().Select(q => q.GetProperty("name").GetString()).ShouldBe(["Зала", "Бар"]);
        (await CountAsync(db => db.AuditEntries.Where(e => e.EntityType == "ParkedQueues"))).ShouldBe(2);

        var duplicate = await Admin.PutAsJsonAsync($"/api/companies/{_tenant.CompanyId}/parked-queues",
            new { items = new[] { new { key = "hall", name = "A" }, new { key = "hall", name = "B" } } });
        await duplicate.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "items");
        var badKey = await Admin.PutAsJsonAsync($"/api/companies/{_tenant.CompanyId}/parked-queues", new { items = new[] { new { key = "Bar Room", name = "A" } } });
        await badKey.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "items[0].key");
        (await CountAsync(db => db.ParkedQueues)).ShouldBe(4);
    }

    [Fact]
    public async Task Parked_orders_are_listed_by_queue_as_each_user_may_see_them_own_same_role_or_all()
    {
        await _tenant.CreateAsync(Factory);
        await SaveQueuesAsync();
        var a = await AcceptAsync("a");
        var b = await AcceptAsync("b");
        var c = await AcceptAsync("c");
        var own = await TestUsers.CreateAsync(Factory, "own-manager", "manager", _tenant.CompanyId);
        var sameRole = await TestUsers.CreateAsync(Factory, "role-manager", "manager", _tenant.CompanyId);
        var all = await TestUsers.CreateAsync(Factory, "all-support", "support", _tenant.CompanyId);
        (await Admin.PutAsJsonAsync($"/api/users/{own.Id}", new { parkedVisibility = "Own" })).EnsureSuccessStatusCode();
        (await Admin.PutAsJsonAsync($"/api/users/{sameRole.Id}", new { parkedVisibility = "SameRole" })).EnsureSuccessStatusCode();
        await (await Admin.PutAsJsonAsync($"/api/users/{all.Id}", new { parkedVisibility = "Sometimes" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "parkedVisibility");

        (await own.Client(Factory).PostAsJsonAsync($"/api/orders/{a}/park", new { queue = "bar" })).EnsureSuccessStatusCode();
        (await all.Client(Factory).PostAsJsonAsync($"/api/orders/{b}/park", new { queue = "hall" })).EnsureSuccessStatusCode();
        await (await own.Client(Factory).PostAsJsonAsync($"/api/orders/{c}/park", new { queue = "nowhere" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "queue");

        (await ParkedAsync(own)).ShouldBe(["hall:", "bar:a", "vip:", "unassigned:c"]);
        (await ParkedAsync(sameRole)).ShouldBe(["hall:", "bar:a", "vip:", "unassigned:c"]);
        (await ParkedAsync(all)).ShouldBe(["hall:b", "bar:a", "vip:", "unassigned:c"]);
        var visibility = await own.Client(Factory).GetFromJsonAsync<JsonElement>($"/api/pickup-points/{_tenant.KyivPointId}/parked");
        visibility.GetProperty("visibility").GetString().ShouldBe("Own");

        var stored = await Factory.WithDbAsync(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == a));
        stored.ParkedBy.ShouldBe("user:own-manager");
        stored.ParkedByRole.ShouldBe("manager");
        var history = await Factory.WithDbAsync(db => db.OrderActions.AsNoTracking().Where(h => h.OrderId == a && h.Action == "order.parked").ToListAsync());
        history.ShouldHaveSingleItem().Message.ShouldContain("Бар на терасі");

        // Out of its queue, and an exported order cannot be parked.
        (await own.Client(Factory).PostAsJsonAsync($"/api/orders/{a}/park", new { queue = (string?)null })).EnsureSuccessStatusCode();
        (await ParkedAsync(all)).ShouldBe(["hall:b", "bar:", "vip:", "unassigned:a,c"]);
        (await Admin.PostAsync($"/api/orders/{c}/export", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await (await own.Client(Factory).PostAsJsonAsync($"/api/orders/{c}/park", new { queue = "bar" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    private async Task SaveQueuesAsync()
    {
        (await Admin.PutAsJsonAsync($"/api/companies/{_tenant.CompanyId}/parked-queues",
            new { items = new[] { new { key = "hall", name = "Зала" }, new { key = "bar", name = "Бар" } } })).EnsureSuccessStatusCode();
        (await Admin.PutAsJsonAsync($"/api/pickup-points/{_tenant.KyivPointId}/parked-queues",
            new { items = new[] { new { key = "bar", name = "Бар на терасі" }, new { key = "vip", name = "VIP" } } })).EnsureSuccessStatusCode();
    }

    /// <summary>The delivery sample (Kyiv) as a new order numbered <paramref name="number"/>; waits for export (auto-sync off).</summary>
    private async Task<Guid> AcceptAsync(string number)
    {
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        body["eventId"] = Guid.NewGuid().ToString();
        body["order"]!["id"] = Guid.NewGuid().ToString();
        body["order"]!["number"] = number;
        var response = await _tenant.Sender(Factory).SendAsync(body);
        return (await response.ShouldBeProcessedAsync(HttpStatusCode.Accepted)).OrderId!.Value;
    }

    /// <summary>"queue:numbers" per queue, then "unassigned:numbers", as <paramref name="user"/> sees them.</summary>
    private async Task<List<string>> ParkedAsync(TestUser user)
    {
        var parked = await user.Client(Factory).GetFromJsonAsync<JsonElement>($"/api/pickup-points/{_tenant.KyivPointId}/parked");
        static string Numbers(JsonElement orders) => string.Join(",", orders.EnumerateArray().Select(o => o.GetProperty("number").GetString()).Order());
        return parked.GetProperty("queues").EnumerateArray().Select(q => $"{q.GetProperty("key").GetString()}:{Numbers(q.GetProperty("orders"))}")
            .Append("unassigned:" + Numbers(parked.GetProperty("unassigned"))).ToList();
    }
}
