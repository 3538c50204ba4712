using System.Security.Cryptography;
using System.Text;

namespace OrderHub.Api.Security;

/// <summary>
/// Per-user API keys: <c>ohk_</c> + 43 characters of base64url (32 random bytes). The first
/// <see cref="PrefixLength"/> characters find the row; the SHA-256 of the whole key is compared in constant time.
/// A slow hash is not needed: the key has 256 bits of entropy, so its SHA-256 cannot be reversed by guessing.
/// </summary>
public static class ApiKeyHashing
{
    public const string Marker = "ohk_";
    public const int PrefixLength = 12;

    public static (string Key, string Prefix, string Hash) Generate()
    {
        var key = Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (key, key[..PrefixLength], Hash(key));
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool Matches(string presentedHash, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presentedHash), Encoding.ASCII.GetBytes(storedHash));

    public static bool LooksLikeUserKey(string key) => key.StartsWith(Marker, StringComparison.Ordinal) && key.Length > PrefixLength;
}
