using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using OrderHub.Api.Security;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OrderHub.Api.Infrastructure;

public static class Swagger
{
    public const string DocumentPath = "/swagger/v1/swagger.json";

    public static IServiceCollection AddOrderHubSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "OrderHub",
                Version = "v1",
                Description = "Receives orders accepted in Dots, resolves their POS ids per pickup point and exports them to the POS.",
            });
            o.AddSecurityDefinition(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "An API key from the Auth:ApiKeys configuration.",
            });
            o.OperationFilter<ApiKeyRequirementFilter>();
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
}

/// <summary>Marks the operations that need the API key; webhooks and health checks are open.</summary>
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
    }
}
