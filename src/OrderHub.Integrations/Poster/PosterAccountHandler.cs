using Microsoft.Extensions.Options;
using OrderHub.Integrations.Resilience;

namespace OrderHub.Integrations.Poster;

/// <summary>
/// Puts a Poster request under its account's address: <see cref="PosterOptions.BaseUrlTemplate"/> with the
/// request's <see cref="AccountKey"/> option for <c>{account}</c>. The client's own base address is a placeholder
/// under <c>.invalid</c>, so a request that skipped this handler cannot reach anyone.
/// </summary>
public sealed class PosterAccountHandler(IOptions<PosterOptions> options) : DelegatingHandler
{
    public const string AccountKey = "OrderHub.PosterAccount";

    /// <summary>The name of <see cref="PosResilience.CircuitKey"/>, for Refit's <c>[Property]</c>.</summary>
    public const string CircuitKey = PosResilience.CircuitKeyName;

    /// <summary>The placeholder base address of the Poster client.</summary>
    public static readonly Uri Placeholder = new("http://poster-account.invalid/");

    private static readonly HttpRequestOptionsKey<string> Account = new(AccountKey);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(Account, out var account) || string.IsNullOrEmpty(account) || request.RequestUri is not { } placeholder)
        {
            throw new InvalidOperationException("A Poster request without its account.");
        }

        var baseUrl = options.Value.BaseUrlTemplate.Replace("{account}", account, StringComparison.Ordinal);
        if (!baseUrl.EndsWith('/'))
        {
            baseUrl += "/";
        }

        // PathAndQuery keeps Refit's escaping of the query (the token, the dates) as it is.
        request.RequestUri = new Uri(baseUrl + placeholder.PathAndQuery.TrimStart('/'));
        return base.SendAsync(request, cancellationToken);
    }
}
