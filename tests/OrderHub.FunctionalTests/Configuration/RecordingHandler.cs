namespace OrderHub.FunctionalTests.Configuration;

/// <summary>Keeps every response body the client receives, so a test can assert a secret never left.</summary>
public sealed class RecordingHandler : DelegatingHandler
{
    private readonly List<string> _bodies = [];

    public IReadOnlyList<string> Bodies => _bodies;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        _bodies.Add(await response.Content.ReadAsStringAsync(cancellationToken));
        return response;
    }
}
