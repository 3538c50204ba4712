using System.Text.RegularExpressions;

namespace OrderHub.FunctionalTests.Security;

/// <summary>
/// Signatures, verify hashes and keys are compared in constant time: a test over the source tree that every
/// verification uses <c>CryptographicOperations.FixedTimeEquals</c>, and that no code compares a
/// signature-like value with <c>==</c>, <c>!=</c>, <c>Equals</c> or <c>SequenceEqual</c>.
/// </summary>
public sealed partial class ConstantTimeComparisonTests
{
    [Fact]
    public void Every_verifier_uses_FixedTimeEquals()
    {
        var verifiers = SourceFiles().Where(f => Verifier().IsMatch(f.Text)).ToList();

        var names = verifiers.Select(f => Path.GetFileName(f.Path)).ToList();
        names.ShouldContain("StandardWebhookSignature.cs");
        names.ShouldContain("PosterWebhook.cs");
        names.ShouldContain("ApiKeyAuthentication.cs");
        verifiers.Where(f => !f.Text.Contains("CryptographicOperations.FixedTimeEquals(", StringComparison.Ordinal))
            .Select(f => f.Path).ShouldBeEmpty();
    }

    [Fact]
    public void No_signature_hash_or_verify_value_is_compared_with_equality_operators()
    {
        var offences = SourceFiles()
            .SelectMany(f => f.Text.Split('\n').Select((line, i) => (f.Path, Line: i + 1, Text: line)))
            .Where(l => IsVariableTimeComparison(l.Text))
            .Select(l => $"{l.Path}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        offences.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("return computed == signature;")]
    [InlineData("if (hook.Verify != Compute(hook, secret)) return false;")]
    [InlineData("if (expected.SequenceEqual(candidate)) return true;")]
    [InlineData("return string.Equals(expectedSignature, header, StringComparison.Ordinal);")]
    [InlineData("return hash.Equals(presented);")]
    [InlineData("var ok = Convert.ToBase64String(hmac) == header;")]
    public void The_rule_catches_variable_time_comparisons(string line) => IsVariableTimeComparison(line).ShouldBeTrue();

    [Theory]
    [InlineData("return CryptographicOperations.FixedTimeEquals(expected, actual);")]
    [InlineData("if (failure != SignatureFailure.None)")]
    [InlineData("if (expected.Length == 0) return false;")]
    [InlineData("if (signatureHeader == null) return;")]
    [InlineData("var status = order.Status == \"accepted\";")]
    public void The_rule_leaves_other_comparisons_alone(string line) => IsVariableTimeComparison(line).ShouldBeFalse();

    private static bool IsVariableTimeComparison(string line)
    {
        var code = line.Split("//")[0];
        return LeftOperand().IsMatch(code) || RightOperand().IsMatch(code) || EqualsCall().IsMatch(code) || SequenceEqual().IsMatch(code);
    }

    private static IEnumerable<(string Path, string Text)> SourceFiles()
    {
        var root = RepositoryRoot();
        return Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (Path.GetRelativePath(root, p), File.ReadAllText(p)));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderHub.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("OrderHub.sln not found above the test output.");
    }

    private const string Secretish = @"\w*(?:signature|verify|expected|actual|candidate|hash|digest|hmac|computed|presented)\w*";

    /// <summary>Code that checks a signature, a verify hash or an API key: a Verify method, an HMAC, or the key handler.</summary>
    [GeneratedRegex(@"\b(?:bool|SignatureFailure)\s+Verify\w*\s*\(|IncrementalHash\.CreateHMAC|new\s+HMACSHA|HandleAuthenticateAsync")]
    private static partial Regex Verifier();

    [GeneratedRegex(@"\b" + Secretish + @"\)?\s*(?:==|!=)(?!\s*null\b)", RegexOptions.IgnoreCase)]
    private static partial Regex LeftOperand();

    [GeneratedRegex(@"(?:==|!=)\s*(?:\w+\.)*" + Secretish + @"\b(?!\s*\.)", RegexOptions.IgnoreCase)]
    private static partial Regex RightOperand();

    [GeneratedRegex(@"(?:\b" + Secretish + @"\s*\.\s*Equals\s*\(|\bstring\.Equals\s*\([^)]*" + Secretish + ")", RegexOptions.IgnoreCase)]
    private static partial Regex EqualsCall();

    [GeneratedRegex(@"\.SequenceEqual\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex SequenceEqual();
}
