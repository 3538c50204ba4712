using System.Net;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.FunctionalTests.Api;

/// <summary>
/// An integrator's view: a C# client generated (NSwag) from the committed openapi/openapi.json, compiled, and used to
/// send a contract v1 event to the Dots webhook and to create and list a city. Whatever the document leaves out or
/// gets wrong (the Dots body was once documented as the receipt) shows up as a client that cannot make these calls.
/// </summary>
public sealed class GeneratedClientTests() : ProviderTestBase(new SqliteTestDatabase())
{
    [Fact]
    public async Task A_client_generated_from_the_document_sends_a_Dots_event_and_configures_a_city()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var assembly = await GenerateClientAsync();
        var clientType = assembly.GetType("OrderHub.Generated.OrderHubClient", throwOnError: true)!;
        var http = Factory.CreateDefaultClient(new SigningHandler(tenant, Factory.Clock));
        var client = Activator.CreateInstance(clientType, http)!;

        // The Dots webhook: the event is the generated contract type, filled from the sample, signed as Dots signs it.
        var eventType = assembly.GetType("OrderHub.Generated.DotsWebhookEvent", throwOnError: true)!;
        var dotsEvent = JsonSerializer.Deserialize(Fixtures.Read(Fixtures.AcceptedDelivery), eventType)!;
        var receipt = await InvokeAsync(client, "ReceiveDotsEventAsync", tenant.Key, dotsEvent);
        receipt.ShouldNotBeNull("a refusal would have thrown the generated client's ApiException");

        var api = Factory.CreateApiClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string orders;
        while (!(orders = await api.GetStringAsync("/api/orders")).Contains("DT-104233", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        orders.ShouldContain("DT-104233", customMessage: "the order sent through the generated client must arrive");

        // A configuration endpoint: create a city, then list it, both through the generated client.
        var saveCity = Activator.CreateInstance(assembly.GetType("OrderHub.Generated.SaveCityCommand", throwOnError: true)!)!;
        saveCity.GetType().GetProperty("Name")!.SetValue(saveCity, "Одеса");
        saveCity.GetType().GetProperty("DotsCityId")!.SetValue(saveCity, "odesa-generated-client");
        await InvokeAsync(client, "CreateCityAsync", saveCity);
        var cities = await InvokeAsync(client, "GetCitiesAsync");
        JsonSerializer.Serialize(cities).ShouldContain("odesa-generated-client");
    }

    private static async Task<Assembly> GenerateClientAsync()
    {
        var document = await OpenApiDocument.FromFileAsync(Path.Combine(OpenApiDocumentTests.RepositoryRoot(), "openapi", "openapi.json"));
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "OrderHubClient",
            GenerateClientInterfaces = false,
            UseBaseUrl = false,
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
        };
        settings.CSharpGeneratorSettings.Namespace = "OrderHub.Generated";
        settings.CSharpGeneratorSettings.JsonLibrary = CSharpJsonLibrary.SystemTextJson;
        var code = new CSharpClientGenerator(document, settings).GenerateFile();

        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "OrderHub.Generated." + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(code)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        emitted.Success.ShouldBeTrue("the generated client must compile:\n" + string.Join('\n', emitted.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        image.Position = 0;
        return new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(image);
    }

    /// <summary>Calls a generated operation (the overload without a CancellationToken) and returns its result, if any.</summary>
    private static async Task<object?> InvokeAsync(object client, string operation, params object[] arguments)
    {
        var method = client.GetType().GetMethods()
            .Single(m => m.Name == operation && m.GetParameters().All(p => p.ParameterType != typeof(CancellationToken)));
        var task = (Task)method.Invoke(client, arguments)!;
        await task;
        return task.GetType().GetProperty("Result")?.GetValue(task);
    }

    /// <summary>Signs requests as their senders do: Dots events per Standard Webhooks, API calls with the test key.</summary>
    private sealed class SigningHandler(TestTenant tenant, TimeProvider clock) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.StartsWith("/webhooks/dots/", StringComparison.Ordinal))
            {
                var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
                var webhookId = JsonNode.Parse(Encoding.UTF8.GetString(body))!["eventId"]!.GetValue<string>();
                var at = clock.GetUtcNow();
                request.Headers.Add(StandardWebhookSignature.IdHeader, webhookId);
                request.Headers.Add(StandardWebhookSignature.TimestampHeader, at.ToUnixTimeSeconds().ToString());
                request.Headers.Add(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(tenant.Secret, webhookId, at, body));
            }
            else
            {
                request.Headers.Add("X-Api-Key", OrderHubFactory.ApiKey);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
