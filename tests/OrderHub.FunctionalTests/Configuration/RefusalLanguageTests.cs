using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Configuration;

public sealed class SqliteRefusalLanguageTests() : RefusalLanguageTests(new SqliteTestDatabase());

public sealed class PostgresRefusalLanguageTests() : RefusalLanguageTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerRefusalLanguageTests() : RefusalLanguageTests(new SqlServerTestDatabase());

/// <summary>
/// The configuration API's refusals (not found, already exists, one-field 400s, our own and FluentValidation's
/// validation messages) asked twice over HTTP: with <c>Accept-Language: uk</c> every sentence a person reads is
/// Ukrainian (a left-over English literal is an ASCII-only sentence and fails), without it they are today's English.
/// </summary>
public abstract partial class RefusalLanguageTests(ITestDatabase database) : ProviderTestBase(database)
{
    [Fact]
    public async Task Every_refusal_reads_in_Ukrainian_with_Accept_Language_uk_and_in_English_without()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var cityId = await Factory.WithDbAsync(db => db.Companies.Where(c => c.Id == tenant.CompanyId).Select(c => c.CityId).SingleAsync());
        var missing = Guid.NewGuid();
        var refusals = new (HttpMethod Method, string Url, object? Body, HttpStatusCode Status, string English)[]
        {
            (HttpMethod.Get, $"/api/orders/{missing}", null, HttpStatusCode.NotFound, "Order not found"),
            (HttpMethod.Get, $"/api/companies/{missing}", null, HttpStatusCode.NotFound, $"There is no company with id '{missing}'."),
            (HttpMethod.Get, $"/api/pickup-points/{missing}", null, HttpStatusCode.NotFound, "Pickup point not found"),
            (HttpMethod.Put, $"/api/telegram-chats/{missing}", new { }, HttpStatusCode.NotFound, "Telegram chat not found"),
            (HttpMethod.Post, "/api/companies", new { cityId, dotsCompanyId = "dc-other", key = tenant.Key, name = "X" }, HttpStatusCode.Conflict, "Company already exists"),
            (HttpMethod.Post, "/api/companies", new { cityId, dotsCompanyId = "dc-x", key = "Bad Key!", name = "X" }, HttpStatusCode.BadRequest,
                "Use 3 to 64 lowercase letters, digits and '-'."),
            (HttpMethod.Post, "/api/companies", new { cityId = missing, dotsCompanyId = "dc-x", key = "good-key", name = "X" }, HttpStatusCode.BadRequest,
                $"There is no city with id '{missing}'."),
            (HttpMethod.Post, "/api/cities", new { name = "Одеса" }, HttpStatusCode.BadRequest, "must not be empty"),
            (HttpMethod.Put, $"/api/pickup-points/{tenant.KyivPointId}/pos-integration", new { kind = "Fax" }, HttpStatusCode.BadRequest, "Must be one of: "),
            (HttpMethod.Post, $"/api/companies/{tenant.CompanyId}/telegram-chat-codes", new { }, HttpStatusCode.Conflict, "No Telegram bot"),
            (HttpMethod.Post, $"/api/companies/{tenant.CompanyId}/telegram-chats", new { chatId = 5, pickupPointId = missing }, HttpStatusCode.BadRequest,
                "No pickup point of this company has this id."),
            (HttpMethod.Post, $"/api/companies/{tenant.CompanyId}/telegram-chats", new { chatId = 5, language = "de" }, HttpStatusCode.BadRequest, "Must be uk or en."),
        };

        var api = Factory.CreateApiClient();
        foreach (var (method, url, body, status, english) in refusals)
        {
            var what = $"{method} {url}";
            var inUkrainian = await SendAsync(api, method, url, body, "uk-UA,uk;q=0.9,en;q=0.5", status);
            foreach (var sentence in Sentences(inUkrainian))
            {
                Cyrillic().IsMatch(sentence).ShouldBeTrue($"{what} reads in English for a Ukrainian reader: \"{sentence}\"");
            }

            var inEnglish = await SendAsync(api, method, url, body, null, status);
            string.Join("\n", Sentences(inEnglish)).ShouldContain(english, Case.Sensitive, what);
        }
    }

    /// <summary>
    /// The host's own refusals (malformed JSON, a wrong field type, a missing body, 415, 413 by length and while
    /// streaming) and the outbound URL policy's, each in both languages: title, detail and the named field's message.
    /// </summary>
    [Fact]
    public async Task The_binder_s_and_the_outbound_URL_policy_s_refusals_read_in_the_caller_s_language()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        const string Json = "application/json";
        var refusals = new (string What, HttpMethod Method, string Url, Func<HttpContent?> Body, bool Chunked, HttpStatusCode Status, string? Field, string English, string Ukrainian)[]
        {
            ("malformed JSON", HttpMethod.Post, "/api/cities", () => new StringContent("{\"name\": ", System.Text.Encoding.UTF8, Json), false,
                HttpStatusCode.BadRequest, null, "One or more validation errors occurred. | The request could not be bound.", "Запит містить помилки."),
            ("a wrong field type", HttpMethod.Post, "/api/cities", () => new StringContent("{\"name\": 5}", System.Text.Encoding.UTF8, Json), false,
                HttpStatusCode.BadRequest, "name", "Not valid JSON for this field (wrong type, malformed or too deep).", "Неприпустимий JSON для цього поля"),
            ("no body", HttpMethod.Post, "/api/cities", () => null, false,
                HttpStatusCode.BadRequest, null, "The request could not be bound.", "Запит не вдалося зіставити з параметрами."),
            ("a wrong content type", HttpMethod.Post, "/api/cities", () => new StringContent("name=Одеса", System.Text.Encoding.UTF8, "text/plain"), false,
                HttpStatusCode.UnsupportedMediaType, null, "Unsupported media type | Send the body as application/json.", "Непідтримуваний тип вмісту | Надішліть тіло як application/json."),
            ("CSV as plain text", HttpMethod.Put, $"/api/pickup-points/{tenant.KyivPointId}/pos-catalog/csv", () => new StringContent("kind,id,name\n", System.Text.Encoding.UTF8, "text/plain"), false,
                HttpStatusCode.UnsupportedMediaType, null, "Send the catalog as text/csv", "Надішліть каталог як text/csv"),
            ("a body over the limit", HttpMethod.Post, "/api/cities", () => new StringContent("{\"name\": \"" + new string('x', 1100 * 1024) + "\"}", System.Text.Encoding.UTF8, Json), false,
                HttpStatusCode.RequestEntityTooLarge, null, "Request body too large | Request bodies are limited to 1024 KB.", "Тіло запиту завелике | Тіло запиту може мати щонайбільше 1024 КБ."),
            ("a streamed body over the limit", HttpMethod.Post, "/api/cities", () => new StringContent("{\"name\": \"" + new string('x', 1100 * 1024) + "\"}", System.Text.Encoding.UTF8, Json), true,
                HttpStatusCode.RequestEntityTooLarge, null, "Request bodies are limited to 1024 KB.", "Тіло запиту може мати щонайбільше 1024 КБ."),
            ("a private address", HttpMethod.Put, $"/api/pickup-points/{tenant.KyivPointId}/pos-integration",
                () => JsonContent.Create(new { kind = "Webhook", webhookUrl = "https://169.254.169.254/latest/orders" }), false,
                HttpStatusCode.BadRequest, "webhookUrl", "Address not allowed: 169.254.169.254 is a loopback, private, link-local, CGNAT or multicast address. Use the POS's public https address",
                "Адресу не дозволено: 169.254.169.254 — це loopback-, приватна, link-local-, CGNAT- або multicast-адреса. Вкажіть публічну адресу https POS"),
            ("a private address on the company default", HttpMethod.Put, $"/api/companies/{tenant.CompanyId}/pos-integration",
                () => JsonContent.Create(new { kind = "Webhook", webhookUrl = "https://10.1.2.3/orders", secret = OrderHub.Integrations.Webhooks.StandardWebhookSignature.GenerateSecret() }), false,
                HttpStatusCode.BadRequest, "webhookUrl", "Address not allowed: 10.1.2.3 is a loopback", "Адресу не дозволено: 10.1.2.3 — це loopback"),
        };

        var api = Factory.CreateApiClient();
        foreach (var (what, method, url, body, chunked, status, field, english, ukrainian) in refusals)
        {
            foreach (var language in new[] { "uk-UA,uk;q=0.9,en;q=0.5", null })
            {
                using var request = new HttpRequestMessage(method, url) { Content = body() };
                if (language is not null)
                {
                    request.Headers.AcceptLanguage.ParseAdd(language);
                }

                if (chunked)
                {
                    request.Headers.TransferEncodingChunked = true;
                }

                var response = await api.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                response.StatusCode.ShouldBe(status, $"{what}: {text}");
                response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", what);
                var problem = JsonDocument.Parse(text).RootElement;
                if (field is not null)
                {
                    problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue($"{what} names {field}: {text}");
                }

                var read = string.Join(" | ", Sentences(problem));
                if (language is null)
                {
                    read.ShouldContain(english, Case.Sensitive, what);
                }
                else
                {
                    read.ShouldContain(ukrainian, Case.Sensitive, what);
                    foreach (var sentence in Sentences(problem))
                    {
                        Cyrillic().IsMatch(sentence).ShouldBeTrue($"{what} reads in English for a Ukrainian reader: \"{sentence}\"");
                    }
                }
            }
        }
    }

    private static async Task<JsonElement> SendAsync(HttpClient api, HttpMethod method, string url, object? body, string? language, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        var response = await api.SendAsync(request);
        response.StatusCode.ShouldBe(status, $"{method} {url}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The title, the detail and every message under <c>errors</c>: what a person reads (field names are not).</summary>
    private static IEnumerable<string> Sentences(JsonElement problem)
    {
        foreach (var name in new[] { "title", "detail" })
        {
            if (problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                yield return value.GetString()!;
            }
        }

        if (problem.TryGetProperty("errors", out var errors))
        {
            foreach (var field in errors.EnumerateObject())
            {
                foreach (var message in field.Value.EnumerateArray())
                {
                    yield return message.GetString()!;
                }
            }
        }
    }

    [GeneratedRegex("[А-ЯІЇЄҐа-яіїєґ]")]
    private static partial Regex Cyrillic();
}
