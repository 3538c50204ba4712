using System.Text.Json.Nodes;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Security;

/// <summary>Who the request claims to be.</summary>
public enum Caller
{
    /// <summary>The all-companies test key.</summary>
    Admin,

    /// <summary>A key scoped to the other company (B).</summary>
    OtherCompany,

    /// <summary>A well-formed key that is not configured.</summary>
    WrongKey,

    None,
}

/// <summary>How a webhook request is signed.</summary>
public enum Signing
{
    None,

    /// <summary>Dots: Standard Webhooks with company A's secret, now.</summary>
    Dots,

    /// <summary>Dots: signed with a secret that is not company A's.</summary>
    DotsWrongSecret,

    /// <summary>Dots: a correct signature, ten minutes old.</summary>
    DotsStale,

    /// <summary>Dots: a correct signature, ten minutes in the future.</summary>
    DotsFuture,

    /// <summary>Dots: headers captured from another (valid) delivery, replayed over this body.</summary>
    DotsReplayed,

    /// <summary>Webhook POS status report signed with the integration's secret.</summary>
    Pos,
}

/// <summary>What a request may legitimately leave behind (README: unknown events are kept as ignored, unrouted ones are kept).</summary>
public enum Keeps
{
    Nothing,
    InboundEvent,

    /// <summary>A Dots event stored in the inbox; its processing may add at most an inbound event and its history.</summary>
    InboxEvent,

    /// <summary>An accepted text change: the value must be stored exactly as sent (checked on pickup point A's name).</summary>
    PointNameVerbatim,

    /// <summary>As above, on company A's name.</summary>
    CompanyNameVerbatim,
}

/// <summary>
/// One hostile request. Path placeholders: {key} company A's webhook key, {company} company A, {point} A's Kyiv
/// point, {order} A's order, {integration} that point's webhook POS, {city} A's city.
/// </summary>
public sealed record HostileRequest(
    string Name,
    string Method,
    string Path,
    string? Body,
    int Expect,
    Caller Caller = Caller.Admin,
    Signing Signing = Signing.None,
    string ContentType = "application/json",
    Keeps Keeps = Keeps.Nothing,
    string? Field = null,
    string? Verbatim = null,
    bool Latin1 = false)
{
    /// <summary>The body's bytes: UTF-8, or Latin-1 to send bytes that are not valid UTF-8.</summary>
    public byte[]? Bytes(string? body) => body is null ? null : (Latin1 ? System.Text.Encoding.Latin1 : System.Text.Encoding.UTF8).GetBytes(body);

    public override string ToString() => Name;
}

/// <summary>The hostile corpus: at least 50 bad requests across the endpoints, each with the answer it must get.</summary>
public static class HostileCorpus
{
    private const string Dots = "/webhooks/dots/{key}";
    private const string Pos = "/webhooks/pos/{integration}";
    private const string Poster = "/webhooks/poster";
    private const string Ids = "/api/companies/{company}/external-ids";
    private const string PointIds = "/api/pickup-points/{point}/external-ids";
    private const string Integration = "/api/pickup-points/{point}/pos-integration";
    private const string Sql = "Robert'); DROP TABLE \"Orders\"; DROP TABLE Orders;--";
    private const string Script = "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>";
    private const string Rtl = "\u200F\u0645\u0637\u0639\u0645 \u202Eevil\u202C 🍕👨‍👩‍👧 Z\u0351\u0300";

    public static readonly HostileRequest[] All =
    [
        // name                                  method    path    body                                                           status
        new("dots: broken JSON",                 "POST", Dots, "{\"eventId\": ",                                                     400, Signing: Signing.Dots),
        new("dots: a JSON array",                "POST", Dots, "[1,2,3]",                                                           400, Signing: Signing.Dots),
        new("dots: JSON null",                   "POST", Dots, "null",                                                              400, Signing: Signing.Dots),
        new("dots: empty body",                  "POST", Dots, "",                                                                  400, Signing: Signing.Dots),
        new("dots: not UTF-8",                   "POST", Dots, "\u00FF\u00FE{ invalid utf-8 }",                                     400, Signing: Signing.Dots, Latin1: true),
        new("dots: 10000-deep nesting",          "POST", Dots, Deep(10_000),                                                       400, Signing: Signing.Dots),
        new("dots: quantity is text",            "POST", Dots, Sample(o => o["items"]![0]!["quantity"] = "two"),                  400, Signing: Signing.Dots, Field: "order.items[0].quantity"),
        new("dots: negative quantity",           "POST", Dots, Sample(o => o["items"]![0]!["quantity"] = -3),                     400, Signing: Signing.Dots),
        new("dots: quantity overflows int",      "POST", Dots, Sample(o => o["items"]![0]!["quantity"] = 2147483648L),            400, Signing: Signing.Dots),
        new("dots: price 1e400",                 "POST", Dots, Sample(o => o["items"]![0]!["price"] = 0m).Replace("\"price\":0", "\"price\":1e400"), 400, Signing: Signing.Dots),
        new("dots: price overflows decimal",     "POST", Dots, Sample(o => o["items"]![0]!["price"] = 0m).Replace("\"price\":0", "\"price\":79228162514264337593543950336"), 400, Signing: Signing.Dots),
        new("dots: negative total",              "POST", Dots, Sample(o => o["total"] = -100m),                                    400, Signing: Signing.Dots),
        new("dots: huge comment (300 KB)",       "POST", Dots, Sample(o => o["comment"] = new string('x', 300_000)),              413, Signing: Signing.Dots),
        new("dots: 20000 items",                 "POST", Dots, Sample(o => o["items"] = new JsonArray(Enumerable.Range(0, 20_000).Select(_ => (JsonNode)1).ToArray())), 400, Signing: Signing.Dots),
        new("dots: lone surrogate in a name",    "POST", Dots, Sample(o => o["items"]![0]!["name"] = "X").Replace("\"name\":\"X\"", "\"name\":\"\\ud800\""), 400, Signing: Signing.Dots),
        new("dots: NUL in a name",               "POST", Dots, Sample(o => o["items"]![0]!["name"] = "a\u0000b"),                 400, Signing: Signing.Dots),
        new("dots: NUL in the comment",          "POST", Dots, Sample(o => o["comment"] = "call me\u0000"),                       400, Signing: Signing.Dots),
        new("dots: another company's order",     "POST", Dots, Sample(o => o["companyId"] = "someone-else"),                      422, Signing: Signing.Dots),
        new("dots: wrong secret",                "POST", Dots, Sample(_ => { }),                                                   401, Signing: Signing.DotsWrongSecret),
        new("dots: no signature",                "POST", Dots, Sample(_ => { }),                                                   401),
        new("dots: timestamp 10 min old",        "POST", Dots, Sample(_ => { }),                                                   401, Signing: Signing.DotsStale),
        new("dots: timestamp 10 min ahead",      "POST", Dots, Sample(_ => { }),                                                   401, Signing: Signing.DotsFuture),
        new("dots: replayed signature",          "POST", Dots, Sample(o => o["total"] = 1m),                                      401, Signing: Signing.DotsReplayed),
        new("dots: text/plain",                  "POST", Dots, Sample(_ => { }),                                                   415, Signing: Signing.Dots, ContentType: "text/plain"),
        new("dots: unknown company key",         "POST", "/webhooks/dots/no-such-company", Sample(_ => { }),                       404, Signing: Signing.Dots),
        new("dots: SQL in the company key",      "POST", "/webhooks/dots/x'%20OR%20'1'='1", Sample(_ => { }),                     404, Signing: Signing.Dots),
        new("dots: status of an unknown order (waits)", "POST", Dots, Status(o => o["id"] = Guid.NewGuid().ToString()),           202, Signing: Signing.Dots, Keeps: Keeps.InboxEvent),
        new("dots: unknown event (kept, ignored)", "POST", Dots, Event(e => e["event"] = "order.teleported"),                   202, Signing: Signing.Dots, Keeps: Keeps.InboxEvent),
        new("dots: unrouted point (kept)",       "POST", Dots, Sample(o => o["companyAddressId"] = "'; DELETE FROM \"PickupPoints\";--"), 202, Signing: Signing.Dots, Keeps: Keeps.InboxEvent),

        new("pos: unsigned",                     "POST", Pos, "{\"orderId\":\"{order}\",\"status\":\"accepted\"}",                401),
        new("pos: broken JSON",                  "POST", Pos, "{\"orderId\":",                                                      400, Signing: Signing.Pos),
        new("pos: unknown status",               "POST", Pos, "{\"orderId\":\"{order}\",\"status\":\"hacked\"}",                   400, Signing: Signing.Pos, Field: "status"),
        new("pos: orderId is a number",          "POST", Pos, "{\"orderId\":12345,\"status\":\"accepted\"}",                       400, Signing: Signing.Pos),
        new("pos: unknown order",                "POST", Pos, "{\"orderId\":\"" + Guid.NewGuid() + "\",\"status\":\"accepted\"}", 404, Signing: Signing.Pos),
        new("pos: bad GUID in the route",        "POST", "/webhooks/pos/not-a-guid", "{}",                                          404),
        new("poster: wrong verify",              "POST", Poster, "{\"account\":\"x\",\"object\":\"incoming_order\",\"object_id\":1,\"action\":\"changed\",\"time\":\"1\",\"verify\":\"00000000000000000000000000000000\"}", 401),
        new("poster: not JSON",                  "POST", Poster, "account=x&verify=y",                                              400),
        new("poster: XML",                       "POST", Poster, "<hook/>",                                                         415, ContentType: "application/xml"),

        new("api: wrong API key",                "GET", "/api/orders", null,                                                       401, Caller: Caller.WrongKey),
        new("api: no API key",                   "POST", "/api/cities", "{\"dotsCityId\":\"x\",\"name\":\"x\"}",                    401, Caller: Caller.None),
        new("api: city broken JSON",             "POST", "/api/cities", "{\"name\":",                                               400),
        new("api: city name is a number",        "POST", "/api/cities", "{\"dotsCityId\":\"c\",\"name\":5}",                       400, Field: "name"),
        new("api: city without a body",          "POST", "/api/cities", null,                                                       400),
        new("api: city as text/plain",           "POST", "/api/cities", "name=x",                                                   415, ContentType: "text/plain"),
        new("api: city 5000-deep nesting",       "POST", "/api/cities", Deep(5_000),                                               400),
        new("api: company name 10000 chars",     "POST", "/api/companies", "{\"cityId\":\"{city}\",\"dotsCompanyId\":\"d\",\"key\":\"k-1\",\"name\":\"" + new string('n', 10_000) + "\"}", 400, Field: "name"),
        new("api: company key is a script",      "POST", "/api/companies", "{\"cityId\":\"{city}\",\"dotsCompanyId\":\"d\",\"key\":\"<script>\",\"name\":\"n\"}", 400, Field: "key"),
        new("api: company of another city id",   "PUT", "/api/companies/{company}", "{\"cityId\":\"" + Guid.NewGuid() + "\",\"dotsCompanyId\":\"d\",\"name\":\"n\"}", 400, Field: "cityId"),
        new("api: SQL in a company name",        "PUT", "/api/companies/{company}", "{\"cityId\":\"{city}\",\"dotsCompanyId\":\"" + Fixtures.DotsCompanyId + "\",\"name\":" + Quote(Sql) + "}", 200, Keeps: Keeps.CompanyNameVerbatim, Verbatim: Sql),
        new("api: script in a point name",       "PUT", "/api/pickup-points/{point}", "{\"name\":" + Quote(Script) + "}",         200, Keeps: Keeps.PointNameVerbatim, Verbatim: Script),
        new("api: RTL, emoji, combining marks",  "PUT", "/api/pickup-points/{point}", "{\"name\":" + Quote(Rtl) + "}",            200, Keeps: Keeps.PointNameVerbatim, Verbatim: Rtl),
        new("api: NUL in a point name",          "PUT", "/api/pickup-points/{point}", "{\"name\":\"a\\u0000b\"}",                 400, Field: "name"),
        new("api: lone surrogate in a name",     "PUT", "/api/pickup-points/{point}", "{\"name\":\"\\udc00x\"}",                  400, Field: "name"),
        new("api: time zone is a path",          "PUT", "/api/pickup-points/{point}", "{\"timeZone\":\"../../etc/passwd\"}",      400, Field: "timeZone"),
        new("api: useCompanyDefaults is text",   "PUT", "/api/pickup-points/{point}", "{\"useCompanyDefaults\":\"yes\"}",         400, Field: "useCompanyDefaults"),
        new("api: useCompanyExternalIds is text", "PUT", "/api/pickup-points/{point}", "{\"useCompanyExternalIds\":\"yes\"}", 400, Field: "useCompanyExternalIds"),
        new("api: 5001 external ids",            "PUT", Ids, Items(5_001),                                                          400, Field: "items"),
        new("api: external id kind is a number", "PUT", Ids, "{\"items\":[{\"kind\":1,\"dotsId\":\"a\",\"externalId\":\"1\"}]}", 400, Field: "items[0].kind"),
        new("api: external id 100 KB long",      "PUT", Ids, "{\"items\":[{\"kind\":\"Product\",\"dotsId\":\"a\",\"externalId\":\"" + new string('9', 100_000) + "\"}]}", 400),
        new("api: external ids is an object",    "PUT", PointIds, "{\"items\":{\"kind\":\"Product\"}}",                          400, Field: "items"),
        new("api: delete external ids, no body", "DELETE", Ids, null,                                                               400),
        new("api: external ids ?kind=1",         "GET", Ids + "?kind=1",                     null,                                  400, Field: "kind"),
        new("api: orders ?page=-1",              "GET", "/api/orders?page=-1",               null,                                  400, Field: "page"),
        new("api: orders ?page overflows",       "GET", "/api/orders?page=99999999999",      null,                                  400, Field: "page"),
        new("api: orders ?pageSize=abc",         "GET", "/api/orders?pageSize=abc",          null,                                  400, Field: "pageSize"),
        new("api: orders ?from=yesterday",       "GET", "/api/orders?from=yesterday",        null,                                  400, Field: "from"),
        new("api: orders ?state=SQL",            "GET", "/api/orders?state=%27%20OR%201%3D1%20--", null,                            400, Field: "state"),
        new("api: orders ?companyId=not-a-guid", "GET", "/api/orders?companyId=not-a-guid",  null,                                  400, Field: "companyId"),
        new("api: order id not a GUID",          "GET", "/api/orders/1%20OR%201=1",          null,                                  404),
        new("api: unknown order",                "GET", "/api/orders/" + Guid.NewGuid(),    null,                                  404),
        new("api: export force is text",         "POST", "/api/orders/{order}/export", "{\"force\":\"yes\"}",                      400, Field: "force"),
        new("api: export force without reason",  "POST", "/api/orders/{order}/export", "{\"force\":true}",                         400, Field: "reason"),
        new("api: redrive point not a GUID",     "POST", "/api/orders/redrive-failed", "{\"pickupPointId\":\"x\"}",               400, Field: "pickupPointId"),
        new("api: redrive without a point",      "POST", "/api/orders/redrive-failed", "{}",                                      400, Field: "pickupPointId"),
        new("api: replay unknown event",         "POST", "/api/unrouted/" + Guid.NewGuid() + "/replay", null,                       404),
        new("api: companies ?cityId=zzz",        "GET", "/api/companies?cityId=zzz",         null,                                  400, Field: "cityId"),
        new("api: spot id negative",             "PUT", Integration, "{\"kind\":\"Poster\",\"posterAccount\":\"a\",\"posterSpotId\":-5,\"token\":\"t\"}", 400, Field: "posterSpotId"),
        new("api: spot id overflows",            "PUT", Integration, "{\"kind\":\"Poster\",\"posterAccount\":\"a\",\"posterSpotId\":1e30,\"token\":\"t\"}", 400, Field: "posterSpotId"),
        new("api: javascript: webhook URL",      "PUT", Integration, "{\"kind\":\"Webhook\",\"webhookUrl\":\"javascript:alert(1)\"}", 400, Field: "webhookUrl"),
        new("api: file: webhook URL",            "PUT", Integration, "{\"kind\":\"Webhook\",\"webhookUrl\":\"file:///etc/passwd\"}", 400, Field: "webhookUrl"),
        new("api: other company's order",        "GET", "/api/orders/{order}",               null,                                  404, Caller: Caller.OtherCompany),
        new("api: other company's integration",  "PUT", Integration, "{\"kind\":\"Webhook\",\"webhookUrl\":\"https://evil.example.com\"}", 404, Caller: Caller.OtherCompany),
        new("api: other company's external ids", "DELETE", Ids, "{\"items\":[{\"kind\":\"Product\",\"dotsId\":\"dots-prod-cola\"}]}", 404, Caller: Caller.OtherCompany),
        new("api: other company creates a city", "POST", "/api/cities", "{\"dotsCityId\":\"x\",\"name\":\"x\"}",                  403, Caller: Caller.OtherCompany),
        new("api: user password of 9 chars",    "POST", "/api/users", "{\"loginName\":\"h-user\",\"displayName\":\"H\",\"role\":\"support\",\"password\":\"123456789\"}", 400, Field: "password"),
        new("api: user role root",               "POST", "/api/users", "{\"loginName\":\"h-user\",\"displayName\":\"H\",\"role\":\"root\",\"password\":\"long-enough-password\"}", 400, Field: "role"),
        new("api: user role as a number",        "POST", "/api/users", "{\"loginName\":\"h-user\",\"displayName\":\"H\",\"role\":\"0\",\"password\":\"long-enough-password\"}", 400, Field: "role"),
        new("api: user login is SQL",            "POST", "/api/users", "{\"loginName\":" + Quote(Sql) + ",\"displayName\":\"H\",\"role\":\"support\",\"password\":\"long-enough-password\"}", 400, Field: "loginName"),
        new("api: user of an unknown company",   "POST", "/api/users", "{\"loginName\":\"h-user\",\"displayName\":\"H\",\"role\":\"support\",\"password\":\"long-enough-password\",\"companyIds\":[\"{company}\",\"" + Guid.NewGuid() + "\"]}", 400, Field: "companyIds[1]"),
        new("api: user language xx",             "POST", "/api/users", "{\"loginName\":\"h-user\",\"displayName\":\"H\",\"role\":\"support\",\"password\":\"long-enough-password\",\"language\":\"xx\"}", 400, Field: "language"),
        new("api: other company creates a user", "POST", "/api/users", "{\"loginName\":\"h-user\",\"displayName\":\"H\",\"role\":\"admin\",\"password\":\"long-enough-password\"}", 403, Caller: Caller.OtherCompany),
        new("api: reset password too short",     "POST", "/api/users/" + Guid.NewGuid() + "/password", "{\"password\":\"short\"}", 400, Field: "password"),
        new("api: unlock an unknown user",       "POST", "/api/users/" + Guid.NewGuid() + "/unlock", null,                        404),
        new("api: API key name with NUL",        "POST", "/api/users/" + Guid.NewGuid() + "/api-keys", "{\"name\":\"a\\u0000b\"}", 400, Field: "name"),
        new("api: API keys of an unknown user",  "GET", "/api/users/" + Guid.NewGuid() + "/api-keys", null,                      404),
        new("api: revoke an unknown key",        "DELETE", "/api/users/" + Guid.NewGuid() + "/api-keys/" + Guid.NewGuid(), null,  404),
        new("api: audit ?from=yesterday",        "GET", "/api/audit?from=yesterday",         null,                                  400, Field: "from"),
        new("api: audit ?pageSize=500",          "GET", "/api/audit?pageSize=500",           null,                                  400, Field: "pageSize"),
        new("api: unknown route",                "GET", "/api/../../etc/passwd",             null,                                  404),
        new("api: wrong method",                 "PATCH", "/api/orders",                     "{}",                                  405),
    ];

    /// <summary>The pickup sample (an order of company A at the Kyiv point), with <paramref name="change"/> made to its order.</summary>
    private static string Sample(Action<JsonObject> change) => Event(e => change(e["order"]!.AsObject()));

    private static string Event(Action<JsonObject> change)
    {
        var body = Fixtures.Json(Fixtures.AcceptedPickupCash);
        body["eventId"] = "evt-hostile-" + Guid.NewGuid().ToString("N");
        body["order"]!["id"] = Guid.NewGuid().ToString();
        change(body);
        return body.ToJsonString();
    }

    private static string Status(Action<JsonObject> change)
    {
        var body = Fixtures.Json(Fixtures.StatusChanged);
        body["eventId"] = "evt-hostile-" + Guid.NewGuid().ToString("N");
        change(body["order"]!.AsObject());
        return body.ToJsonString();
    }

    private static string Deep(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private static string Items(int count) =>
        new JsonObject
        {
            ["items"] = new JsonArray(Enumerable.Range(0, count)
                .Select(i => (JsonNode)new JsonObject { ["kind"] = "Product", ["dotsId"] = $"p{i}", ["externalId"] = "1" }).ToArray()),
        }.ToJsonString();

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
