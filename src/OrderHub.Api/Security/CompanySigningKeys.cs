using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Persistence;

namespace OrderHub.Api.Security;

/// <summary>Settings of <see cref="CompanySigningKeys"/>, section <c>Intake</c>.</summary>
public sealed class CompanySigningKeysOptions
{
    public const string SectionName = "Intake";

    /// <summary>
    /// How long a company's webhook secrets are trusted from memory. Rotation on this instance forgets them at once;
    /// another instance's rotation is seen within this time, or at the first delivery that fails with the cached ones.
    /// </summary>
    public TimeSpan CompanyCacheTtl { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>What the intake needs of a company to check a delivery without a database round trip.</summary>
public sealed record IntakeCompany(Guid Id, string Key, string DotsCompanyId, IReadOnlyList<string> Secrets, DateTimeOffset LoadedAt);

/// <summary>
/// The webhook secrets (decrypted) and Dots id of each company, by webhook key, kept in memory so that the webhook's
/// cheap checks (404, 401, 422) cost no database round trip. Entries live <see cref="CompanySigningKeysOptions.CompanyCacheTtl"/>;
/// a rotation or an edit of the company forgets its entry here; a refusal based on an entry older than a second
/// reloads it once (another instance may have rotated the secret), so a change elsewhere never refuses for long.
/// </summary>
public sealed class CompanySigningKeys(
    IServiceScopeFactory scopes, SecretProtector protector, TimeProvider time, IOptions<CompanySigningKeysOptions> options)
{
    private static readonly TimeSpan FreshEnough = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, IntakeCompany> _byKey = new(StringComparer.Ordinal);

    /// <summary>The company with this webhook key, or null when there is none.</summary>
    public async ValueTask<IntakeCompany?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (_byKey.TryGetValue(key, out var cached) && time.GetUtcNow() - cached.LoadedAt < options.Value.CompanyCacheTtl)
        {
            return cached;
        }

        return await LoadAsync(key, cancellationToken);
    }

    /// <summary>
    /// After a refusal based on <paramref name="used"/>: the company as stored now, when the entry is old enough
    /// that it may have changed elsewhere; null when it is fresh (the refusal stands).
    /// </summary>
    public async ValueTask<IntakeCompany?> RefreshAsync(IntakeCompany used, CancellationToken cancellationToken) =>
        time.GetUtcNow() - used.LoadedAt < FreshEnough ? null : await LoadAsync(used.Key, cancellationToken);

    /// <summary>Forgets a company's entry: call after changing its secrets or its Dots id.</summary>
    public void Forget(string key) => _byKey.TryRemove(key, out _);

    private async Task<IntakeCompany?> LoadAsync(string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var company = await db.Companies.AsNoTracking().FirstOrDefaultAsync(c => c.Key == key, cancellationToken);
        if (company is null)
        {
            _byKey.TryRemove(key, out _);
            return null;
        }

        var now = time.GetUtcNow();
        List<string> secrets = [protector.Unprotect(company.SigningSecretProtected)];
        if (company.PreviousSigningSecretProtected is { } previous && company.PreviousSecretExpiresAt > now)
        {
            secrets.Add(protector.Unprotect(previous));
        }

        // The previous secret's expiry bounds the entry too, so an expired secret is never accepted from memory.
        var loadedAt = company.PreviousSecretExpiresAt is { } expires && expires > now && expires - now < options.Value.CompanyCacheTtl
            ? expires - options.Value.CompanyCacheTtl
            : now;
        var entry = new IntakeCompany(company.Id, company.Key, company.DotsCompanyId, secrets, loadedAt);
        _byKey[key] = entry;
        return entry;
    }
}
