using Microsoft.AspNetCore.DataProtection;

namespace OrderHub.Api.Security;

/// <summary>Encrypts secrets (signing keys, POS tokens) for storage with ASP.NET Core Data Protection.</summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("OrderHub.Secrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
