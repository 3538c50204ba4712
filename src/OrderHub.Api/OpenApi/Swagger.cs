using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using OrderHub.Api.Security;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OrderHub.Api.OpenApi;

/// <summary>The <c>Swagger</c> section: where the OpenAPI document says the API is served (<c>Swagger:Enabled</c>, read by
/// <see cref="Swagger.UseOrderHubSwagger"/>, says whether it is served at all).</summary>
public sealed class SwaggerDocumentOptions
{
    public const string SectionName = "Swagger";

    /// <summary>The base URLs written to the document's <c>servers</c>; the local demo's address when none is set.</summary>
    public List<SwaggerServer> Servers { get; set; } = [];
}

/// <summary>One entry of the document's <c>servers</c>.</summary>
public sealed class SwaggerServer
{
    public string Url { get; set; } = "";

    public string? Description { get; set; }
}

public static class Swagger
{
    public const string DocumentPath = "/swagger/v1/swagger.json";

    /// <summary>The security schemes of the signed webhooks (each is verified by the endpoint, not by ASP.NET Core).</summary>
    internal const string DotsSignatureScheme = "DotsSignature";
    internal const string PosSignatureScheme = "PosWebhookSignature";
    internal const string TelegramSecretScheme = "TelegramSecretToken";

    // Catch-up feed (issue 18).
    internal const string PosFeedTokenScheme = "PosFeedToken";

    public static IServiceCollection AddOrderHubSwagger(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(SwaggerDocumentOptions.SectionName).Get<SwaggerDocumentOptions>() ?? new SwaggerDocumentOptions();
        var servers = options.Servers.Count > 0
            ? options.Servers
            : [new SwaggerServer { Url = "http://127.0.0.1:5080", Description = "OrderHub run locally (dotnet run)" }];

        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "OrderHub",
                Version = "v1",
                Description = "Receives orders accepted in Dots, resolves their POS ids per pickup point and exports them to the POS. "
                              + "Every /api call needs an X-Api-Key; every webhook is signed as its security scheme says. "
                              + "Errors are ProblemDetails (RFC 9457); a refused field is named in `errors` by its JSON path.",
                License = new OpenApiLicense { Name = "Proprietary: OrderHub's team, all rights reserved", Url = new Uri("https://orderhub.example/licence") },
            });
            foreach (var server in servers)
            {
                o.AddServer(new OpenApiServer { Url = server.Url.TrimEnd('/'), Description = server.Description });
            }

            o.AddSecurityDefinition(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "An API key from the Auth:ApiKeys configuration, or a panel user's own key.",
            });
            o.AddSecurityDefinition(DotsSignatureScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "webhook-signature",
                Description = "Standard Webhooks, with the company's `whsec_` signing secret: `webhook-id` (the event id), "
                              + "`webhook-timestamp` (unix seconds, within 5 minutes) and `webhook-signature` = "
                              + "`v1,` + base64(HMAC-SHA256(secret, \"{webhook-id}.{webhook-timestamp}.{raw body}\")). A wrong or missing signature answers 401.",
            });
            o.AddSecurityDefinition(PosSignatureScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "webhook-signature",
                Description = "Standard Webhooks headers as for the Dots webhook, signed with the webhook POS integration's own secret "
                              + "(the one OrderHub signs its pos-order messages with). See docs/pos-webhook.md.",
            });
            o.AddSecurityDefinition(PosFeedTokenScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The webhook POS integration's feed token, derived from its own `whsec_` secret: `ohfeed_{integrationId:N}_` + "
                              + "base64url(HMAC-SHA256(secret key bytes, \"pos-feed.{integrationId:N}\")). Not an API key. See docs/pos-webhook.md, \"Catch-up feed\".",
            });
            o.AddSecurityDefinition(TelegramSecretScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Telegram-Bot-Api-Secret-Token",
                Description = "The secret token OrderHub gave Telegram in setWebhook for this bot.",
            });
            o.OperationFilter<ApiKeyRequirementFilter>();
            o.OperationFilter<WebhookOperationFilter>();
            o.OperationFilter<PlainRequestBodyFilter>();
            o.DocumentFilter<TagDescriptionsFilter>();
            o.SupportNonNullableReferenceTypes();
            o.UseAllOfToExtendReferenceSchemas();
            o.SchemaFilter<NullableReferenceFilter>();
            o.CustomSchemaIds(SchemaId);
            var xml = Path.Combine(AppContext.BaseDirectory, "OrderHub.Api.xml");
            if (File.Exists(xml))
            {
                o.IncludeXmlComments(xml);
            }
        });
        return services;
    }

    /// <summary>Short, unique schema names: <c>Page&lt;OrderSummaryDto&gt;</c> becomes <c>OrderSummaryDtoPage</c>.</summary>
    private static string SchemaId(Type type) => type.IsGenericType
        ? string.Concat(type.GetGenericArguments().Select(SchemaId)) + type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]
        : type.Name;

    /// <summary>
    /// Swagger UI and the OpenAPI document: on in Development, off elsewhere unless <c>Swagger:Enabled</c> is true
    /// (the document lists every endpoint and its parameters, a map for a stranger).
    /// </summary>
    public static void UseOrderHubSwagger(this WebApplication app)
    {
        var enabled = bool.TryParse(app.Configuration["Swagger:Enabled"], out var configured) ? configured : app.Environment.IsDevelopment();
        if (!enabled)
        {
            return;
        }

        app.UseSwagger();
        app.UseSwaggerUI(o => o.SwaggerEndpoint(DocumentPath, "OrderHub v1"));
    }

    internal static OpenApiResponse Problem(OperationFilterContext context, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType>
        {
            ["application/problem+json"] = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository) },
        },
    };
}

/// <summary>Marks the operations that need the API key, with the 401 (and 403, 404 where the caller's companies
/// decide) they answer; webhooks and health checks are open.</summary>
internal sealed class ApiKeyRequirementFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
        {
            return;
        }

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [],
        });
        operation.Responses ??= [];
        operation.Responses.TryAdd("401", Swagger.Problem(context, "No API key, or one that is not valid"));
    }
}

/// <summary>Describes the signed webhooks: their security scheme and the request body each sender writes (the endpoints
/// read raw bytes, so nothing else tells the document what they take).</summary>
internal sealed class WebhookOperationFilter : IOperationFilter
{
    private static readonly Dictionary<string, string> DotsExamples = new()
    {
        ["order-accepted-delivery"] = "An accepted delivery order, paid online, with variants, modifiers, a promotion and a delivery fee",
        ["order-accepted-pickup-cash"] = "An accepted pickup order, paid in cash at the counter",
        ["order-status-changed"] = "A later status change of the first order",
        ["order-cancelled"] = "The first order cancelled after it was accepted",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        switch (operation.OperationId)
        {
            case "ReceiveDotsEvent":
                Secure(operation, context, Swagger.DotsSignatureScheme);
                operation.Description = "Contract v1 (docs/api.md, \"Inbound contract\"). The body is verified over its raw bytes, so send it exactly as signed.";
                operation.RequestBody = Body(context, typeof(DotsWebhookEvent), DotsExamples.ToDictionary(
                    e => e.Key,
                    e => new OpenApiExample { Summary = e.Value, Value = WithoutNulls(JsonNode.Parse(Fixture(e.Key))) }));
                break;
            case "ReceivePosStatus":
                Secure(operation, context, Swagger.PosSignatureScheme);
                break;
            case "GetPosFeed" or "AckPosFeed":
                Secure(operation, context, Swagger.PosFeedTokenScheme);
                break;
            case "ReceiveTelegramUpdate":
                Secure(operation, context, Swagger.TelegramSecretScheme);
                operation.RequestBody = Body(context, typeof(TelegramUpdateBody), null);
                break;
            case "ReceivePosterEvent":
                // Poster signs with a field of the body (verify = md5 of the other fields and the application secret),
                // which no OpenAPI security scheme can express: the operation says so, and the body documents the field.
                operation.Security = [];
                operation.Description = "Authenticated by the body's `verify` field: md5 of `account;object;object_id;action;[data;]time;application_secret` "
                                        + "with the Poster application's secret (Poster:ApplicationSecret). A wrong `verify` answers 401.";
                operation.RequestBody = Body(context, typeof(PosterWebhookBody), null);
                break;
        }
    }

    // An explicit null and an absent optional field mean the same in contract v1; OpenAPI 3.0 cannot say that a
    // property referring to another schema may be null, so the examples leave such fields out.
    private static JsonNode? WithoutNulls(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                obj.Remove(key);
            }

            foreach (var child in obj.Select(p => p.Value).ToList())
            {
                WithoutNulls(child);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                WithoutNulls(child);
            }
        }

        return node;
    }

    private static void Secure(OpenApiOperation operation, OperationFilterContext context, string scheme) =>
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];

    private static OpenApiRequestBody Body(OperationFilterContext context, Type type, Dictionary<string, OpenApiExample>? examples) => new()
    {
        Required = true,
        Content = new Dictionary<string, IOpenApiMediaType>
        {
            ["application/json"] = new OpenApiMediaType
            {
                Schema = context.SchemaGenerator.GenerateSchema(type, context.SchemaRepository),
                Examples = examples?.ToDictionary(e => e.Key, e => (IOpenApiExample)e.Value),
            },
        },
    };

    private static string Fixture(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"DotsFixtures.{name}.json")
                           ?? throw new InvalidOperationException($"The Dots fixture {name}.json is not embedded in OrderHub.Api.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>Gives every tag the document uses a description, so an integrator reading the document knows what each group is for.</summary>
internal sealed class TagDescriptionsFilter : IDocumentFilter
{
    internal static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["Audit"] = "Who changed which setting or mapping, when, and what it was before and after (secrets masked).",
        ["Catalog and coverage"] = "The POS catalog imported per pickup point, the Dots menu, drift between them, and how much of the menu has external ids.",
        ["Cities"] = "Dots cities, the top of the tenant hierarchy.",
        ["Companies"] = "Companies (Dots tenants): their webhook key, Dots id and signing secret.",
        ["External IDs"] = "Which POS id each Dots product, variant, modifier and promotion gets: company defaults and per-point overrides.",
        ["Inbox"] = "Dots events as stored on arrival, before and after processing: one event's state, the parked ones, and their retry.",
        ["Go-live"] = "Before a point goes live: shadow mode (what would be sent, checked against the POS catalog), its readiness, and [TEST] orders through the real export path.",
        ["Fiscal"] = "Fiscal receipts through software registers (Checkbox, Cashalot): connections, cashiers, receipts and shifts.",
        ["Orders"] = "Orders received from Dots: their state, resolved lines, history, export and re-drive.",
        ["Parked orders"] = "Parking queues: orders held back from export on purpose, and their order.",
        ["POS feed"] = "The catch-up feed of webhook POS receivers: the signed pos-order messages after a cursor, and the receiver's acknowledged position.",
        ["Reconciliation"] = "Daily comparison of a pickup point's orders with what its register has (missing, doubled, other total), and the re-drive of a missing order.",
        ["Pickup points"] = "Pickup points (Dots company addresses): time zone, settings and where their orders go.",
        ["POS integrations"] = "The POS each pickup point sends to (Poster or a webhook POS), and the company's default one.",
        ["Telegram"] = "Telegram bots, chats and their alerts and reports for owners and managers.",
        ["Unrouted events"] = "Events for pickup points that are not configured yet, kept until they can be replayed.",
        ["Users"] = "Panel users, their roles and companies, and who the caller is.",
        ["Webhooks"] = "Inbound webhooks: Dots events, Poster hooks, webhook POS status reports and Telegram updates, each signed.",
        ["Health"] = "Liveness and readiness for orchestrators.",
    };

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var used = swaggerDoc.Paths.Values
            .SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Name)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        swaggerDoc.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag
        {
            Name = name,
            Description = Descriptions.TryGetValue(name, out var description)
                ? description
                : throw new InvalidOperationException($"The OpenAPI tag '{name}' has no description: add one to {nameof(TagDescriptionsFilter)}."),
        }));
    }
}

/// <summary>A nullable property that refers to another schema is written as <c>allOf</c> + <c>nullable</c>; OpenAPI 3.0
/// wants a <c>type</c> beside <c>nullable</c>, so such a property says it is an object.</summary>
internal sealed class NullableReferenceFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        foreach (var property in schema.Properties?.Values ?? [])
        {
            if (property is OpenApiSchema { AllOf.Count: > 0 } wrapper && wrapper.Type is { } type && type.HasFlag(JsonSchemaType.Null) && type == JsonSchemaType.Null)
            {
                wrapper.Type = JsonSchemaType.Object | JsonSchemaType.Null;
            }
        }
    }
}

/// <summary>A request body refers to its schema directly; the <c>allOf</c> wrapper (which lets properties be nullable)
/// has no use there.</summary>
internal sealed class PlainRequestBodyFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var media in operation.RequestBody?.Content?.Values ?? [])
        {
            if (media is OpenApiMediaType { Schema: OpenApiSchema { AllOf: [var only], Properties: null or { Count: 0 } } } plain)
            {
                plain.Schema = only;
            }
        }
    }
}
