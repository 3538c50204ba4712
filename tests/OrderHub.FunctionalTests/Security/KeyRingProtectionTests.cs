using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Security;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Security;

public sealed class SqliteKeyRingProtectionTests() : KeyRingProtectionTests(new SqliteTestDatabase());

public sealed class PostgresKeyRingProtectionTests() : KeyRingProtectionTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerKeyRingProtectionTests() : KeyRingProtectionTests(new SqlServerTestDatabase());

/// <summary>
/// <c>DataProtection:CertificatePath</c>: the key ring in the database is stored encrypted with the certificate, so
/// another instance with the certificate reads the secrets and one with the database alone cannot.
/// </summary>
public abstract class KeyRingProtectionTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const string PfxPassword = "test-pfx-password";
    private const string Token = "861052:4f2a9c0d1e7b3a5c6d8e9f0a1b2c3d4e";

    private readonly string _directory = Directory.CreateTempSubdirectory("orderhub-keyring-").FullName;

    private string PfxPath => Path.Combine(_directory, "keyring.pfx");

    protected override IReadOnlyDictionary<string, string?> Settings => CertificateSettings(PfxPath);

    public override async Task InitializeAsync()
    {
        await WriteCertificateAsync(PfxPath);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Keys_are_stored_encrypted_and_only_an_instance_with_the_certificate_reads_the_secrets()
    {
        var tenant = await new TestTenant().WithoutIntegration().CreateAsync(Factory);
        var saved = await Factory.CreateApiClient().PutAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-integration",
            new { kind = "Poster", posterAccount = "demo", posterSpotId = 1, token = Token });
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var stored = await Factory.WithDbAsync(db => db.PosIntegrations.AsNoTracking().Where(i => i.PickupPointId == tenant.KyivPointId)
            .Select(i => i.SecretProtected).SingleAsync());
        stored.ShouldNotBeNull().ShouldNotContain("4f2a9c0d");

        var keys = await Factory.WithDbAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync());
        keys.ShouldNotBeEmpty();
        keys.ShouldAllBe(xml => xml!.Contains("<encryptedSecret") && !xml.Contains("<masterKey"));

        // A second instance on the same database with the certificate reads the secret.
        await using (var withCertificate = new OrderHubFactory(Database, Settings))
        {
            withCertificate.Services.GetRequiredService<SecretProtector>().Unprotect(stored).ShouldBe(Token);
        }

        // One with the database alone cannot.
        await using var withoutCertificate = new OrderHubFactory(Database);
        Should.Throw<CryptographicException>(() => withoutCertificate.Services.GetRequiredService<SecretProtector>().Unprotect(stored));
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_read_stops_the_start_naming_the_setting()
    {
        var wrongPassword = new Dictionary<string, string?>(CertificateSettings(PfxPath)) { ["DataProtection:CertificatePassword"] = "not-the-password" };
        foreach (var settings in new[] { CertificateSettings(Path.Combine(_directory, "missing.pfx")), wrongPassword })
        {
            await using var factory = new OrderHubFactory(Database, settings);
            var failure = Should.Throw<Exception>(() => factory.Server);
            failure.ToString().ShouldContain("DataProtection:CertificatePath");
            failure.ToString().ShouldNotContain("not-the-password");
        }
    }

    [Fact]
    public async Task After_a_rotation_keys_written_under_the_previous_certificate_are_still_read()
    {
        var stored = Factory.Services.GetRequiredService<SecretProtector>().Protect(Token);
        var next = Path.Combine(_directory, "next.pfx");
        await WriteCertificateAsync(next);

        var rotated = new Dictionary<string, string?>(CertificateSettings(next))
        {
            ["DataProtection:PreviousCertificates:0:Path"] = PfxPath,
            ["DataProtection:PreviousCertificates:0:Password"] = PfxPassword,
        };
        await using (var afterRotation = new OrderHubFactory(Database, rotated))
        {
            afterRotation.Services.GetRequiredService<SecretProtector>().Unprotect(stored).ShouldBe(Token);
        }

        await using var previousForgotten = new OrderHubFactory(Database, CertificateSettings(next));
        Should.Throw<CryptographicException>(() => previousForgotten.Services.GetRequiredService<SecretProtector>().Unprotect(stored));
    }

    private static async Task WriteCertificateAsync(string path)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=OrderHub key ring (tests)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, PfxPassword));
    }

    private static Dictionary<string, string?> CertificateSettings(string path) => new()
    {
        ["DataProtection:CertificatePath"] = path,
        ["DataProtection:CertificatePassword"] = PfxPassword,
    };
}
