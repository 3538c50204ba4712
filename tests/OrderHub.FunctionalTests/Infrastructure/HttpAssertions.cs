using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrderHub.FunctionalTests.Infrastructure;

public static class HttpAssertions
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Asserts a ProblemDetails with <paramref name="status"/>; returns its JSON for further checks.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        if (field is not null)
        {
            problem.TryGetProperty("errors", out var errors).ShouldBeTrue($"No 'errors' in {body}");
            errors.TryGetProperty(field, out _).ShouldBeTrue($"'{field}' is not named in {body}");
        }

        return problem;
    }

    public static async Task<T> ShouldBeAsync<T>(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    /// <summary>
    /// Asserts the webhook's status (202 stored, 200 a webhook-id already stored) and returns what processing the
    /// event came to; the response must come from <see cref="DotsSender"/>'s <c>Send…</c>, which waited for it.
    /// </summary>
    public static async Task<OrderHub.Api.Features.Orders.DotsEventReceipt> ShouldBeProcessedAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var answer = await response.ShouldBeAsync<OrderHub.Api.Features.Webhooks.ReceiveDotsEvent.DotsEventAccepted>(status);
        answer.Status.ShouldBe("received");
        return DotsSender.ProcessedOf(response) ?? throw new InvalidOperationException("Not sent through DotsSender.Send…: nothing waited for processing.");
    }

    public static Task<T?> ReadAsync<T>(this HttpResponseMessage response) => response.Content.ReadFromJsonAsync<T>(Json);
}
