using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using OrderHub.Api.Persistence;

namespace OrderHub.Api.Security;

/// <summary>Where the Data Protection key ring lives and how it is protected (section <c>DataProtection</c>).</summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>Keep the key ring in this folder instead of the database.</summary>
    public string? KeysPath { get; set; }

    /// <summary>
    /// A PKCS#12 (.pfx) file with an RSA certificate and its private key: every key of the ring is stored encrypted
    /// with it, so a copy of the database (or of the keys folder) without the certificate cannot decrypt the secrets.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The .pfx file's password, from the environment or a secret store. Never logged.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Certificates the ring was encrypted with before (after a rotation): keys written under them are still read;
    /// new keys are encrypted with <see cref="CertificatePath"/> only.
    /// </summary>
    public List<KeyRingCertificate> PreviousCertificates { get; set; } = [];
}

/// <summary>A .pfx file and its password.</summary>
public sealed class KeyRingCertificate
{
    public string? Path { get; set; }

    public string? Password { get; set; }
}

public static class DataProtectionSetup
{
    /// <summary>
    /// The key ring in the database (shared by every instance on it) or in <see cref="KeyRingOptions.KeysPath"/>,
    /// encrypted with the certificate when one is configured. A certificate that cannot be loaded stops the start,
    /// naming the setting: running on would write keys nobody can read later, or fail to read the stored ones.
    /// </summary>
    public static IServiceCollection AddOrderHubDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var dataProtection = services.AddDataProtection().SetApplicationName("OrderHub");
        if (options.KeysPath is { Length: > 0 } keysPath)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keysPath));
        }
        else
        {
            dataProtection.PersistKeysToDbContext<OrderHubDbContext>();
        }

        if (options.CertificatePath is { Length: > 0 } certificatePath)
        {
            var certificate = LoadCertificate("DataProtection:CertificatePath", certificatePath, options.CertificatePassword);
            var previous = options.PreviousCertificates.Select((c, i) =>
                LoadCertificate($"DataProtection:PreviousCertificates:{i}:Path", c.Path ?? "", c.Password));
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate([certificate, .. previous]);
        }

        return services;
    }

    private static X509Certificate2 LoadCertificate(string setting, string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"{setting}: '{path}' could not be read as a .pfx file with its password ({exception.GetType().Name}).", exception);
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            throw new InvalidOperationException(
                $"{setting}: '{path}' holds no RSA private key, so keys encrypted with it could never be read back.");
        }

        return certificate;
    }
}
