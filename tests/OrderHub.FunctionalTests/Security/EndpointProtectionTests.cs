using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OrderHub.Api.Security;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Security;

/// <summary>
/// Every endpoint the app maps, found in its endpoint data source: all but the open ones refuse a caller
/// without a valid API key, and every endpoint that takes a body refuses one over the limit. A new endpoint
/// is covered without touching this file, and fails it if it forgot the key.
/// </summary>
public sealed class EndpointProtectionTests() : ProviderTestBase(new SqliteTestDatabase())
{
    [Fact]
    public async Task Every_endpoint_but_health_webhooks_swagger_and_simulators_answers_401_ProblemDetails_without_a_valid_key()
    {
        var endpoints = EndpointInventory.Protected(Factory.Services);
        endpoints.Count.ShouldBeGreaterThanOrEqualTo(30, string.Join(", ", endpoints));
        endpoints.ShouldContain(e => e.Method == "GET" && e.Pattern == "/api/orders");
        endpoints.ShouldContain(e => e.Method == "DELETE" && e.Pattern == "/api/pickup-points/{id:guid}/pos-integration");

        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            foreach (var key in new string?[] { null, "wrong-key-but-long-enough-0123456789", OrderHubFactory.ApiKey[..^1] + "X", "" })
            {
                var client = Factory.CreateClient();
                using var request = Request(endpoint, Encoding.UTF8.GetBytes("{}"));
                if (key is not null)
                {
                    request.Headers.TryAddWithoutValidation(ApiKeyAuthenticationHandler.HeaderName, key);
                }

                var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.Unauthorized || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{endpoint} with key '{key}': {(int)response.StatusCode} {response.Content.Headers.ContentType} {body}");
                }
            }
        }

        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_inventory_sees_the_open_endpoints_too_so_the_exclusions_are_real()
    {
        var all = EndpointInventory.All(Factory.Services);

        all.ShouldContain(e => e.Pattern == "/webhooks/dots/{companyKey}");
        all.ShouldContain(e => e.Pattern == "/health/live");
        (await Factory.CreateClient().GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Every_endpoint_that_takes_a_body_refuses_2_MB_with_a_413_ProblemDetails()
    {
        var endpoints = EndpointInventory.All(Factory.Services)
            .Where(e => e.HasBody && !e.Pattern.StartsWith("/simulator", StringComparison.Ordinal))
            .ToList();
        endpoints.ShouldContain(e => e.Pattern == "/webhooks/dots/{companyKey}");
        endpoints.ShouldContain(e => e.Pattern == "/api/companies/{id:guid}/external-ids" && e.Method == "PUT" && e.ReadsBody);
        var big = Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\"}");

        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            // Without a length the size is known only by reading; an endpoint that never reads its body answers as usual.
            foreach (var chunked in endpoint.ReadsBody ? new[] { false, true } : [false])
            {
                using var request = Request(endpoint, big, chunked);
                var response = await Factory.CreateApiClient().SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.RequestEntityTooLarge || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{endpoint} (chunked: {chunked}): {(int)response.StatusCode} {response.Content.Headers.ContentType} {body[..Math.Min(body.Length, 300)]}");
                }
            }
        }

        failures.ShouldBeEmpty();
        (await Factory.CreateClient().GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static HttpRequestMessage Request(AppEndpoint endpoint, byte[] body, bool chunked = false)
    {
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Url);
        if (endpoint.HasBody)
        {
            request.Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (chunked)
            {
                request.Headers.TransferEncodingChunked = true;
            }
        }

        return request;
    }
}
